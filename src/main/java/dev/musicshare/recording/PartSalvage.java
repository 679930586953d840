package dev.musicshare.recording;

import dev.musicshare.lease.RecordingLeases.RecordedSession;
import dev.musicshare.lease.RecordingProgress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.gagravarr.ogg.CRCUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes the file a recorder left half written when it died or lost its lease ({@code <id>.opus.part}, in a
 * shared RECORDINGS_DIR): the whole Ogg pages up to what it reported writing are copied to a new file, the last one
 * is flagged end-of-stream (RFC 3533 section 6; its CRC recomputed), and the copy is renamed into place and
 * described, like any finished recording. Copying rather than renaming the part file means a recorder that is
 * alive after all (cut off from Redis, not dead) and writes once more cannot touch the completed file: the
 * {@code .part} it writes to is removed. Its {@code .lrc} is written as its recorder would have written it on
 * finishing the file ({@link RecordedLyrics}): the track's synced lyrics, which the caller takes from the session's
 * metadata, aligned to the file's own start by the song position its recorder reported with its progress
 * ({@link RecordingProgress#songSecondsAtStart()}).
 */
final class PartSalvage {
    private static final Logger log = LoggerFactory.getLogger(PartSalvage.class);
    private static final int HEADER = 27;
    private static final int EOS_FLAG = 0x04;
    private static final String COPY = ".opus.salvaged";
    private static final String LYRICS_COPY = ".lrc.salvaged";

    private final RecordingLibrary library;

    PartSalvage(RecordingLibrary library) {
        this.library = library;
    }

    /** The pages found in a part file: where the last whole, intact one ends, and its granule position. */
    private record Pages(int count, long end, long lastPageStart, long lastGranule, int preSkip) {}

    /**
     * @param lyrics the track's lyrics as the sender gave them (LRC or plain), or null when not known: the part then
     *               has no {@code .lrc}, as it has none when the sender's lyrics had no times or the recorder reported
     *               no song position
     * @return the completed recording, or empty (logged with the reason) when there is nothing to complete here
     */
    Optional<Recording> complete(RecordedSession session, RecordingProgress left, String lyrics) {
        String id = left.fileId();
        if (!Recording.isValidId(id)) return Optional.empty();
        Path part = library.partOf(id, RecordingLibrary.AUDIO);
        if (!Files.exists(part)) {
            log.atWarn().addKeyValue("sessionId", session.sessionId()).addKeyValue("recordingId", id)
                    .log("recording part not completed: {} is not in this node's RECORDINGS_DIR ({}); unless all "
                            + "nodes share that folder, it stays unfinished where the previous recorder wrote it",
                            part.getFileName(), library.directory());
            return Optional.empty();
        }
        Path copy = library.partOf(id, COPY);
        Path lyricsCopy = library.partOf(id, LYRICS_COPY);
        try {
            Pages pages = scan(part, left.bytes());
            if (pages.count() < 3 || pages.lastGranule() <= pages.preSkip()) {
                log.atWarn().addKeyValue("sessionId", session.sessionId()).addKeyValue("recordingId", id)
                        .log("recording part not completed: it holds no audio yet; removed");
                Files.deleteIfExists(part);
                return Optional.empty();
            }
            copyPages(part, copy, pages);
            // Lyrics before audio, as a normally finished file has them (TrackFile): once listed, both are there.
            String lrc = Double.isNaN(left.songSecondsAtStart()) ? null
                    : RecordedLyrics.forFile(lyrics, left.songSecondsAtStart(), left.title(), left.artist());
            if (lrc != null) {
                Files.writeString(lyricsCopy, lrc, StandardCharsets.UTF_8);
                library.install(lyricsCopy, id, RecordingLibrary.LYRICS);
            }
            library.install(copy, id, RecordingLibrary.AUDIO);
            Files.deleteIfExists(part);
            Recording recording = new Recording(id, session.sessionId(), session.startedAt(), left.track(),
                    left.part(), left.title(), left.artist(), left.startedAt(),
                    (pages.lastGranule() - pages.preSkip()) / 48_000.0, pages.end(), lrc != null,
                    left.missedSecondsBefore());
            library.publish(recording);
            log.atInfo().addKeyValue("sessionId", session.sessionId()).addKeyValue("recordingId", id)
                    .addKeyValue("durationSeconds", recording.durationSeconds())
                    .log("recording part completed from what its stopped recorder wrote");
            return Optional.of(recording);
        } catch (IOException | RuntimeException e) {
            log.atWarn().addKeyValue("sessionId", session.sessionId()).addKeyValue("recordingId", id)
                    .log("recording part not completed: {}", e.getMessage());
            try {
                Files.deleteIfExists(copy);
                Files.deleteIfExists(lyricsCopy);
            } catch (IOException ignored) {
                // a stray copy is never listed
            }
            return Optional.empty();
        }
    }

    /**
     * Walks the pages from the start up to {@code reported} bytes (the recorder reported only whole pages it had
     * written), stopping early at a page that is cut short or fails its CRC (a machine that died lost it).
     */
    private static Pages scan(Path part, long reported) throws IOException {
        try (FileChannel in = FileChannel.open(part, StandardOpenOption.READ)) {
            long limit = Math.min(reported, in.size());
            long at = 0;
            long lastStart = -1;
            long lastGranule = 0;
            int count = 0;
            int preSkip = 0;
            while (at + HEADER <= limit) {
                ByteBuffer header = read(in, at, HEADER);
                if (header.getInt(0) != 0x5367674F) break; // "OggS", little-endian
                int segments = header.get(26) & 0xFF;
                if (at + HEADER + segments > limit) break;
                ByteBuffer table = read(in, at + HEADER, segments);
                int body = 0;
                for (int i = 0; i < segments; i++) body += table.get(i) & 0xFF;
                int length = HEADER + segments + body;
                if (at + length > limit) break;
                byte[] page = read(in, at, length).array();
                if (!crcMatches(page)) break;
                if (count == 0) preSkip = (page[HEADER + segments + 10] & 0xFF) | (page[HEADER + segments + 11] & 0xFF) << 8;
                lastGranule = ByteBuffer.wrap(page, 6, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
                lastStart = at;
                at += length;
                count++;
            }
            return new Pages(count, at, lastStart, lastGranule, preSkip);
        }
    }

    /** The pages, the last flagged end-of-stream. */
    private static void copyPages(Path part, Path copy, Pages pages) throws IOException {
        try (FileChannel in = FileChannel.open(part, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long copied = 0; copied < pages.lastPageStart(); ) {
                copied += in.transferTo(copied, pages.lastPageStart() - copied, out);
            }
            byte[] last = read(in, pages.lastPageStart(), (int) (pages.end() - pages.lastPageStart())).array();
            last[5] |= EOS_FLAG;
            writeCrc(last);
            out.write(ByteBuffer.wrap(last), pages.lastPageStart());
            out.force(true);
        }
    }

    private static boolean crcMatches(byte[] page) {
        int stored = ByteBuffer.wrap(page, 22, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        byte[] zeroed = page.clone();
        for (int i = 22; i < 26; i++) zeroed[i] = 0;
        return CRCUtils.getCRC(zeroed) == stored;
    }

    private static void writeCrc(byte[] page) {
        for (int i = 22; i < 26; i++) page[i] = 0;
        ByteBuffer.wrap(page, 22, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(CRCUtils.getCRC(page));
    }

    private static ByteBuffer read(FileChannel in, long at, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (in.read(buffer, at + buffer.position()) < 0) throw new IOException("file ends inside a page");
        }
        return buffer;
    }
}
