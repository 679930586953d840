package dev.musicshare.recording;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The recordings folder's limits, on real files, with a clock the test moves: age first, then size, oldest first. */
class RecordingLibraryTest {
    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    final MutableClock clock = new MutableClock(NOW);
    Path folder;

    @BeforeEach
    void emptyFolder() throws IOException {
        folder = Files.createDirectories(Path.of("target", "test-recordings", "library-" + System.nanoTime()));
    }

    @Test
    void recordings_older_than_the_age_limit_are_removed_and_the_rest_kept() throws IOException {
        RecordingLibrary library = new RecordingLibrary(folder, 0, Duration.ofDays(30), clock);
        Recording old = add(library, 1, NOW.minus(Duration.ofDays(31)), 1_000);
        Recording recent = add(library, 2, NOW.minus(Duration.ofDays(29)), 1_000);

        assertThat(library.enforceLimits()).containsExactly(old);
        assertThat(library.list()).containsExactly(recent);
        assertThat(folder.resolve(old.id() + ".opus")).doesNotExist();
        assertThat(folder.resolve(old.id() + ".lrc")).doesNotExist();

        clock.advance(Duration.ofDays(2)); // now the second is 31 days old too
        assertThat(library.enforceLimits()).containsExactly(recent);
        assertThat(library.list()).isEmpty();
    }

    @Test
    void over_the_size_limit_the_oldest_go_first_until_the_rest_fit() throws IOException {
        RecordingLibrary library = new RecordingLibrary(folder, 2_500, Duration.ZERO, clock);
        Recording first = add(library, 1, NOW.minusSeconds(300), 1_000);
        Recording second = add(library, 2, NOW.minusSeconds(200), 1_000);
        Recording third = add(library, 3, NOW.minusSeconds(100), 1_000);

        assertThat(library.enforceLimits()).containsExactly(first);
        assertThat(library.list()).containsExactly(third, second); // newest first
        assertThat(library.enforceLimits()).isEmpty(); // 2,000 bytes fit
    }

    @Test
    void a_file_being_written_is_neither_listed_nor_found_nor_counted() throws IOException {
        RecordingLibrary library = new RecordingLibrary(folder, 0, Duration.ZERO, clock);
        Files.write(library.partOf("123456-20261129120000-01", RecordingLibrary.AUDIO), new byte[500]);
        assertThat(library.list()).isEmpty();
        assertThat(library.find("123456-20261129120000-01")).isEmpty();
        assertThat(library.find("../../etc/passwd")).isEmpty();
    }

    private Recording add(RecordingLibrary library, int track, Instant startedAt, int bytes) throws IOException {
        String id = Recording.idOf("123456", NOW.minus(Duration.ofDays(40)).toEpochMilli(), track, 1);
        Files.write(folder.resolve(id + ".opus"), new byte[bytes]);
        Files.writeString(folder.resolve(id + ".lrc"), "[00:01.00]line\n");
        Recording recording = new Recording(id, "123456", NOW.minus(Duration.ofDays(40)).toEpochMilli(), track, 1,
                "Title " + track, "Artist", startedAt.toEpochMilli(), 60.0, bytes, true, 0);
        library.publish(recording);
        return recording;
    }
}
