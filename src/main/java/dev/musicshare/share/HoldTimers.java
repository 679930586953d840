package dev.musicshare.share;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each session's held-back audio falls due. Kept by the node that appended the held chunks: it is the one that
 * knows a hole exists. (Should that node die, the next append to the session releases what is due.)
 */
final class HoldTimers {
    private final ConcurrentHashMap<SessionId, Long> dueAt = new ConcurrentHashMap<>();

    /** Records the session's current deadline (ms since the epoch); 0 clears it. */
    void schedule(SessionId id, long holdUntil) {
        if (holdUntil <= 0) dueAt.remove(id);
        else dueAt.put(id, holdUntil);
    }

    /**
     * Sessions whose deadline has passed. They stay scheduled until a release reports the next deadline, so a
     * release that fails is tried again on the next look.
     */
    List<SessionId> due(long now) {
        List<SessionId> due = new ArrayList<>();
        dueAt.forEach((id, at) -> {
            if (at <= now) due.add(id);
        });
        return due;
    }
}
