package dev.musicshare.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Every metric the server reports, by name, in one place, on a Prometheus registry scraped at {@code /metrics}.
 * Meters are created once here, so counting on the hot path is a field access and an atomic add.
 */
public final class ShareMetrics {
    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final Counter chunksReceived;
    private final Counter audioBytesReceived;
    private final Counter chunksServed;
    private final Counter bytesServed;
    private final Counter chunksReadFromCache;
    private final Counter chunksReadFromRedis;
    private final Counter pushEvents;
    private final Counter pushBytes;
    private final Counter metadataUpdates;
    private final Counter sessionsStarted;
    private final Counter sessionsStopped;
    private final Counter sessionsExpired;
    private final Counter pcmBytesOut;
    private final Counter opusBytesOut;
    private final Counter streamListenersDropped;
    private final Counter encoderCpuSeconds;
    private final Counter encoderSkippedChunks;
    private final Timer audioDelivery;
    private final DistributionSummary chunkSize;

    private ShareMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
        this.registry = registry;
        this.prometheus = prometheus;
        chunksReceived = counter("musicshare.audio.chunks.received", "Audio chunks accepted from senders");
        audioBytesReceived = counter("musicshare.audio.bytes.received", "Decoded audio bytes accepted from senders");
        chunksServed = counter("musicshare.audio.chunks.served", "Audio chunks answered to polling listeners");
        bytesServed = counter("musicshare.audio.bytes.served", "Bytes of audio JSON answered to polling listeners");
        chunksReadFromCache = Counter.builder("musicshare.store.chunks.read").tag("source", "cache")
                .description("Chunks answered to pollers, by where the node took them from").register(registry);
        chunksReadFromRedis = Counter.builder("musicshare.store.chunks.read").tag("source", "redis")
                .description("Chunks answered to pollers, by where the node took them from").register(registry);
        pushEvents = counter("musicshare.push.events.sent", "Events written to push listeners");
        pushBytes = counter("musicshare.push.bytes.sent", "Bytes written to push listeners");
        pcmBytesOut = Counter.builder("musicshare.listener.bytes.sent").tag("codec", "pcm")
                .description("Bytes written to push and stream listeners, by the audio codec they receive")
                .register(registry);
        opusBytesOut = Counter.builder("musicshare.listener.bytes.sent").tag("codec", "opus")
                .description("Bytes written to push and stream listeners, by the audio codec they receive")
                .register(registry);
        streamListenersDropped = counter("musicshare.stream.listeners.dropped",
                "stream.ogg listeners disconnected for falling behind the live stream");
        encoderCpuSeconds = Counter.builder("musicshare.opus.encoder.cpu").baseUnit("seconds")
                .description("CPU time spent encoding Opus (resampling included) on this node").register(registry);
        encoderSkippedChunks = counter("musicshare.opus.encoder.skipped.chunks",
                "Chunks the Opus encoder skipped because it fell behind the live stream (overload): silence in the "
                        + "streams, a gap event to Opus push listeners");
        metadataUpdates = counter("musicshare.metadata.updates", "Metadata updates accepted from senders");
        sessionsStarted = counter("musicshare.sessions.started", "Sessions started");
        sessionsStopped = counter("musicshare.sessions.stopped", "Sessions stopped by their sender");
        sessionsExpired = counter("musicshare.sessions.expired", "Sessions expired for inactivity");
        audioDelivery = Timer.builder("musicshare.push.audio.delivery")
                .description("Audio event arrival on this node to hand-off to a listener's socket")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram().register(registry);
        chunkSize = DistributionSummary.builder("musicshare.audio.chunk.bytes").description("Decoded size of chunks")
                .baseUnit("bytes").register(registry);
    }

    /** The production registry: Prometheus, with JVM and process meters. */
    public static ShareMetrics prometheus() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(prometheus);
        new JvmGcMetrics().bindTo(prometheus);
        new JvmThreadMetrics().bindTo(prometheus);
        new ProcessorMetrics().bindTo(prometheus);
        return new ShareMetrics(prometheus, prometheus);
    }

    /** Counting without exposition, for tests of parts that take metrics. */
    public static ShareMetrics inMemory() {
        return new ShareMetrics(new SimpleMeterRegistry(), null);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return prometheus == null ? "" : prometheus.scrape();
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void chunkReceived(long decodedBytes) {
        chunksReceived.increment();
        audioBytesReceived.increment(decodedBytes);
        chunkSize.record(decodedBytes);
    }

    public void chunksServed(int chunks, long bytes) {
        chunksServed.increment(chunks);
        bytesServed.increment(bytes);
    }

    /** How many chunks of a poll the Redis store took from its own memory and how many Redis had to send. */
    public void chunksRead(int fromCache, int fromRedis) {
        chunksReadFromCache.increment(fromCache);
        chunksReadFromRedis.increment(fromRedis);
    }

    public void pushed(int bytes) {
        pushEvents.increment();
        pushBytes.increment(bytes);
        pcmBytesOut.increment(bytes);
    }

    /**
     * How long an audio event waited on this node, from arriving here (a sender's POST or the Redis channel) to being
     * handed to one listener's socket: the server's own share of push latency, whatever the listeners' side costs.
     */
    public void audioDelivered(long nanosSinceArrival) {
        audioDelivery.record(nanosSinceArrival, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Bytes of Ogg Opus written to a stream.ogg listener. */
    public void streamBytesSent(int bytes) {
        opusBytesOut.increment(bytes);
    }

    /** Bytes of Opus push events written to a listener. */
    public void opusPushed(int bytes) {
        pushEvents.increment();
        opusBytesOut.increment(bytes);
    }

    public void streamListenerDropped() {
        streamListenersDropped.increment();
    }

    /** CPU time one encoder call took, in nanoseconds. */
    public void encoderCpu(long nanos) {
        if (nanos > 0) encoderCpuSeconds.increment(nanos / 1e9);
    }

    /** Chunks an Opus encoder skipped because it fell behind (this node is overloaded). */
    public void encoderSkipped(long chunks) {
        if (chunks > 0) encoderSkippedChunks.increment(chunks);
    }

    public void metadataUpdated() {
        metadataUpdates.increment();
    }

    public void sessionStarted() {
        sessionsStarted.increment();
    }

    public void sessionStopped() {
        sessionsStopped.increment();
    }

    public void sessionExpired() {
        sessionsExpired.increment();
    }

    /** An HTTP request, by route pattern (not path: session ids would explode the label space) and status. */
    public void request(String method, String route, int status, Duration took) {
        Timer.builder("http.server.requests").description("HTTP requests by route and status")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .publishPercentileHistogram().register(registry).record(took);
        if (status >= 400) {
            registry.counter("musicshare.http.errors", "status", Integer.toString(status), "route", route).increment();
        }
    }

    public void rateLimited(String limit) {
        registry.counter("musicshare.rate.limited", "limit", limit).increment();
    }

    /** Times one store operation (a Redis script and its round trip). */
    public Timer storeOperation(String operation) {
        return Timer.builder("musicshare.store.operation").description("Store operation latency")
                .tags("operation", operation).publishPercentileHistogram().register(registry);
    }

    /** A gauge read at scrape time; NaN while its source cannot answer (Redis down), rather than a failed scrape. */
    public void gauge(String name, String description, Supplier<Number> value) {
        gauge(name, description, io.micrometer.core.instrument.Tags.empty(), value);
    }

    /** {@link #gauge(String, String, Supplier)} for one of several series of a name, told apart by {@code tags}. */
    public void gauge(String name, String description, io.micrometer.core.instrument.Tags tags,
            Supplier<Number> value) {
        io.micrometer.core.instrument.Gauge.builder(name, () -> {
            try {
                return value.get();
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }).description(description).tags(tags).register(registry);
    }

    /** One batch of session history written: its steps, and how long the transaction took. */
    public void historyWritten(int steps, Duration took) {
        registry.counter("musicshare.history.steps.written").increment(steps);
        Timer.builder("musicshare.history.write").description("Session-history batch transactions")
                .publishPercentiles(0.5, 0.99).register(registry).record(took);
    }

    /** A history batch could not be written (the database is down); it is kept and tried again. */
    public void historyWriteFailed() {
        registry.counter("musicshare.history.write.failures").increment();
    }

    /** History steps held for the database, and those dropped because the bound was reached during an outage. */
    public void historyBacklog(Supplier<Number> pending, Supplier<Number> dropped) {
        gauge("musicshare.history.pending", "Session-history steps waiting for the database", pending);
        io.micrometer.core.instrument.FunctionCounter.builder("musicshare.history.steps.dropped", dropped,
                value -> value.get().doubleValue())
                .description("Session-history steps dropped while the database was unreachable (HISTORY_MAX_PENDING)")
                .register(registry);
    }

    /** A recording (a track's file) was completed: its size on disk. */
    public void recordingFinished(long bytes) {
        counter("musicshare.recordings.finished", "Recordings (track files) completed on this node").increment();
        Counter.builder("musicshare.recordings.bytes").baseUnit("bytes")
                .description("Bytes of completed recordings written by this node").register(registry).increment(bytes);
    }

    /**
     * A session's recording stopped early on this node: {@code reason} "write" (the disk refused: full, read-only,
     * gone), "queue" (the disk fell so far behind that the writer's queue filled), "start", or "lease" (this node
     * could no longer be sure it held the session's recording lease; another node continues it).
     */
    public void recordingFailed(String reason) {
        Counter.builder("musicshare.recordings.failed").tag("reason", reason)
                .description("Session recordings stopped early by a disk that refused or fell behind")
                .register(registry).increment();
    }

    /** This node took over a session's recording from a node whose lease ran out; {@code salvaged}: its file too. */
    public void recordingTakenOver(boolean salvaged) {
        Counter.builder("musicshare.recordings.takeovers").tag("salvaged", String.valueOf(salvaged))
                .description("Session recordings this node took over from a recorder whose lease ran out")
                .register(registry).increment();
    }

    /** A recording lease could not be acquired, renewed or given up because Redis did not answer. */
    public void recordingLeaseError() {
        counter("musicshare.recordings.lease.errors", "Recording lease operations that failed because Redis did not "
                + "answer").increment();
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }
}
