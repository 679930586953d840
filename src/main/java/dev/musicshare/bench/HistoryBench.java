package dev.musicshare.bench;

import dev.musicshare.config.DatabaseUrl;
import dev.musicshare.config.HistorySettings;
import dev.musicshare.history.SessionHistory;
import dev.musicshare.history.SessionPage;
import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.share.Metadata;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.SessionObserver;
import dev.musicshare.share.SessionStats;
import dev.musicshare.share.ShareEvents;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Session-history write load, without HTTP: {@code sessions} senders as the desktop app sends (a 0.5 s chunk twice
 * a second, metadata four times a second, a new track every {@code trackSeconds}), each chunk sent on to
 * {@code listeners} pollers, told to a real {@link SessionHistory} in real time for {@code seconds}, with a
 * listener sample every {@code sampleSeconds}. Reports what the request path paid per call (median and p99 over the
 * quarter-second ticks, each tick's calls timed together), what the history
 * thread spent (CPU, transactions and their times), and what was stored.
 */
public final class HistoryBench {
    /** A desktop chunk: 0.5 s of 44.1 kHz stereo float, decoded. */
    private static final long CHUNK_BYTES = 22_050L * 2 * 4;
    private static final long CHUNK_MICROS = 500_000;
    /** The chunk's JSON as pollers receive it (base64 of the above, with its fields). */
    private static final long CHUNK_JSON_BYTES = 235_276;
    private static final long TICK_MILLIS = 250;

    public record Options(int sessions, int seconds, int listeners, int trackSeconds, int sampleSeconds,
            DatabaseUrl database, Path directory) {}

    private HistoryBench() {}

    public static Map<String, Double> run(Options options) throws InterruptedException {
        ShareMetrics metrics = ShareMetrics.inMemory();
        HistorySettings settings = new HistorySettings(options.database(), options.directory(),
                Duration.ofSeconds(options.sampleSeconds()), 10_000);
        List<SessionId> ids = new ArrayList<>();
        for (int i = 0; i < options.sessions(); i++) ids.add(new SessionId(String.format("%06d", 700_000 + i)));
        long started = System.currentTimeMillis();
        List<SessionStats> live = ids.stream().map(id -> new SessionStats(id.value(), 0, options.listeners(),
                options.listeners(), 0, 0, started)).toList();
        SessionHistory history = SessionHistory.open(settings, Clock.systemUTC(), false, metrics);
        history.start(() -> live);
        SessionObserver observer = history.observer();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long writerCpuBefore = writerCpuNanos(threads);
        long calls = 0;
        List<Double> nanosPerCall = new ArrayList<>(); // per tick: the first ticks run before the JIT has compiled

        for (SessionId id : ids) observer.started(id, System.currentTimeMillis());
        long ticks = options.seconds() * 1000L / TICK_MILLIS;
        long next = System.nanoTime();
        for (long tick = 0; tick < ticks; tick++) {
            long now = System.currentTimeMillis();
            int track = (int) ((tick * TICK_MILLIS) / 1000 / options.trackSeconds());
            Metadata playing = new Metadata("Track " + track, "Bench Artist", null, false, 0, 0, null, now);
            long began = System.nanoTime();
            long callsBefore = calls;
            for (SessionId id : ids) {
                // Four metadata posts a second; a chunk every other tick, polled by every listener.
                observer.metadataChanged(id, playing, now);
                calls++;
                if (tick % 2 == 0) {
                    observer.chunkReceived(id, CHUNK_BYTES, CHUNK_MICROS);
                    calls++;
                    for (int listener = 0; listener < options.listeners(); listener++) {
                        observer.audioSent(id, SessionObserver.CODEC_PCM, CHUNK_JSON_BYTES);
                        calls++;
                    }
                }
            }
            nanosPerCall.add((System.nanoTime() - began) / (double) (calls - callsBefore));
            next += TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
            long wait = next - System.nanoTime();
            if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
        }
        for (SessionId id : ids) {
            observer.ended(id, ShareEvents.EndReason.STOPPED, System.currentTimeMillis(), options.listeners());
        }
        boolean written = history.flushNow();
        long writerCpu = writerCpuNanos(threads) - writerCpuBefore;
        SessionPage page = history.queries().sessions(started - 1, Long.MAX_VALUE, 1_000, 0);
        history.close();

        Timer writes = metrics.registry().find("musicshare.history.write").timer();
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("sessions", (double) options.sessions());
        figures.put("seconds", (double) options.seconds());
        figures.put("observer_calls", (double) calls);
        nanosPerCall.sort(null);
        figures.put("observer_ns_per_call_median", nanosPerCall.get(nanosPerCall.size() / 2));
        figures.put("observer_ns_per_call_p99", nanosPerCall.get((int) (nanosPerCall.size() * 0.99)));
        figures.put("batches", writes == null ? 0 : (double) writes.count());
        figures.put("batches_per_second", writes == null ? 0 : writes.count() / (double) options.seconds());
        figures.put("transaction_mean_ms", writes == null ? 0 : writes.mean(TimeUnit.MILLISECONDS));
        if (writes != null) {
            for (ValueAtPercentile percentile : writes.takeSnapshot().percentileValues()) {
                figures.put("transaction_p" + Math.round(percentile.percentile() * 100) + "_ms",
                        percentile.value(TimeUnit.MILLISECONDS));
            }
        }
        figures.put("writer_cpu_seconds", writerCpu / 1e9);
        figures.put("writer_cpu_share_of_a_core", writerCpu / 1e9 / options.seconds());
        figures.put("steps_written", metrics.registry().counter("musicshare.history.steps.written").count());
        figures.put("all_written", written ? 1.0 : 0.0);
        figures.put("records", (double) page.total());
        figures.put("chunks_recorded", (double) page.sessions().stream().mapToLong(s -> s.chunksIn()).sum());
        figures.put("tracks_recorded", (double) page.sessions().stream().mapToInt(s -> s.tracks()).sum());
        return figures;
    }

    /** CPU time of the history writer's thread ("music-share-history"), or 0 when it has not started. */
    private static long writerCpuNanos(ThreadMXBean threads) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("music-share-history")) return threads.getThreadCpuTime(thread.getId());
        }
        return 0;
    }
}
