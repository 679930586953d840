package dev.musicshare.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where sessions, metadata, audio buffers and listener presence live. Every method is atomic with respect to the
 * others for one session, on one node or many. Times are epoch millis passed in by the caller, so the memory store
 * can be driven by a test clock; a Redis store additionally keeps real TTLs on its keys.
 *
 * <p>Sender writes take the digest of the sender key the request presented, or null when it presented none; a
 * digest that does not match the session's is refused with {@link WriteOutcome#FORBIDDEN}. Whether a key is
 * required at all is the domain's decision, made before the store is asked.
 *
 * <p>Any method may throw {@link StoreUnavailableException} when the backing store cannot be reached.
 */
public interface ShareStore extends AutoCloseable {

    /**
     * Starts a session unless an active one holds the id or the live-session limit is reached. The session keeps
     * {@code senderKeyHash} (a digest of its sender key); a write that presents a digest must match it.
     */
    StartOutcome start(String id, String senderKeyHash, long now);

    /** The session's state, if it exists (active, or stopped and within its grace period). */
    Optional<SessionRecord> session(String id, long now);

    /** Replaces the session's metadata (fields absent from the map are removed) and refreshes its timeouts. */
    WriteOutcome putMetadata(String id, Map<String, String> fields, String senderKeyHash, long now);

    /**
     * Adds a chunk to the session's buffer and releases to listeners what is now in order. A chunk with the same
     * sequence number is replaced; the buffer keeps the newest chunks by sequence number within both the chunk and
     * the duration cap; the session's counters grow by {@code decodedBytes} and one chunk.
     *
     * <p>Listeners get chunks in sequence order without holes: chunks after a missing sequence number are held back
     * until it arrives or the {@link StoreSettings#reorderWindow()} has passed, then the hole is skipped. A chunk
     * arriving after its place was passed is not buffered.
     */
    AppendResult appendChunk(String id, StoredChunk chunk, long decodedBytes, String senderKeyHash, long now);

    /**
     * Places a chunk on the session's timeline (see {@link SessionTimeline} for the rule) before it is appended, so
     * that its stored JSON can carry its presentation time. Refused as the append would be (unknown, stopped, a
     * wrong sender key), and then it changes nothing.
     *
     * @param senderTimestamp the chunk's {@code timestamp}, epoch millis on the sender's clock
     * @param nowMicros       the server's clock, epoch microseconds
     */
    TimelinePlacement placeOnTimeline(String id, long sequenceNumber, long durationMicros, long senderTimestamp,
            String senderKeyHash, long nowMicros);

    /** Skips holes whose reorder window has passed and returns what that releases. */
    Released releaseDue(String id, long now);

    /** Stops the session (idempotent) and returns its final state. */
    StopResult stop(String id, String senderKeyHash, long now);

    /** The session's metadata, recording {@code listenerId} as seen now (nothing is recorded when it is null). */
    MetadataRead readMetadata(String id, String listenerId, long now);

    /**
     * The released chunks with a sequence number greater than {@code since}, ordered by sequence number, recording
     * {@code listenerId} as seen now; empty when no session holds the id.
     */
    Optional<List<BufferedChunk>> readChunks(String id, long since, String listenerId, long now);

    /**
     * A push listener's catch-up: the session's state, its metadata and the released chunks after {@code since}
     * (-1: the whole buffer), read atomically and recording {@code listenerId} as seen now unless it is null.
     * Presence is best effort here: a store that cannot record it (a full Redis) still answers.
     */
    CatchUpRead catchUp(String id, long since, String listenerId, long now);

    /** Records listeners as seen now (push listeners, refreshed while connected); nothing when no session exists. */
    void touchListeners(String id, Collection<String> listenerIds, long now);

    /**
     * Remembers what listeners asked to be shown as (listener id to display name) for as long as the session lives;
     * nothing when no session holds the id.
     */
    void nameListeners(String id, Map<String, String> displayNames, long now);

    /** The display names of the listeners seen within the listener window, in no particular order. */
    List<String> listenerNames(String id, long now);

    /** Distinct listeners seen within the listener window. */
    int listenerCount(String id, long now);

    /** How many sessions are active now, across nodes (what MAX_SESSIONS limits). */
    int liveSessionCount(long now);

    /** The active sessions' states, for operators. */
    List<SessionRecord> liveSessions(long now);

    /** Removes active sessions idle past the session timeout and returns their ids (each reported by one node only). */
    List<String> expireIdleSessions(long now);

    /**
     * Checks that the store answers, part by part where it has parts.
     *
     * @return the parts that cannot serve: on a Redis Cluster the masters serving slots (as {@code host:port}) that
     *         did not answer within the command timeout or answered that the cluster is down — their sessions
     *         cannot be served meanwhile, the others can; empty when every part serves (always, for a store of one)
     * @throws StoreUnavailableException when no part serves
     */
    List<String> ping();

    /** A short name for logs and health: "memory" or "redis". */
    String kind();

    @Override
    void close();
}
