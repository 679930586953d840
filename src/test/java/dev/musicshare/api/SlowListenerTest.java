package dev.musicshare.api;

import static dev.musicshare.testing.AudioSamples.chunkJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.musicshare.testing.AudioSamples;
import dev.musicshare.testing.PushEvent;
import dev.musicshare.testing.SseTestClient;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** A listener that never reads must not hold up anyone else, and the server must not buffer for it without bound. */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis"})
class SlowListenerTest extends ApiTestBase {
    private static final int CHUNKS = 150;
    private static final int FRAMES = 8820; // 0.2 s of stereo: 70 KB of samples, 94 KB of base64
    private static final int LEAD = 3;

    @Override
    Map<String, String> extraEnvironment() {
        return Map.of("MAX_AUDIO_BODY_BYTES", "" + (1024 * 1024), "PUSH_QUEUE_EVENTS", "8",
                "PUSH_QUEUE_BYTES", "" + (512 * 1024), "PUSH_MAX_OVERFLOWS", "2");
    }

    @Test
    void a_listener_that_never_reads_is_dropped_while_a_fast_one_gets_everything() throws Exception {
        expect(200, start("123456"));
        try (Socket stalled = new Socket();
                SseTestClient fast = SseTestClient.open(server.port(), "/api/share/123456/events",
                        "Authorization", "Bearer " + TOKEN)) {
            stalled.setReceiveBufferSize(4096); // a small window, so the server's writes back up quickly
            stalled.connect(new InetSocketAddress("127.0.0.1", server.port()));
            OutputStream request = stalled.getOutputStream();
            request.write(("GET /api/share/123456/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            request.flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.pushConnections() == 2);

            String samples = AudioSamples.base64(FRAMES, 2, 0);
            // The sender stays at most LEAD chunks (~280 KB, inside the fast listener's 512 KB queue) ahead of what
            // the fast listener has read: on a busy machine this test's own reader thread can lag a flat-out
            // sender, and that would be a burst the queue is right to refuse, not the stalled listener's doing.
            List<Long> received = new ArrayList<>();
            for (long sequence = 0; sequence < CHUNKS; sequence++) {
                expect(200, api.postJson("/api/share/123456/audio", chunkJson(sequence, samples, 44100, 2)));
                if (sequence >= LEAD) received.add(fast.next(1, "audio").get(0).sequenceNumber());
            }
            fast.next(LEAD, "audio").forEach(event -> received.add(event.sequenceNumber()));
            assertThat(received).hasSize(CHUNKS).isSorted().doesNotHaveDuplicates();
            assertThat(received.get(CHUNKS - 1)).isEqualTo(CHUNKS - 1);
            // ~14 MB were sent; the stalled listener could hold at most 512 KB queued before being skipped and dropped.
            await().atMost(Duration.ofSeconds(10)).until(() -> server.pushConnections() == 1);
        }
    }
}
