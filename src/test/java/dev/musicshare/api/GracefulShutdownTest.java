package dev.musicshare.api;

import static dev.musicshare.testing.AudioSamples.chunkJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.ApiClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** On shutdown the server stops accepting but lets a request already under way finish. */
class GracefulShutdownTest {

    @Test
    void an_upload_under_way_completes_while_new_connections_are_refused() throws Exception {
        MusicShareServer server = MusicShareServer.start(Settings.from(Map.of("PORT", "0", "BIND_ADDRESS",
                "127.0.0.1", "BEARER_TOKEN", "t")), Clock.systemUTC());
        int port = server.port();
        ApiClient api = new ApiClient(port, "t");
        api.postJson("/api/share/start", "{\"sessionId\":\"246802\"}");
        byte[] body = chunkJson(0, 4410).getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/share/246802/audio HTTP/1.1\r\nHost: x\r\nAuthorization: t\r\nContent-Type: "
                    + "application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();
            // Waited for, not slept on: a busy machine may take longer than any fixed pause to dispatch it, and a
            // connection whose request has not reached a handler yet is idle, which a shutdown may close.
            await().atMost(Duration.ofSeconds(5)).until(() -> server.requestsInFlight() == 1);

            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatThrownBy(
                    () -> new Socket("127.0.0.1", port).close()).as("no new connections")
                    .isInstanceOf(java.net.ConnectException.class));
            assertThat(closing).as("still waiting for the upload").isNotDone();
            out.write(body, body.length / 2, body.length - body.length / 2);
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(response).isEqualTo("HTTP/1.1 200");
            closing.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
