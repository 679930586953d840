package dev.musicshare.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * A server speaking the Music Share API (ours or the seed's), as the load tool drives it.
 *
 * <p>Requests are spread over several JDK HTTP clients: each does all its connections' I/O on one selector thread,
 * and with hundreds of pollers fetching megabytes a second that one thread, not the server, set the pace.
 */
final class BenchTarget {
    private static final int CLIENTS = 4;

    private final String baseUrl;
    private final String authorization;
    private final HttpClient[] clients = new HttpClient[CLIENTS];
    private final java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();

    BenchTarget(String baseUrl, String token, int threads) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authorization = "Bearer " + token;
        var executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "bench-http");
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < CLIENTS; i++) {
            clients[i] = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                    .connectTimeout(Duration.ofSeconds(5)).build();
        }
    }

    private HttpClient http() {
        return clients[Math.floorMod(turn.getAndIncrement(), CLIENTS)];
    }

    String baseUrl() {
        return baseUrl;
    }

    int start(String sessionId) {
        return post("/api/share/start", ("{\"sessionId\":\"" + sessionId + "\"}").getBytes()).statusCode();
    }

    int stop(String sessionId) {
        return post("/api/share/" + sessionId + "/stop", "{}".getBytes()).statusCode();
    }

    HttpResponse<byte[]> postChunk(String sessionId, byte[] body) {
        return post("/api/share/" + sessionId + "/audio", body);
    }

    HttpResponse<byte[]> postMetadata(String sessionId, byte[] body) {
        return post("/api/share/" + sessionId + "/metadata", body);
    }

    HttpResponse<byte[]> metadata(String sessionId, String listenerId) {
        return send(request("/api/share/" + sessionId + "/metadata").header("X-Listener-Id", listenerId).GET()
                .build());
    }

    HttpResponse<byte[]> poll(String sessionId, long since, String listenerId) {
        return send(request("/api/share/" + sessionId + "/audio?since=" + since).header("X-Listener-Id", listenerId)
                .GET().build());
    }

    HttpResponse<java.io.InputStream> eventStream(String sessionId, String listenerId) throws IOException,
            InterruptedException {
        return http().send(request("/api/share/" + sessionId + "/events").header("X-Listener-Id", listenerId)
                .timeout(Duration.ofDays(1)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private HttpResponse<byte[]> post(String path, byte[] body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", authorization)
                .timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http().send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
