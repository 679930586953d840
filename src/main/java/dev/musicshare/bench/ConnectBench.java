package dev.musicshare.bench;

import dev.musicshare.reception.EventStreamReader;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Push listeners connecting over and over to one session that has metadata and a short buffer: how many connects a
 * server completes per second. A connect counts once the listener holds what a joiner is owed — the metadata and
 * every buffered chunk — and is then closed; each of {@code listeners} workers connects again at once. The buffer
 * is kept alive by posting its newest chunk again now and then (a chunk's TTL is {@code AUDIO_TTL_SECONDS}). The
 * first 3 s are a warm-up and are not counted.
 */
final class ConnectBench {
    private static final String SESSION = "630000";
    private static final long KEEP_ALIVE_NANOS = 2_000_000_000L;
    private static final long WARM_UP_NANOS = 3_000_000_000L;

    private ConnectBench() {}

    static BenchResult run(BenchTarget target, int listeners, int backlog, int seconds, ChunkFactory chunks)
            throws Exception {
        target.stop(SESSION);
        if (target.start(SESSION) != 200) throw new IllegalStateException("could not start session " + SESSION);
        byte[] metadata = "{\"title\":\"Connect bench\",\"artist\":\"Music Share\",\"album\":\"Bench\"}"
                .getBytes(StandardCharsets.US_ASCII);
        require(target.postMetadata(SESSION, metadata), "metadata");
        for (int sequence = 0; sequence < backlog; sequence++) {
            require(target.postChunk(SESSION, chunks.body(sequence, ChunkFactory.nowMicros())), "chunk " + sequence);
        }
        // Not counted: the load tool's own JIT warm-up made whichever server it measured first look slower.
        connectFor(target, listeners, backlog, WARM_UP_NANOS, chunks, new LatencyStats(), new AtomicLong(),
                new AtomicLong());
        LatencyStats latency = new LatencyStats();
        AtomicLong connects = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        long began = System.nanoTime();
        connectFor(target, listeners, backlog, seconds * 1_000_000_000L, chunks, latency, connects, failures);
        double elapsed = (System.nanoTime() - began) / 1e9;
        target.stop(SESSION);
        return new BenchResult("connect", target.baseUrl())
                .put("listeners", listeners)
                .put("backlog_chunks", backlog)
                .put("connects_per_second", connects.get() / elapsed)
                .put("connect_p50_ms", latency.percentileMillis(50))
                .put("connect_p95_ms", latency.percentileMillis(95))
                .put("connect_p99_ms", latency.percentileMillis(99))
                .put("failed_connects", failures.get());
    }

    /** {@code listeners} workers connecting in a loop for {@code nanos}, the buffer kept alive meanwhile. */
    private static void connectFor(BenchTarget target, int listeners, int backlog, long nanos, ChunkFactory chunks,
            LatencyStats latency, AtomicLong connects, AtomicLong failures) throws InterruptedException {
        long began = System.nanoTime();
        long deadline = began + nanos;
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < listeners; w++) {
            String listener = "connect-" + w;
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    if (connectOnce(target, listener, backlog, latency)) connects.incrementAndGet();
                    else failures.incrementAndGet();
                }
            }, listener);
            worker.setDaemon(true);
            workers.add(worker);
        }
        workers.forEach(Thread::start);
        long nextKeepAlive = began + KEEP_ALIVE_NANOS;
        while (System.nanoTime() < deadline) {
            Thread.sleep(50);
            if (System.nanoTime() >= nextKeepAlive) {
                require(target.postChunk(SESSION, chunks.body(backlog - 1, ChunkFactory.nowMicros())), "keep-alive");
                nextKeepAlive += KEEP_ALIVE_NANOS;
            }
        }
        for (Thread worker : workers) worker.join(30_000);
    }

    /** One connect: opens the event stream, reads until the metadata and {@code backlog} chunks arrived, closes. */
    private static boolean connectOnce(BenchTarget target, String listener, int backlog, LatencyStats latency) {
        long began = System.nanoTime();
        try {
            HttpResponse<InputStream> stream = target.eventStream(SESSION, listener);
            if (stream.statusCode() != 200) {
                stream.body().close();
                return false;
            }
            boolean[] gotMetadata = {false};
            int[] chunks = {0};
            try (InputStream in = stream.body()) {
                EventStreamReader.read(in, (name, eventId, data, length) -> {
                    if (name.equals("metadata")) gotMetadata[0] = true;
                    if (name.equals("audio")) chunks[0]++;
                    return !(gotMetadata[0] && chunks[0] >= backlog) && !name.equals("ended");
                });
            }
            if (!gotMetadata[0] || chunks[0] < backlog) return false;
            latency.add((System.nanoTime() - began) / 1_000);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static void require(HttpResponse<byte[]> response, String what) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(what + " refused: HTTP " + response.statusCode() + " "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
    }
}
