package dev.musicshare.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gagravarr.ogg.OggPacket;
import org.gagravarr.ogg.OggPacketReader;
import org.gagravarr.opus.OpusInfo;

/**
 * Receives a session as a media player does: {@code GET stream.ogg}, demultiplexed with vorbis-java's Ogg reader,
 * each logical stream's {@code OpusHead} starting a decoder, its audio packets decoded in order ({@link OpusAudio}).
 * A dropped stream is not resumed (a player would start over with a new burst of audio it already has): the listen
 * ends and says so.
 */
final class StreamReceiver {
    private final ShareApi api;
    private final OpusAudio audio;
    private final ByteCounter counter;

    StreamReceiver(ShareApi api, OpusAudio audio, ByteCounter counter) {
        this.api = api;
        this.audio = audio;
        this.counter = counter;
    }

    /**
     * Listens until the stream ends or {@code deadlineNanos} passes; returns why it stopped. The deadline holds even
     * when nothing arrives (a session with no audio yet on a server that sends no silence, a stalled proxy): the
     * stream is closed under the blocked read when it passes.
     */
    String run(long deadlineNanos) throws IOException {
        InputStream opened = counter.counting(openWithRetries());
        try (InputStream ogg = opened; AutoCloseable watchdog = closeAt(deadlineNanos, opened)) {
            OggPacketReader packets = new OggPacketReader(ogg);
            OggPacket packet;
            while (System.nanoTime() < deadlineNanos && (packet = packets.getNextPacket()) != null) {
                byte[] data = packet.getData();
                if (startsWith(data, "OpusHead")) {
                    OpusInfo head = new OpusInfo(packet);
                    audio.onOggHead(head.getNumChannels(), head.getPreSkip());
                } else if (!startsWith(data, "OpusTags")) {
                    audio.onOggPacket(data, packet.getGranulePosition(), packet.isEndOfStream());
                    if (packet.isEndOfStream()) return "stopped (end of stream)"; // the plain stream never chains
                }
            }
            return System.nanoTime() < deadlineNanos ? "stream closed by the server" : "time limit";
        } catch (IOException | UncheckedIOException e) {
            if (System.nanoTime() >= deadlineNanos) return "time limit"; // the watchdog closed the stream
            throw e instanceof UncheckedIOException unchecked ? unchecked.getCause() : (IOException) e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // only the watchdog's close declares Exception; it throws none
        } finally {
            audio.finish();
        }
    }

    /**
     * Closes {@code stream} once {@code deadlineNanos} passes, unless the returned handle is closed first (no timer
     * without a deadline). Closing the response's stream is what wakes a read blocked on it.
     */
    private static AutoCloseable closeAt(long deadlineNanos, InputStream stream) {
        if (deadlineNanos == Long.MAX_VALUE) return () -> { };
        AtomicBoolean over = new AtomicBoolean();
        long delay = Math.max(0, deadlineNanos - System.nanoTime());
        CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS).execute(() -> {
            if (over.getAndSet(true)) return;
            try {
                stream.close();
            } catch (IOException e) {
                // closing only to wake the reader, which ends either way
            }
        });
        return () -> over.set(true);
    }

    /** Connecting is retried under the clients' {@link RetryPolicy} (the server may be restarting). */
    private InputStream openWithRetries() throws IOException {
        RetryPolicy retry = api.retryPolicy();
        String target = "GET " + api.baseUrl() + "/api/share/" + api.sessionId() + "/stream.ogg";
        for (int attempt = 1; ; attempt++) {
            try {
                return api.oggStream();
            } catch (ShareApi.ApiError e) {
                if (e.status() != 429 && e.status() < 500) throw e;
                if (attempt >= retry.attempts()) throw retry.gaveUp(target, e);
                retry.pauseAfter(attempt, target, ConnectionFailure.describe(e));
            } catch (IOException e) {
                if (attempt >= retry.attempts()) throw retry.gaveUp(target, e);
                retry.pauseAfter(attempt, target, ConnectionFailure.describe(e));
            }
        }
    }

    private static boolean startsWith(byte[] data, String magic) {
        byte[] expected = magic.getBytes(StandardCharsets.US_ASCII);
        if (data.length < expected.length) return false;
        for (int i = 0; i < expected.length; i++) if (data[i] != expected[i]) return false;
        return true;
    }
}
