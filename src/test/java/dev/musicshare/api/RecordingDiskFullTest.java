package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.musicshare.testing.AudioSamples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A recordings folder that refuses writes stops the recording — one count in the metrics, nothing half-written left
 * to be served — while every request of the session succeeds. The folder is a 48 kB tmpfs that fills within three
 * seconds of audio where this process may mount one (root); else a folder made read-only; else, for root without
 * mount rights, a path that is a file, not a folder.
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory"})
class RecordingDiskFullTest extends ApiTestBase {
    static final String ID = "717171";
    static Path folder;
    static boolean mounted;

    @BeforeAll
    static void aFolderThatRefusesWrites() throws IOException, InterruptedException {
        folder = Path.of("target", "test-recordings", "full-" + System.nanoTime()).toAbsolutePath();
        Files.createDirectories(folder);
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            mounted = run("mount", "-t", "tmpfs", "-o", "size=48k", "tmpfs", folder.toString()) == 0;
            if (!mounted) { // no mount rights: a folder whose path is taken by a file cannot take files either
                Files.delete(folder);
                Files.writeString(folder, "not a folder");
            }
        } else {
            assertThat(folder.toFile().setWritable(false, false)).isTrue();
        }
        System.err.println("RecordingDiskFullTest: recordings folder " + folder + " is "
                + (mounted ? "a 48 kB tmpfs" : root ? "a file" : "read-only"));
    }

    @AfterAll
    static void release() throws IOException, InterruptedException {
        if (mounted) run("umount", folder.toString());
        folder.toFile().setWritable(true, false);
    }

    @Override
    Map<String, String> extraEnvironment() {
        return Map.of("MAX_AUDIO_BODY_BYTES", "1048576", "RECORDING", "always", "RECORDINGS_DIR", folder.toString(),
                "STREAM_SILENCE_AFTER_MS", "10000");
    }

    @Test
    void a_full_or_read_only_folder_stops_the_recording_and_not_a_single_request_fails() throws IOException {
        assertThat(expect(200, start(ID)).json().get("recording").asBoolean()).isTrue();
        expect(200, api.postJson("/api/share/" + ID + "/metadata", "{\"title\":\"Too long\",\"artist\":\"Band\"}"));
        for (int sequence = 0; sequence < 12; sequence++) { // 6 s: 96 kB of Opus, twice the tmpfs
            expect(200, api.postJson("/api/share/" + ID + "/audio",
                    AudioSamples.chunkJson(sequence, AudioSamples.base64(22_050, 2, sequence), 44_100, 2)));
            expect(200, api.get("/api/share/" + ID + "/audio?since=" + (sequence - 1)));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> failures().contains("reason=\"write\""));
        expect(200, api.postJson("/api/share/" + ID + "/metadata", "{\"title\":\"Next\",\"artist\":\"Band\"}"));
        expect(200, api.postJson("/api/share/" + ID + "/audio", AudioSamples.chunkJson(12, 22_050)));
        expect(200, api.postEmpty("/api/share/" + ID + "/stop"));

        assertThat(failures()).containsOnlyOnce("musicshare_recordings_failed_total")
                .contains("reason=\"write\"} 1.0");
        assertThat(expect(200, api.get("/api/recordings")).json().get("total").asInt()).isZero();
        if (Files.isDirectory(folder)) {
            try (Stream<Path> left = Files.list(folder)) {
                assertThat(left).as("half-written files are removed").isEmpty();
            }
        }
    }

    private String failures() {
        return String.join("\n", api.withAuthorization(null).get("/metrics").text().lines()
                .filter(line -> line.startsWith("musicshare_recordings_failed_total")).toList());
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().transferTo(System.err);
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }
}
