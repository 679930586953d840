package dev.musicshare.bench;

import dev.musicshare.reception.EventStreamReader;
import dev.musicshare.reception.SequenceTally;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One real-time sender and L push listeners (Server-Sent Events): latency from the sender's send to receipt. */
final class PushBench {
    /** Enough of a chunk's JSON to hold its closing timestamp and sequence number. */
    private static final int TAIL_BYTES = 128;
    /** The end of a chunk's JSON: the sender's timestamp, the presentation time when pushed, the sequence number. */
    private static final Pattern SENT_AND_SEQUENCE = Pattern.compile(
            "\"timestamp\":(\\d+)(?:,\"presentationTime\":[0-9.]+)?,\"sequenceNumber\":(\\d+)}$");

    private PushBench() {}

    static BenchResult run(BenchTarget target, int listeners, int chunkMillis, int seconds, ChunkFactory chunks)
            throws Exception {
        String id = "620000";
        target.stop(id);
        if (target.start(id) != 200) throw new IllegalStateException("could not start session " + id);
        LatencyStats latency = new LatencyStats();
        AtomicLong failures = new AtomicLong();
        List<SequenceTally> tallies = new ArrayList<>();
        CountDownLatch connected = new CountDownLatch(listeners);
        List<Thread> threads = new ArrayList<>();
        for (int l = 0; l < listeners; l++) {
            SequenceTally tally = new SequenceTally();
            tallies.add(tally);
            String listener = "push-" + l;
            Thread thread = new Thread(() -> listen(target, id, listener, tally, latency, connected, failures),
                    listener);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        if (!connected.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("listeners did not connect");
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        RealTimeSender sender = new RealTimeSender(target, id, chunks, chunkMillis, deadline);
        long began = System.nanoTime();
        sender.start();
        sender.join();
        Thread.sleep(500);
        target.stop(id); // listeners hear "ended" and their streams close
        for (Thread thread : threads) thread.join(10_000);
        double elapsed = (System.nanoTime() - began) / 1e9;
        long lost = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long delivered = 0;
        for (SequenceTally tally : tallies) {
            lost += tally.lost(sender.lastAccepted());
            duplicates += tally.duplicates();
            outOfOrder += tally.outOfOrder();
            delivered += tally.received();
        }
        return new BenchResult("push", target.baseUrl())
                .put("listeners", listeners)
                .put("chunks_per_second_in", (sender.lastAccepted() + 1) / elapsed)
                .put("chunks_per_second_out", delivered / elapsed)
                .put("latency_p50_ms", latency.percentileMillis(50))
                .put("latency_p95_ms", latency.percentileMillis(95))
                .put("latency_p99_ms", latency.percentileMillis(99))
                .put("latency_max_ms", latency.percentileMillis(100))
                .put("lost", lost).put("duplicated", duplicates).put("out_of_order", outOfOrder)
                .put("http_errors", failures.get() + sender.errors());
    }

    /**
     * Reads one SSE stream; of each audio event only the data's last bytes (the timestamp and sequence number, which
     * end every chunk's JSON) are decoded: decoding 47 KB of JSON per chunk would measure the tool, not the server.
     */
    private static void listen(BenchTarget target, String id, String listener, SequenceTally tally,
            LatencyStats latency, CountDownLatch connected, AtomicLong failures) {
        try {
            HttpResponse<InputStream> stream = target.eventStream(id, listener);
            connected.countDown();
            if (stream.statusCode() != 200) {
                failures.incrementAndGet();
                return;
            }
            try (InputStream in = stream.body()) {
                EventStreamReader.read(in, (name, eventId, data, length) -> {
                    if (!name.equals("audio")) return !name.equals("ended");
                    long received = ChunkFactory.nowMicros();
                    int tail = Math.min(length, TAIL_BYTES);
                    Matcher end = SENT_AND_SEQUENCE.matcher(
                            new String(data, length - tail, tail, StandardCharsets.US_ASCII));
                    if (end.find()) {
                        tally.receive(Long.parseLong(end.group(2)));
                        latency.add(received - Long.parseLong(end.group(1)));
                    }
                    return true;
                });
            }
        } catch (Exception e) {
            connected.countDown();
            failures.incrementAndGet();
        }
    }
}
