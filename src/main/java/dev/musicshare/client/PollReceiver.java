package dev.musicshare.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** Receives a session by polling, as the desktop receiver does: audio every poll, metadata twice a second. */
final class PollReceiver {
    private static final long METADATA_EVERY_NANOS = 500_000_000L;

    private final ShareApi api;
    private final Reception reception;
    private final int pollMillis;

    PollReceiver(ShareApi api, Reception reception, int pollMillis) {
        this.api = api;
        this.reception = reception;
        this.pollMillis = pollMillis;
    }

    /** Polls until the session ends or {@code deadlineNanos} passes; returns why it stopped. */
    String run(long deadlineNanos) throws IOException, InterruptedException {
        long nextMetadata = 0;
        while (System.nanoTime() < deadlineNanos) {
            long began = System.nanoTime();
            try {
                if (began >= nextMetadata) {
                    JsonNode current = api.metadata();
                    if (current != null) reception.onMetadata(current);
                    nextMetadata = began + METADATA_EVERY_NANOS;
                }
                JsonNode batch = api.audioSince(reception.lastSequence());
                for (JsonNode chunk : batch) reception.onChunk(chunk);
                if (batch.isEmpty() && !api.status().path("isActive").asBoolean(true)) return "stopped";
            } catch (ShareApi.ApiError e) {
                if (e.status() == 404 && reception.heardAnything()) return "stopped (session gone)";
                throw e;
            }
            long wait = pollMillis - (System.nanoTime() - began) / 1_000_000;
            if (wait > 0) Thread.sleep(wait);
        }
        return "time limit";
    }
}
