package dev.musicshare.lease;

import dev.musicshare.store.StoreUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the nodes agree which one of them records a session: a lease per recorded session, held by one node at a
 * time and renewed while it records, so that when the recorder dies (its lease runs out) another node takes the
 * recording over, continuing from the progress the dead one reported. On Redis the lease is a key shared by every
 * node ({@code dev.musicshare.redis.RedisRecordingLeases}); on the memory store, where there is one node, it is
 * trivially this node's ({@link LocalRecordingLeases}).
 *
 * <p>Every method but {@link #report} may throw {@link StoreUnavailableException} when Redis does not answer; the
 * caller then leaves recording as it is (a held lease runs out by itself).
 */
public interface RecordingLeases extends AutoCloseable {
    /** How long a lease lasts unless renewed: a dead recorder's session is taken over after at most this. */
    Duration LEASE_TIME = Duration.ofMillis(5_000);
    /** How often the holder renews it: three renewals fit in one lease, so one lost reply costs nothing. */
    Duration RENEW_EVERY = Duration.ofMillis(1_500);

    /**
     * One recorded session: its code and its start (a stopped code may be started again at once, and the new
     * session's recording is a different one).
     */
    record RecordedSession(String sessionId, long startedAt) {}

    /** This node's name in the leases it holds (host, process and a random part: unique per process). */
    String nodeId();

    /** Marks a session as recorded, so that any node may take its recording over. */
    void register(RecordedSession session);

    /** The recorded sessions whose recording has not finished, on any node. */
    List<RecordedSession> recorded();

    /** Takes the session's lease if no node holds it; true when this node holds it now. */
    boolean acquire(RecordedSession session);

    /** Extends this node's lease by {@link #LEASE_TIME}; false when it is no longer this node's. */
    boolean renew(RecordedSession session);

    /** Gives the lease up (only if this node holds it), so another node may take the recording over at once. */
    void release(RecordedSession session);

    /**
     * Records how far this node's recording got, if it still holds the lease; never waits and never throws (a
     * report lost to a Redis failure only makes a taker-over's missed stretch look longer).
     */
    void report(RecordedSession session, RecordingProgress progress);

    /** The progress the session's last recorder reported, if any. */
    Optional<RecordingProgress> progress(RecordedSession session);

    /** The session's recording is over for good (the session ended, or the disk refused): forgets it everywhere. */
    void finished(RecordedSession session);

    @Override
    void close();
}
