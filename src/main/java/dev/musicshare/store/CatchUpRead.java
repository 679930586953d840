package dev.musicshare.store;

import java.util.List;
import java.util.Map;

/**
 * Everything a push listener needs to catch up with a session, read in one atomic step: its state, its metadata and
 * the released chunks after the listener's last one.
 *
 * @param found    false when no session holds the id (never started, expired, or past its stop grace period)
 * @param active   false once the sender stopped it
 * @param metadata the stored metadata fields, empty when none is live
 * @param chunks   released chunks newer than the {@code since} asked for, in sequence order
 * @param released the session's release frontier: the highest sequence number listeners may have had (-1: none).
 *                 Higher than every chunk returned when the buffer no longer holds the newest ones (its TTL ran
 *                 out), so a listener can tell that it missed them
 */
public record CatchUpRead(boolean found, boolean active, Map<String, String> metadata, List<StoredChunk> chunks,
        long released) {
    public static final CatchUpRead NO_SESSION = new CatchUpRead(false, false, Map.of(), List.of(), -1);
}
