package dev.musicshare.testing;

import static dev.musicshare.testing.AudioSamples.chunkJson;
import static org.awaitility.Awaitility.await;

import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.ApiClient.Reply;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A Redis master killed under load, as issue #16 describes it: two server nodes on a replicated Redis, a sender at
 * real pace (100 ms chunks every 100 ms) on node A, an SSE push listener on A, a WebSocket push listener and a
 * poller on B. Once every listener has chunks the master is killed; the runner waits for the promotion, reads which
 * of the session's chunks the new master holds (so it knows which acknowledged chunks the failover lost), restores
 * the killed node as a replica, lets the sender carry on for 20 acknowledged chunks, and waits (at most
 * {@link #SETTLE}) until every listener has every acknowledged chunk that was not lost, or a {@code gap} naming it.
 * The listeners behave as the reference clients do: a push stream that ends, or a connection answered 503, is
 * resumed with {@code since} after {@code Retry-After}.
 */
public final class FailoverUnderLoad {
    public static final String TOKEN = "failover-token";
    public static final String SESSION = "515151";
    /** 100 ms of 44.1 kHz stereo per chunk, sent every 100 ms: a real sender's pace. */
    private static final int FRAMES = 4_410;
    private static final Duration SETTLE = Duration.ofSeconds(20);

    /** How the test's Redis shape loses its master. */
    public interface Failover {
        /** The REDIS_URL of the shape. */
        String url();

        /** Takes down the master that holds the session's keys (SIGKILL, or SIGSTOP to freeze it); returns at once. */
        void kill();

        /** Waits until a replica of the killed master is promoted and answers as master. */
        void awaitPromotion();

        /** The sequence numbers of the session's chunks the promoted master holds ({@code …:audio:index}). */
        Set<Long> storedSequences(String sessionId);

        /** Brings the node taken down back as a replica and waits until the shape is whole again. */
        void restore();
    }

    /** What one push listener received. */
    public record PushListener(String name, Set<Long> received, List<long[]> gaps, AtomicInteger reconnects,
            AtomicInteger refusedConnects) {
        PushListener(String name) {
            this(name, new ConcurrentSkipListSet<>(), new CopyOnWriteArrayList<>(), new AtomicInteger(),
                    new AtomicInteger());
        }

        /** The sequence numbers neither received nor named by a gap: stretches the listener heard as silence. */
        public Set<Long> silent(Set<Long> expected) {
            Set<Long> silent = new TreeSet<>();
            for (long sequence : expected) {
                if (received.contains(sequence)) continue;
                if (gaps.stream().noneMatch(gap -> gap[0] <= sequence && sequence <= gap[1])) silent.add(sequence);
            }
            return silent;
        }

        public String describe() {
            List<String> ranges = new ArrayList<>();
            for (long[] gap : gaps) ranges.add(gap[0] + "-" + gap[1]);
            return name + ": " + received.size() + " chunks, gaps " + ranges + ", " + reconnects + " reconnect events, "
                    + refusedConnects + " connects refused";
        }
    }

    /**
     * @param acknowledged        sequence numbers the sender had a 200 for
     * @param afterPromotion      those acknowledged after the promoted master was read: written to it
     * @param lost                acknowledged before that read, yet not held by the promoted master
     * @param lostAfterPromotion  acknowledged after that read, yet missing from the store once the sender stopped
     *                            (a master that came back and took writes before it was demoted loses them)
     * @param refusals            every refused sender request ("503 Retry-After=1", or the exception)
     * @param refusedSeconds      from the first refused sender request to the last
     * @param silentUntilSettled  per listener, acknowledged chunks not lost that it neither got nor was told of
     *                            by a gap when {@link #SETTLE} ran out (empty when everything arrived)
     * @param silentLoss          per push listener, lost chunks it neither got (before the failover) nor was told
     *                            of by a gap: a loss it would hear as a skipped sequence number
     */
    public record Outcome(Set<Long> acknowledged, Set<Long> afterPromotion, Set<Long> lost,
            Set<Long> lostAfterPromotion, List<String> refusals, double refusedSeconds,
            List<PushListener> pushListeners, Set<Long> polled, Map<String, Set<Long>> silentUntilSettled,
            Map<String, Set<Long>> silentLoss, boolean nodesHealthy) {
        public Set<Long> acknowledgedNotLost() {
            Set<Long> kept = new TreeSet<>(acknowledged);
            kept.removeAll(lost);
            return kept;
        }

        public String describe() {
            StringBuilder out = new StringBuilder(String.format("%d sender requests refused over %.1f s; "
                    + "%d chunks acknowledged, %d of them lost %s; poller %d chunks", refusals.size(), refusedSeconds,
                    acknowledged.size(), lost.size(), lost, polled.size()));
            if (!lostAfterPromotion.isEmpty()) out.append("; LOST AFTER THE PROMOTION ").append(lostAfterPromotion);
            for (PushListener listener : pushListeners) out.append("; ").append(listener.describe());
            if (!silentUntilSettled.isEmpty()) out.append("; SILENT ").append(silentUntilSettled);
            if (!silentLoss.isEmpty()) out.append("; LOSS WITHOUT A GAP ").append(silentLoss);
            return out.toString();
        }
    }

    private FailoverUnderLoad() {}

    /** Runs the scenario on {@code failover}'s shape with {@code extraEnv} on both nodes. */
    public static Outcome run(Failover failover, Map<String, String> extraEnv) {
        Map<Long, Long> acknowledgedAt = new ConcurrentHashMap<>();
        List<String> refusals = new CopyOnWriteArrayList<>();
        AtomicLong firstRefusal = new AtomicLong();
        AtomicLong lastRefusal = new AtomicLong();
        Set<Long> polled = new ConcurrentSkipListSet<>();
        PushListener sse = new PushListener("SSE on node A");
        PushListener ws = new PushListener("WebSocket on node B");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean sending = new AtomicBoolean(true);
        boolean restored = false;
        try (MusicShareServer nodeA = node(failover.url(), extraEnv);
                MusicShareServer nodeB = node(failover.url(), extraEnv)) {
            ApiClient sender = new ApiClient(nodeA.port(), TOKEN);
            ApiClient poller = new ApiClient(nodeB.port(), TOKEN);
            Reply started = sender.postJson("/api/share/start", "{\"sessionId\":\"" + SESSION + "\"}");
            if (started.status() != 200) throw new IllegalStateException("start answered " + started);
            List<Thread> threads = List.of(
                    thread("sender", () -> send(sender, sending, acknowledgedAt, refusals, firstRefusal, lastRefusal)),
                    thread("poller", () -> poll(poller, running, polled)),
                    thread("sse-listener", () -> listen(sse, running, since -> SseTestClient.open(nodeA.port(),
                            "/api/share/" + SESSION + "/events?since=" + since, "Authorization", "Bearer " + TOKEN))),
                    thread("ws-listener", () -> listen(ws, running, since -> WsTestClient.open(nodeB.port(),
                            "/api/share/" + SESSION + "/ws?since=" + since, "Authorization", "Bearer " + TOKEN))));
            threads.forEach(Thread::start);
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> sse.received().size() >= 15
                        && ws.received().size() >= 15 && polled.size() >= 15);
                failover.kill();
                failover.awaitPromotion();
                long readAt = System.nanoTime();
                Set<Long> stored = failover.storedSequences(SESSION);
                failover.restore();
                restored = true;
                // The sender carries on by itself: 20 chunks acknowledged after the promoted master was read.
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        acknowledgedAt.values().stream().filter(at -> at > readAt).count() >= 20);
                sending.set(false);
                join(threads.get(0));

                Set<Long> acknowledged = new TreeSet<>(acknowledgedAt.keySet());
                Set<Long> afterPromotion = new TreeSet<>();
                Set<Long> lost = new TreeSet<>();
                acknowledgedAt.forEach((sequence, at) -> {
                    if (at > readAt) afterPromotion.add(sequence);
                    else if (!stored.contains(sequence)) lost.add(sequence);
                });
                // What the store holds once the sender stopped: an acknowledged chunk missing from it was lost after
                // the promotion (only those the buffer still spans can be told).
                Set<Long> finalStored = failover.storedSequences(SESSION);
                long oldestHeld = finalStored.stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
                Set<Long> lostAfterPromotion = new TreeSet<>();
                for (long sequence : afterPromotion) {
                    if (sequence >= oldestHeld && !finalStored.contains(sequence)) lostAfterPromotion.add(sequence);
                }
                Set<Long> expected = new TreeSet<>(acknowledged);
                expected.removeAll(lost);
                expected.removeAll(lostAfterPromotion);
                Map<String, Set<Long>> silent = settle(expected, List.of(sse, ws), polled);
                Map<String, Set<Long>> silentLoss = new HashMap<>();
                for (PushListener listener : List.of(sse, ws)) {
                    Set<Long> unnamed = listener.silent(lost);
                    if (!unnamed.isEmpty()) silentLoss.put(listener.name(), unnamed);
                }
                boolean healthy = sender.withAuthorization(null).get("/health").status() == 200
                        && poller.withAuthorization(null).get("/health").status() == 200;
                double refusedSeconds = refusals.isEmpty() ? 0 : (lastRefusal.get() - firstRefusal.get()) / 1e9;
                return new Outcome(acknowledged, afterPromotion, lost, lostAfterPromotion, List.copyOf(refusals),
                        refusedSeconds, List.of(sse, ws), Set.copyOf(polled), silent, silentLoss, healthy);
            } finally {
                sending.set(false);
                running.set(false);
                threads.forEach(FailoverUnderLoad::join);
            }
        } finally {
            if (!restored) failover.restore();
        }
    }

    /** Waits until every listener has every expected chunk or a gap naming it; what is still missing then. */
    private static Map<String, Set<Long>> settle(Set<Long> expected, List<PushListener> listeners, Set<Long> polled) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            Map<String, Set<Long>> silent = new HashMap<>();
            for (PushListener listener : listeners) {
                Set<Long> missing = listener.silent(expected);
                if (!missing.isEmpty()) silent.put(listener.name(), missing);
            }
            Set<Long> unpolled = new TreeSet<>(expected);
            unpolled.removeAll(polled);
            if (!unpolled.isEmpty()) silent.put("poller on node B", unpolled);
            if (silent.isEmpty() || System.nanoTime() > deadline) return silent;
            sleepUntil(System.nanoTime() + 100_000_000L);
        }
    }

    private static void send(ApiClient sender, AtomicBoolean sending, Map<Long, Long> acknowledgedAt,
            List<String> refusals, AtomicLong firstRefusal, AtomicLong lastRefusal) {
        long began = System.nanoTime();
        for (long sequence = 0; sending.get(); sequence++) {
            try {
                Reply reply = sender.postJson("/api/share/" + SESSION + "/audio", chunkJson(sequence, FRAMES));
                if (reply.status() == 200) {
                    acknowledgedAt.put(sequence, System.nanoTime());
                } else {
                    refusals.add(reply.status() + " Retry-After=" + reply.header("Retry-After"));
                    firstRefusal.compareAndSet(0, System.nanoTime());
                    lastRefusal.set(System.nanoTime());
                }
            } catch (RuntimeException e) {
                refusals.add(e.toString());
            }
            sleepUntil(began + (sequence + 1) * 100_000_000L);
        }
    }

    private static void poll(ApiClient poller, AtomicBoolean running, Set<Long> polled) {
        long highest = -1;
        while (running.get()) {
            try {
                Reply reply = poller.get("/api/share/" + SESSION + "/audio?since=" + highest, "X-Listener-Id",
                        "poller");
                if (reply.status() == 200) {
                    for (var chunk : reply.json()) {
                        long sequence = chunk.get("sequenceNumber").asLong();
                        polled.add(sequence);
                        highest = Math.max(highest, sequence);
                    }
                }
            } catch (RuntimeException e) {
                // the node is unreachable for a moment: poll again
            }
            sleepUntil(System.nanoTime() + 100_000_000L);
        }
    }

    /**
     * A push listener as the reference clients behave: resumes with {@code since} when its stream ends (a
     * {@code reconnect}, a drop), and after a refused connection (503 while the store is away) waits and retries.
     */
    private static void listen(PushListener listener, AtomicBoolean running, LongFunction<PushClient> open) {
        long last = -1;
        while (running.get()) {
            PushClient client;
            try {
                client = open.apply(last);
            } catch (RuntimeException refused) { // a WebSocket upgrade answered with an error status
                listener.refusedConnects().incrementAndGet();
                sleepUntil(System.nanoTime() + 1_000_000_000L);
                continue;
            }
            try (client) {
                if (client instanceof SseTestClient sse && sse.status() != 200) {
                    listener.refusedConnects().incrementAndGet();
                    sleepUntil(System.nanoTime() + sse.retryAfterSeconds() * 1_000_000_000L);
                    continue;
                }
                while (running.get() && !client.closedByServer()) {
                    PushEvent event = client.poll(Duration.ofMillis(200));
                    if (event == null) continue;
                    switch (event.name()) {
                        case "audio" -> {
                            listener.received().add(event.sequenceNumber());
                            last = Math.max(last, event.sequenceNumber());
                        }
                        case "gap" -> {
                            long to = event.data().get("to").asLong();
                            listener.gaps().add(new long[] {event.data().get("from").asLong(), to});
                            last = Math.max(last, to);
                        }
                        case "reconnect" -> listener.reconnects().incrementAndGet();
                        default -> { }
                    }
                }
            }
        }
    }

    private static MusicShareServer node(String redisUrl, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(Map.of("REDIS_URL", redisUrl, "PORT", "0", "BIND_ADDRESS",
                "127.0.0.1", "BEARER_TOKEN", TOKEN, "HISTORY_DIR", TestHistory.dir(),
                "AUDIO_BUFFER_CHUNKS", "200", "AUDIO_BUFFER_SECONDS", "20", "AUDIO_TTL_SECONDS", "60"));
        env.putAll(extraEnv);
        return MusicShareServer.start(Settings.from(env), Clock.systemUTC());
    }

    private static Thread thread(String name, Runnable body) {
        Thread thread = new Thread(body, "failover-" + name);
        thread.setDaemon(true);
        return thread;
    }

    private static void join(Thread thread) {
        try {
            thread.join(20_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait <= 0) return;
        try {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
