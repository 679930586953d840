package dev.musicshare.history;

import dev.musicshare.config.HistorySettings;
import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.share.SessionObserver;
import dev.musicshare.share.SessionStats;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session history: every session leaves a record (figures, tracks, listener samples) in a database, written off the
 * request path. Requests only update the {@link HistoryRecorder}; one thread of its own migrates the schema, samples
 * listener counts and writes what was recorded once a second, in one transaction per batch. When the database is
 * down, the batch is kept and retried (1 s, doubling to 10 s) while new steps gather up to the bound, and the relay
 * never notices.
 */
public final class SessionHistory implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionHistory.class);
    private static final long FLUSH_INTERVAL_MILLIS = 1_000;
    private static final long FIRST_RETRY_MILLIS = 1_000;
    private static final long LAST_RETRY_MILLIS = 10_000;
    /**
     * A batch that fails this often in a row while the database answers is at fault itself (a value the schema
     * refuses): it is dropped rather than block history for good. Fewer would drop a batch that failed only because
     * the database came back between the attempt and the check.
     */
    private static final int ATTEMPTS_BEFORE_DROPPING = 3;
    /**
     * Writes a session's steps wait for its record (another node inserts it) before they are given up: a session
     * that started before history existed, or whose start was dropped in an outage, never gets one.
     */
    private static final int WRITES_AWAITING_RECORD = 60;
    /** How often records past HISTORY_MAX_AGE_DAYS are looked for (also once the schema is ready). */
    private static final long RETENTION_INTERVAL_MILLIS = 3_600_000;
    /** How long a stopping server waits for its last batch. */
    private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(5);

    private final HistoryDatabase database;
    private final HistoryRecorder recorder;
    private final HistoryWriter writer;
    private final HistoryQueries queries;
    private final HistorySettings settings;
    private final boolean sessionsDieWithServer;
    private final Clock clock;
    private final ShareMetrics metrics;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread named = new Thread(runnable, "music-share-history");
        named.setDaemon(true);
        return named;
    });
    private final CountDownLatch schemaReady = new CountDownLatch(1);
    private Supplier<List<SessionStats>> liveSessions = List::of;
    // Touched only on the history thread:
    private Map<String, List<HistoryStep>> unwritten;
    private boolean migrated;
    private boolean failing;
    private long retryAtNanos;
    private long retryMillis = FIRST_RETRY_MILLIS;
    private int failuresWhileAnswering;
    private final Map<String, Integer> awaitingRecord = new java.util.HashMap<>();

    private SessionHistory(HistorySettings settings, HistoryDatabase database, boolean sessionsDieWithServer,
            Clock clock, ShareMetrics metrics) {
        this.settings = settings;
        this.database = database;
        this.sessionsDieWithServer = sessionsDieWithServer;
        this.clock = clock;
        this.metrics = metrics;
        this.recorder = new HistoryRecorder(settings.maxPending(), clock);
        this.writer = new HistoryWriter(database.dataSource());
        this.queries = new HistoryQueries(database.dataSource(), clock, schemaReady);
        metrics.historyBacklog(recorder::pending, recorder::dropped);
    }

    /**
     * Opens the database (without waiting for it to answer).
     *
     * @param sessionsDieWithServer true on the memory store: a session this server holds ends when it stops, and
     *                              records left open by a crash are closed as interrupted when it starts again
     */
    public static SessionHistory open(HistorySettings settings, Clock clock, boolean sessionsDieWithServer,
            ShareMetrics metrics) {
        return new SessionHistory(settings, HistoryDatabase.open(settings), sessionsDieWithServer, clock, metrics);
    }

    /** What the domain tells of each session. */
    public SessionObserver observer() {
        return recorder;
    }

    public HistoryQueries queries() {
        return queries;
    }

    /** "postgresql" or "sqlite /path/history.db". */
    public String description() {
        return database.description();
    }

    /** Starts writing and sampling; {@code live} lists the live sessions (all nodes') with their listener counts. */
    public void start(Supplier<List<SessionStats>> live) {
        this.liveSessions = live;
        thread.execute(this::flush); // migrates at once, so a fresh database has its tables before the first read
        thread.scheduleWithFixedDelay(this::flush, FLUSH_INTERVAL_MILLIS, FLUSH_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
        long interval = settings.sampleInterval().toMillis();
        long untilNextInterval = interval - Math.floorMod(clock.millis(), interval);
        thread.scheduleAtFixedRate(this::sample, untilNextInterval, interval, TimeUnit.MILLISECONDS);
        if (!settings.maxAge().isZero()) {
            thread.scheduleWithFixedDelay(this::removeOldRecords, 0, RETENTION_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        }
        log.atInfo().addKeyValue("database", database.description())
                .addKeyValue("sampleSeconds", settings.sampleInterval().toSeconds()).log("session history on");
    }

    /** Removes the records past HISTORY_MAX_AGE_DAYS now, on the history thread; how many (for tests). */
    public int removeOldRecordsNow() {
        try {
            return thread.submit(this::removeOldRecords).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (ExecutionException | TimeoutException e) {
            return 0;
        }
    }

    private int removeOldRecords() {
        if (!migrated || settings.maxAge().isZero()) return 0;
        try {
            int removed = writer.removeEndedBefore(clock.millis() - settings.maxAge().toMillis());
            if (removed > 0) {
                log.info("session history: {} records of sessions that ended over {} days ago removed "
                        + "(HISTORY_MAX_AGE_DAYS)", removed, settings.maxAge().toDays());
            }
            return removed;
        } catch (SQLException | RuntimeException e) {
            log.warn("session history: old records not removed ({}); tried again within the hour", e.getMessage());
            return 0;
        }
    }

    /** Writes everything recorded so far, on the history thread; true when it was written (for tests and benches). */
    public boolean flushNow() {
        try {
            thread.submit(this::flush).get(30, TimeUnit.SECONDS);
            return !failing && unwritten == null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** Ends the sessions that die with this server, writes what is left (waiting a few seconds at most), closes. */
    @Override
    public void close() {
        try {
            thread.submit(() -> {
                if (sessionsDieWithServer) recorder.interruptAll(currentSessions(), clock.millis());
                flush();
                if (unwritten != null || recorder.pending() > 0) {
                    log.warn("session history: {} steps not written at shutdown (the database is unreachable)",
                            recorder.pending());
                }
            }).get(CLOSE_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            log.warn("session history: last batch not written at shutdown: {}", e.toString());
        }
        thread.shutdownNow();
        database.close();
    }

    private List<SessionStats> currentSessions() {
        try {
            return liveSessions.get();
        } catch (RuntimeException e) { // the session store is down: no sample this time
            log.debug("live sessions not read for history: {}", e.getMessage());
            return List.of();
        }
    }

    private void sample() {
        long interval = settings.sampleInterval().toMillis();
        long now = clock.millis();
        recorder.sampleListeners(currentSessions(), now - Math.floorMod(now, interval), (int) (interval / 1000));
    }

    private void flush() {
        if (failing && System.nanoTime() < retryAtNanos) return;
        try {
            if (!migrated) prepare();
            if (unwritten == null) unwritten = recorder.drain();
            if (!unwritten.isEmpty()) {
                long began = System.nanoTime();
                Map<String, List<HistoryStep>> withoutRecord = writer.write(unwritten);
                int bounded = boundedSteps(unwritten) - boundedSteps(withoutRecord);
                recorder.released(bounded);
                metrics.historyWritten(bounded, Duration.ofNanos(System.nanoTime() - began));
                awaitingRecord.keySet().removeIf(sessionId -> unwritten.containsKey(sessionId)
                        && !withoutRecord.containsKey(sessionId));
                offerAgainOrGiveUp(withoutRecord);
            }
            unwritten = null;
            failuresWhileAnswering = 0;
            if (failing) log.info("session history: the database answers again; held history written");
            failing = false;
            retryMillis = FIRST_RETRY_MILLIS;
        } catch (SQLException | RuntimeException e) {
            failed(e);
        }
    }

    private void offerAgainOrGiveUp(Map<String, List<HistoryStep>> withoutRecord) {
        Map<String, List<HistoryStep>> again = new java.util.LinkedHashMap<>();
        withoutRecord.forEach((sessionId, steps) -> {
            if (awaitingRecord.merge(sessionId, 1, Integer::sum) <= WRITES_AWAITING_RECORD) {
                again.put(sessionId, steps);
            } else {
                awaitingRecord.remove(sessionId);
                recorder.released(boundedSteps(Map.of(sessionId, steps)));
                log.atInfo().addKeyValue("sessionId", sessionId).log("session history: no record for this session "
                        + "(it started before history was kept, or its start was lost); its figures are not kept");
            }
        });
        recorder.offerAgain(again);
    }

    /** Migrates the schema and, on the memory store, closes the records a crash left open. */
    private void prepare() throws SQLException {
        String version = database.migrate();
        log.atInfo().addKeyValue("database", database.description()).addKeyValue("schemaVersion", version)
                .log("session history database ready");
        if (sessionsDieWithServer) {
            int interrupted = writer.interruptOpenRecords();
            if (interrupted > 0) {
                log.info("session history: {} sessions left open by an earlier run closed as interrupted",
                        interrupted);
            }
        }
        migrated = true;
        schemaReady.countDown();
    }

    private void failed(Exception e) {
        metrics.historyWriteFailed();
        if (migrated && unwritten != null && databaseAnswers()
                && ++failuresWhileAnswering >= ATTEMPTS_BEFORE_DROPPING) {
            log.error("session history: a batch of {} sessions' steps was refused {} times by a database that answers; "
                    + "it is dropped", unwritten.size(), failuresWhileAnswering, e);
            recorder.released(boundedSteps(unwritten));
            unwritten = null;
            failuresWhileAnswering = 0;
            return;
        }
        if (!failing) {
            log.atWarn().addKeyValue("database", database.description()).addKeyValue("maxPending",
                    settings.maxPending()).log("session history paused, the database is unreachable ({}); the relay "
                            + "is unaffected and history is written when it answers", e.getMessage());
        }
        failing = true;
        retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retryMillis);
        retryMillis = Math.min(retryMillis * 2, LAST_RETRY_MILLIS);
    }

    private boolean databaseAnswers() {
        try (Connection connection = database.dataSource().getConnection()) {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private static int boundedSteps(Map<String, List<HistoryStep>> batch) {
        int count = 0;
        for (List<HistoryStep> steps : batch.values()) {
            for (HistoryStep step : steps) if (step.bounded()) count++;
        }
        return count;
    }
}
