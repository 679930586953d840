package dev.musicshare.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.musicshare.reception.SequenceTally;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** S real-time senders, each followed by L pollers asking every P ms for what is newer than what they have. */
final class PollBench {
    private static final JsonFactory JSON = new JsonFactory();

    private PollBench() {}

    static BenchResult run(BenchTarget target, LoadTest.Options options, ChunkFactory chunks) throws Exception {
        int sessions = options.sessions();
        int pollersPerSession = options.listeners();
        int pollMillis = options.pollMillis();
        int seconds = options.seconds();
        LatencyStats latency = new LatencyStats();
        AtomicLong metadataRequests = new AtomicLong();
        AtomicLong metadataErrors = new AtomicLong();
        byte[] metadata = metadataBody(options.thumbnailBytes());
        AtomicLong polls = new AtomicLong();
        AtomicLong pollErrors = new AtomicLong();
        AtomicLong bytesOut = new AtomicLong();
        List<RealTimeSender> senders = new ArrayList<>();
        List<List<SequenceTally>> tallies = new ArrayList<>();
        ScheduledExecutorService pollers = Executors.newScheduledThreadPool(Math.min(256, sessions * pollersPerSession));
        for (int s = 0; s < sessions; s++) {
            String id = sessionId(s);
            target.stop(id);
            if (target.start(id) != 200) throw new IllegalStateException("could not start session " + id);
            if (options.metadataMillis() > 0) {
                // Fixed rate and not waiting on the previous post: the desktop app lets them overlap.
                pollers.scheduleAtFixedRate(() -> count(() -> target.postMetadata(id, metadata), metadataRequests,
                        metadataErrors), 0, options.metadataMillis(), TimeUnit.MILLISECONDS);
            }
            List<SequenceTally> sessionTallies = new ArrayList<>();
            for (int l = 0; l < pollersPerSession; l++) {
                SequenceTally tally = new SequenceTally();
                sessionTallies.add(tally);
                String listener = "poller-" + s + "-" + l;
                pollers.scheduleAtFixedRate(() -> {
                    try {
                        HttpResponse<byte[]> reply = target.poll(id, tally.highest(), listener);
                        polls.incrementAndGet();
                        if (reply.statusCode() == 200) {
                            bytesOut.addAndGet(reply.body().length);
                            read(reply.body(), tally, latency);
                        }
                        else if (reply.statusCode() != 204) pollErrors.incrementAndGet();
                    } catch (RuntimeException e) {
                        pollErrors.incrementAndGet();
                    }
                }, ThreadLocalRandom.current().nextInt(pollMillis), pollMillis, TimeUnit.MILLISECONDS);
                if (options.metadataMillis() > 0) {
                    pollers.scheduleAtFixedRate(() -> count(() -> target.metadata(id, listener), metadataRequests,
                            metadataErrors), ThreadLocalRandom.current().nextInt(options.metadataPollMillis()),
                            options.metadataPollMillis(), TimeUnit.MILLISECONDS);
                }
            }
            tallies.add(sessionTallies);
        }
        // The run is timed from here: setting up many sessions under their pollers' load may take seconds.
        long began = System.nanoTime();
        long deadline = began + seconds * 1_000_000_000L;
        for (int s = 0; s < sessions; s++) {
            senders.add(new RealTimeSender(target, sessionId(s), chunks, options.chunkMillis(), deadline));
        }
        senders.forEach(Thread::start);
        for (RealTimeSender sender : senders) sender.join();
        Thread.sleep(pollMillis + 500L); // the last chunks' polls
        pollers.shutdown(); // cancels the periodic tasks; requests in flight finish (an interrupt would count as an error)
        pollers.awaitTermination(10, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - began) / 1e9;
        long lost = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long delivered = 0;
        long accepted = 0;
        long senderErrors = 0;
        for (int s = 0; s < sessions; s++) {
            RealTimeSender sender = senders.get(s);
            accepted += sender.lastAccepted() + 1;
            senderErrors += sender.errors();
            for (SequenceTally tally : tallies.get(s)) {
                lost += tally.lost(sender.lastAccepted());
                duplicates += tally.duplicates();
                outOfOrder += tally.outOfOrder();
                delivered += tally.received();
            }
            target.stop(sessionId(s));
        }
        return new BenchResult("poll", target.baseUrl())
                .put("listeners", sessions * pollersPerSession)
                .put("chunks_per_second_in", accepted / elapsed)
                .put("polls_per_second", polls.get() / elapsed)
                .put("chunks_per_second_out", delivered / elapsed)
                .put("mb_per_second_out", bytesOut.get() / elapsed / 1e6)
                .put("latency_p50_ms", latency.percentileMillis(50))
                .put("latency_p95_ms", latency.percentileMillis(95))
                .put("latency_p99_ms", latency.percentileMillis(99))
                .put("latency_max_ms", latency.percentileMillis(100))
                .put("lost", lost).put("duplicated", duplicates).put("out_of_order", outOfOrder)
                .put("metadata_requests_per_second", metadataRequests.get() / elapsed)
                .put("http_errors", pollErrors.get() + senderErrors + metadataErrors.get());
    }

    private static String sessionId(int index) {
        return String.valueOf(610_000 + index);
    }

    /** Runs one request; a 4xx/5xx (404 before the first metadata is fine) or an exception counts as an error. */
    private static void count(java.util.function.Supplier<HttpResponse<byte[]>> request, AtomicLong done,
            AtomicLong errors) {
        try {
            int status = request.get().statusCode();
            done.incrementAndGet();
            if (status >= 400 && status != 404) errors.incrementAndGet();
        } catch (RuntimeException e) {
            errors.incrementAndGet();
        }
    }

    /** Metadata as the desktop app posts it: full lyrics and the full cover art every time. */
    private static byte[] metadataBody(int thumbnailBytes) {
        byte[] cover = new byte[thumbnailBytes];
        new java.util.Random(7).nextBytes(cover);
        cover[0] = (byte) 0xFF; // a JPEG's first bytes
        cover[1] = (byte) 0xD8;
        String lyrics = "[00:00.00]La la la\\n".repeat(60);
        return ("{\"title\":\"Bench Song\",\"artist\":\"Bench Artist\",\"lyrics\":\"" + lyrics
                + "\",\"hasSyncedLyrics\":true,\"elapsedSeconds\":12.5,\"totalSeconds\":200,\"thumbnailData\":\""
                + java.util.Base64.getEncoder().encodeToString(cover) + "\",\"timestamp\":"
                + System.currentTimeMillis() + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Reads sequence numbers and send times from a poll's JSON array, skipping the audio itself. */
    private static void read(byte[] body, SequenceTally tally, LatencyStats latency) {
        long receivedMicros = ChunkFactory.nowMicros();
        try (JsonParser json = JSON.createParser(body)) {
            long sequence = -1;
            long sent = 0;
            JsonToken token;
            while ((token = json.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    json.nextToken();
                    if (field.equals("sequenceNumber")) sequence = json.getLongValue();
                    else if (field.equals("timestamp")) sent = json.getLongValue();
                } else if (token == JsonToken.END_OBJECT && sequence >= 0) {
                    tally.receive(sequence);
                    latency.add(receivedMicros - sent);
                    sequence = -1;
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable poll answer", e);
        }
    }
}
