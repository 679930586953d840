package dev.musicshare.bench;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Flat-out ingest: each connection posts chunks to its own session as fast as the server answers. */
final class IngestBench {
    private IngestBench() {}

    static BenchResult run(BenchTarget target, int connections, int seconds, ChunkFactory chunks) throws Exception {
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            String id = String.valueOf(600_000 + i);
            target.stop(id); // left over from an earlier run
            if (target.start(id) != 200) throw new IllegalStateException("could not start session " + id);
            sessions.add(id);
        }
        AtomicLong accepted = new AtomicLong();
        ConcurrentHashMap<Integer, AtomicLong> errors = new ConcurrentHashMap<>();
        LatencyStats latency = new LatencyStats();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        long began = System.nanoTime();
        for (String session : sessions) {
            Thread worker = new Thread(() -> {
                for (long sequence = 0; System.nanoTime() < deadline; sequence++) {
                    long sent = System.nanoTime();
                    HttpResponse<byte[]> reply = target.postChunk(session, chunks.body(sequence, ChunkFactory.nowMicros()));
                    latency.add((System.nanoTime() - sent) / 1_000);
                    if (reply.statusCode() == 200) accepted.incrementAndGet();
                    else errors.computeIfAbsent(reply.statusCode(), s -> new AtomicLong()).incrementAndGet();
                }
            }, "ingest-" + session);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) worker.join();
        double elapsed = (System.nanoTime() - began) / 1e9;
        for (String session : sessions) target.stop(session);
        BenchResult result = new BenchResult("ingest", target.baseUrl())
                .put("chunks_per_second", accepted.get() / elapsed)
                .put("mb_per_second_in", accepted.get() * (double) chunks.size() / elapsed / 1e6)
                .put("request_p50_ms", latency.percentileMillis(50))
                .put("request_p99_ms", latency.percentileMillis(99))
                .put("http_errors", errors.values().stream().mapToLong(AtomicLong::get).sum());
        errors.forEach((status, count) -> result.put("http_" + status, count.get()));
        return result;
    }
}
