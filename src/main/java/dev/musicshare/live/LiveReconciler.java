package dev.musicshare.live;

import dev.musicshare.share.CatchUp;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.ShareService;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a session's push connections on this node up to date from the store after their event feed was
 * interrupted: Redis pub/sub delivers nothing while a subscriber is disconnected (a killed connection, the pub/sub
 * output-buffer limit, a network blip, a failover), and says nothing about it. Each connection then gets the chunks
 * after its last one (or a {@code gap}), the latest metadata, and {@code ended} if the session stopped or expired
 * meanwhile.
 *
 * <p>The subscription often comes back before the store does: after a Sentinel failover the pub/sub connection and
 * each of the store's connections find the new master independently, up to a reconnect delay apart. So a store
 * that does not answer yet is asked again (every {@link #FIRST_RETRY} doubling to {@link #MAX_RETRY}) for up to
 * {@link #PATIENCE}, while the connections stay open, hold what they hear live and still get heartbeats. Sending
 * them {@code reconnect} at once would only move the wait to the listeners, whose reconnection then meets a 503 —
 * in 2 of 3 test runs of issue #16 exactly that happened. Past the patience they are sent {@code reconnect} and
 * resume with {@code since} by themselves.
 */
public final class LiveReconciler {
    private static final Logger log = LoggerFactory.getLogger(LiveReconciler.class);
    /** How long a store that does not answer is waited for; above a Sentinel failover with a 1-5 s detection. */
    static final Duration PATIENCE = Duration.ofSeconds(30);
    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration MAX_RETRY = Duration.ofSeconds(1);

    private final ShareService shares;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    /** Connections waiting to be reconciled, by session; a session here has one reconciliation under way. */
    private final Map<String, Waiting> waiting = new HashMap<>();

    /** A session's held connections, and how many interruptions asked for them to be reconciled. */
    private static final class Waiting {
        final Set<LiveConnection> connections = new HashSet<>();
        long requests;
    }

    /**
     * @param executor where the store is read (never a Redis event-loop thread, which must not block)
     * @param scheduler what times the retries (only hands them to {@code executor})
     */
    public LiveReconciler(ShareService shares, Executor executor, ScheduledExecutorService scheduler) {
        this.shares = shares;
        this.executor = executor;
        this.scheduler = scheduler;
    }

    /**
     * Reconciles {@code connections}, which already hold live events ({@link LiveConnection#holdLiveEvents}), so
     * that anything heard from now on is queued after what is read from the store. A session already being
     * reconciled takes the connections into that reconciliation (one read of the store at a time per session).
     */
    void reconcile(String sessionId, Collection<LiveConnection> connections) {
        boolean start;
        synchronized (waiting) {
            Waiting session = waiting.get(sessionId);
            start = session == null;
            if (start) waiting.put(sessionId, session = new Waiting());
            session.connections.addAll(connections);
            session.requests++;
        }
        if (start) submit(new Attempt(new SessionId(sessionId), System.nanoTime() + PATIENCE.toNanos()), 0);
    }

    private void submit(Attempt attempt, long delayMillis) {
        try {
            if (delayMillis == 0) executor.execute(attempt);
            else scheduler.schedule(() -> submit(attempt, 0), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            attempt.giveUp("this node is stopping");
        }
    }

    /** One session's reconciliation: reads the store until it answers or the patience runs out. */
    private final class Attempt implements Runnable {
        private final SessionId id;
        private final long deadline;
        private long nextDelay = FIRST_RETRY.toMillis();
        private int failures;

        Attempt(SessionId id, long deadline) {
            this.id = id;
            this.deadline = deadline;
        }

        @Override
        public void run() {
            List<LiveConnection> batch;
            long requests;
            synchronized (waiting) {
                Waiting session = waiting.get(id.value());
                if (session == null) return; // given up meanwhile
                batch = List.copyOf(session.connections);
                requests = session.requests;
            }
            long since = batch.stream().mapToLong(LiveConnection::lastQueuedSequence).min().orElse(-1);
            CatchUp catchUp;
            try {
                catchUp = shares.catchUp(id, since, null);
            } catch (RuntimeException e) {
                retryOrGiveUp(e);
                return;
            }
            synchronized (waiting) {
                Waiting session = waiting.get(id.value());
                if (session == null) return;
                if (session.requests != requests) {
                    // Interrupted again (or more connections held) while the store was read: this read may predate
                    // events lost since. The connections still hold everything heard live, so read once more.
                    submit(this, 0);
                    return;
                }
                for (LiveConnection connection : batch) {
                    connection.finishCatchUp(CatchUpEvents.backlog(id, catchUp, connection.lastQueuedSequence()));
                    CatchUpEvents.ending(catchUp).ifPresent(connection::finish);
                }
                waiting.remove(id.value());
            }
            log.atInfo().addKeyValue("sessionId", id).addKeyValue("connections", batch.size())
                    .addKeyValue("state", catchUp.state()).addKeyValue("storeRetries", failures)
                    .log("push listeners reconciled after live events resumed");
        }

        private void retryOrGiveUp(RuntimeException e) {
            if (failures++ == 0) {
                log.atInfo().addKeyValue("sessionId", id).log("push listeners held until the store answers: {}",
                        e.getMessage());
            }
            if (System.nanoTime() + nextDelay * 1_000_000 > deadline) {
                giveUp("the store did not answer within " + PATIENCE.toSeconds() + " s: " + e.getMessage());
                return;
            }
            long delay = nextDelay;
            nextDelay = Math.min(MAX_RETRY.toMillis(), nextDelay * 2);
            submit(this, delay);
        }

        /** Without the store the missed events cannot be told: the listeners resume by themselves, with since. */
        void giveUp(String why) {
            Set<LiveConnection> connections;
            synchronized (waiting) {
                Waiting session = waiting.remove(id.value());
                if (session == null) return;
                connections = session.connections;
            }
            log.atWarn().addKeyValue("sessionId", id).addKeyValue("connections", connections.size())
                    .log("push listeners not reconciled, asked to reconnect: {}", why);
            LiveEvent reconnect = LiveEvent.reconnect("live events were interrupted");
            connections.forEach(connection -> connection.finish(reconnect));
        }
    }
}
