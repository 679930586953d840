package dev.musicshare.bench;

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
    private static final Pattern SENT_AND_SEQUENCE = Pattern.compile("\"timestamp\":(\\d+),\"sequenceNumber\":(\\d+)}$");

    private PushBench() {}

    static BenchResult run(BenchTarget target, int listeners, int chunkMillis, int seconds, ChunkFactory chunks)
            throws Exception {
        String id = "620000";
        target.stop(id);
        if (target.start(id) != 200) throw new IllegalStateException("could not start session " + id);
        LatencyStats latency = new LatencyStats();
        AtomicLong failures = new AtomicLong();
        List<ListenerTally> tallies = new ArrayList<>();
        CountDownLatch connected = new CountDownLatch(listeners);
        List<Thread> threads = new ArrayList<>();
        for (int l = 0; l < listeners; l++) {
            ListenerTally tally = new ListenerTally();
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
        for (ListenerTally tally : tallies) {
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
     * Reads one SSE stream as bytes: only each line's first bytes (the field name) and last bytes (the timestamp and
     * sequence number, which end every audio chunk's JSON) are looked at. Decoding 47 KB lines into strings costs the
     * load tool more CPU than the server spends sending them, and would measure the tool, not the server.
     */
    private static void listen(BenchTarget target, String id, String listener, ListenerTally tally,
            LatencyStats latency, CountDownLatch connected, AtomicLong failures) {
        try {
            HttpResponse<InputStream> stream = target.eventStream(id, listener);
            connected.countDown();
            if (stream.statusCode() != 200) {
                failures.incrementAndGet();
                return;
            }
            try (InputStream in = stream.body()) {
                byte[] buffer = new byte[1 << 16];
                byte[] head = new byte[16];
                byte[] tail = new byte[96];
                int headLength = 0;
                long lineLength = 0;
                boolean audio = false;
                for (int read; (read = in.read(buffer)) != -1; ) {
                    for (int i = 0; i < read; i++) {
                        byte b = buffer[i];
                        if (b != '\n') {
                            if (headLength < head.length) head[headLength++] = b;
                            tail[(int) (lineLength % tail.length)] = b;
                            lineLength++;
                            continue;
                        }
                        String field = new String(head, 0, headLength, StandardCharsets.US_ASCII);
                        if (field.startsWith("event: ")) {
                            audio = field.startsWith("event: audio");
                        } else if (audio && field.startsWith("data: ")) {
                            long received = ChunkFactory.nowMicros();
                            Matcher end = SENT_AND_SEQUENCE.matcher(lastBytes(tail, lineLength));
                            if (end.find()) {
                                tally.receive(Long.parseLong(end.group(2)));
                                latency.add(received - Long.parseLong(end.group(1)));
                            }
                        }
                        headLength = 0;
                        lineLength = 0;
                    }
                }
            }
        } catch (Exception e) {
            connected.countDown();
            failures.incrementAndGet();
        }
    }

    /** The last bytes of a line, in order, from the ring they were kept in. */
    private static String lastBytes(byte[] ring, long lineLength) {
        int count = (int) Math.min(ring.length, lineLength);
        byte[] ordered = new byte[count];
        for (int i = 0; i < count; i++) ordered[i] = ring[(int) ((lineLength - count + i) % ring.length)];
        return new String(ordered, StandardCharsets.US_ASCII);
    }
}
