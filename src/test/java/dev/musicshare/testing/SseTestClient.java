package dev.musicshare.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.musicshare.reception.EventStreamReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A Server-Sent Events client over a real socket; reads events with the client's own {@link EventStreamReader} into
 * {@link PushEvent}s on its own thread.
 */
public final class SseTestClient extends PushClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpResponse<InputStream> response;
    private final Thread reader;

    private SseTestClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-client");
        reader.setDaemon(true);
        if (response.statusCode() == 200) reader.start();
    }

    /** Opens {@code path}; {@code headers} are name/value pairs. */
    public static SseTestClient open(int port, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "text/event-stream");
        if (headers.length > 0) request.headers(headers);
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            return new SseTestClient(http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** A refused request's {@code Retry-After} in seconds (1 when absent). */
    public long retryAfterSeconds() {
        return response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
    }

    /** The body of a refused (non-200) request. */
    public String errorBody() throws IOException {
        return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    }

    private void read() {
        try (InputStream body = response.body()) {
            EventStreamReader.read(body, (name, id, data, length) -> {
                events.add(new PushEvent(name, id, JSON.readTree(data, 0, length)));
                return true;
            });
        } catch (IOException e) {
            // the stream broke: the same as the server closing it, for a test
        }
        closedByServer = true;
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
