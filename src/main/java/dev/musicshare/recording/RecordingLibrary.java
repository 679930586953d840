package dev.musicshare.recording;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recordings folder ({@code RECORDINGS_DIR}): what is finished in it, and its limits. A recording is finished when
 * its {@code <id>.json} exists; that file is written last, by a rename, after the audio and lyrics were renamed into
 * place, so nothing being written (a {@code .part} file) is ever listed or served. Several nodes may share the
 * folder: every change is a rename or a delete of whole files, and reads tolerate a file vanishing underneath.
 */
public final class RecordingLibrary {
    private static final Logger log = LoggerFactory.getLogger(RecordingLibrary.class);
    static final String AUDIO = ".opus";
    static final String LYRICS = ".lrc";
    static final String INFO = ".json";
    /** Suffix of a file still being written; renamed away when complete. */
    static final String PART = ".part";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path directory;
    private final long maxBytes;
    private final Duration maxAge;
    private final Clock clock;

    /**
     * @param maxBytes most bytes the finished recordings may take together; 0: no limit
     * @param maxAge   recordings that started longer ago are removed; zero: none are
     */
    public RecordingLibrary(Path directory, long maxBytes, Duration maxAge, Clock clock) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    public Path directory() {
        return directory;
    }

    /** Finished recordings, newest first. */
    public List<Recording> list() {
        List<Recording> found = new ArrayList<>();
        if (!Files.isDirectory(directory)) return found;
        try (DirectoryStream<Path> infos = Files.newDirectoryStream(directory, "*" + INFO)) {
            for (Path info : infos) read(info).ifPresent(found::add);
        } catch (IOException e) {
            throw new UncheckedIOException("recordings folder " + directory + " unreadable: " + e.getMessage(), e);
        }
        found.sort(Comparator.comparingLong(Recording::startedAt).thenComparing(Recording::id).reversed());
        return found;
    }

    /** A finished recording by id; empty for an id that is malformed, unknown or being written. */
    public Optional<Recording> find(String id) {
        if (!Recording.isValidId(id)) return Optional.empty();
        return read(directory.resolve(id + INFO));
    }

    /** The Ogg Opus file of a finished recording. */
    public Path audio(Recording recording) {
        return directory.resolve(recording.id() + AUDIO);
    }

    /** The LRC file beside it (present when {@link Recording#hasLyrics()}). */
    public Path lyrics(Recording recording) {
        return directory.resolve(recording.id() + LYRICS);
    }

    /** Removes a recording; false when there was none by that id. */
    public boolean delete(String id) {
        if (!Recording.isValidId(id)) return false;
        try {
            // The description first: from then on the recording is not listed, whatever happens to the rest.
            boolean existed = Files.deleteIfExists(directory.resolve(id + INFO));
            Files.deleteIfExists(directory.resolve(id + AUDIO));
            Files.deleteIfExists(directory.resolve(id + LYRICS));
            return existed;
        } catch (IOException e) {
            throw new UncheckedIOException("recording " + id + " not removed: " + e.getMessage(), e);
        }
    }

    /**
     * Applies RECORDINGS_MAX_AGE_DAYS, then RECORDINGS_MAX_GB (oldest removed first until the rest fit).
     *
     * @return the recordings removed
     */
    public List<Recording> enforceLimits() {
        List<Recording> all = new ArrayList<>(list());
        all.sort(Comparator.comparingLong(Recording::startedAt)); // oldest first
        List<Recording> removed = new ArrayList<>();
        long oldestKept = maxAge.isZero() ? Long.MIN_VALUE : clock.millis() - maxAge.toMillis();
        long total = all.stream().mapToLong(RecordingLibrary::diskBytes).sum();
        for (Recording recording : all) {
            boolean tooOld = recording.startedAt() < oldestKept;
            boolean overSize = maxBytes > 0 && total > maxBytes;
            if (!tooOld && !overSize) break;
            if (delete(recording.id())) {
                removed.add(recording);
                total -= diskBytes(recording);
                log.atInfo().addKeyValue("recordingId", recording.id()).addKeyValue("sessionId", recording.sessionId())
                        .log("recording removed: {}", tooOld ? "older than RECORDINGS_MAX_AGE_DAYS"
                                : "recordings exceed RECORDINGS_MAX_GB");
            }
        }
        return removed;
    }

    /** Where a recording's file is written until it is complete. */
    Path partOf(String id, String suffix) {
        return directory.resolve(id + suffix + PART);
    }

    /** Renames a written file into place: after this it is complete and may be served. */
    void complete(String id, String suffix) throws IOException {
        move(partOf(id, suffix), directory.resolve(id + suffix));
    }

    /** Moves a file written under another name into place as a recording's {@code suffix} file. */
    void install(Path written, String id, String suffix) throws IOException {
        move(written, directory.resolve(id + suffix));
    }

    /** Writes the description last: from then on the recording is listed. */
    void publish(Recording recording) throws IOException {
        Path part = partOf(recording.id(), INFO);
        Files.write(part, JSON.writeValueAsBytes(recording));
        move(part, directory.resolve(recording.id() + INFO));
    }

    /** Creates the folder when missing. */
    void createDirectory() throws IOException {
        Files.createDirectories(directory);
    }

    private static long diskBytes(Recording recording) {
        return recording.bytes();
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Optional<Recording> read(Path info) {
        try {
            Recording recording = JSON.readValue(Files.readAllBytes(info), Recording.class);
            if (!Files.exists(directory.resolve(recording.id() + AUDIO))) return Optional.empty();
            return Optional.of(recording);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // removed meanwhile (retention, DELETE, another node)
        } catch (IOException e) {
            log.atWarn().addKeyValue("file", info).log("recording description unreadable, skipped: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
