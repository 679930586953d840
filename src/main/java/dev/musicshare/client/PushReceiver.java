package dev.musicshare.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.musicshare.reception.EventStreamReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Receives a session by push (Server-Sent Events): after a drop it reconnects, under the clients' one
 * {@link RetryPolicy}, with {@code since} set to the last chunk received, so nothing is replayed and a hole the server
 * can no longer fill arrives as a {@code gap}.
 */
final class PushReceiver {
    private final ShareApi api;
    private final Reception reception;
    private final Consumer<String> log;
    private final String codec;

    /** @param codec "pcm" or "opus": how audio events carry the audio */
    PushReceiver(ShareApi api, Reception reception, Consumer<String> log, String codec) {
        this.api = api;
        this.reception = reception;
        this.log = log;
        this.codec = codec;
    }

    /** Listens until the session ends or {@code deadlineNanos} passes; returns why it stopped. */
    String run(long deadlineNanos) throws IOException, InterruptedException {
        int failures = 0;
        while (System.nanoTime() < deadlineNanos) {
            try (InputStream events = reception.counted(api.events(reception.lastSequence(), codec))) {
                failures = 0;
                reception.onConnected();
                String ended = read(events, deadlineNanos);
                if (ended != null) return ended;
            } catch (ShareApi.ApiError e) {
                if (e.status() == 404 && reception.heardAnything()) return "stopped (session gone)";
                if (e.status() != 429 && e.status() < 500) throw e;
                failures = awaitReconnect(failures, e);
            } catch (IOException | UncheckedIOException e) {
                failures = awaitReconnect(failures, e);
            }
        }
        return "time limit";
    }

    /** The stream failed: pause under the same {@link RetryPolicy} as every request, or give up when it says so. */
    private int awaitReconnect(int failures, Exception failure) throws IOException {
        RetryPolicy retry = api.retryPolicy();
        String target = "GET " + api.baseUrl() + "/api/share/" + api.sessionId() + "/events";
        int attempt = failures + 1;
        if (attempt >= retry.attempts()) throw retry.gaveUp(target, failure);
        if (reception.heardAnything()) {
            log.accept("Stream dropped (" + ConnectionFailure.describe(failure) + "); resuming after sequence "
                    + reception.lastSequence());
        }
        retry.pauseAfter(attempt, target, ConnectionFailure.describe(failure));
        return attempt;
    }

    /** Reads events until {@code ended}; null when the stream closed or the time ran out first. */
    private String read(InputStream events, long deadlineNanos) throws IOException {
        String[] ended = {null};
        EventStreamReader.read(events, new EventStreamReader.Handler() {
            @Override
            public boolean onEvent(String name, String id, byte[] data, int length) throws IOException {
                JsonNode payload = ShareApi.JSON.readTree(data, 0, length);
                switch (name) {
                    case "metadata" -> reception.onMetadata(payload);
                    case "audio" -> reception.onChunk(payload);
                    case "gap" -> reception.onGap(payload.path("from").asLong(), payload.path("to").asLong());
                    case "ended" -> ended[0] = payload.path("reason").asText("ended");
                    case "reconnect" -> {
                        return false;
                    }
                    default -> { }
                }
                return ended[0] == null && System.nanoTime() < deadlineNanos;
            }

            @Override
            public boolean onComment() {
                return System.nanoTime() < deadlineNanos;
            }
        });
        return ended[0];
    }
}
