package dev.musicshare.lease;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The leases of a single node (the memory store): every recorded session is this node's, so the lease is only the
 * list of recorded sessions; nothing is ever taken over. Progress is kept so a recording broken off on this node
 * (its encoding stopped while the session goes on) continues in a new part as it would on another node.
 */
public final class LocalRecordingLeases implements RecordingLeases {
    private final Map<RecordedSession, Optional<RecordingProgress>> recorded = new ConcurrentHashMap<>();

    @Override
    public String nodeId() {
        return "this-node";
    }

    @Override
    public void register(RecordedSession session) {
        recorded.putIfAbsent(session, Optional.empty());
    }

    @Override
    public List<RecordedSession> recorded() {
        return List.copyOf(recorded.keySet());
    }

    @Override
    public boolean acquire(RecordedSession session) {
        return recorded.containsKey(session);
    }

    @Override
    public boolean renew(RecordedSession session) {
        return recorded.containsKey(session);
    }

    @Override
    public void release(RecordedSession session) {}

    @Override
    public void report(RecordedSession session, RecordingProgress progress) {
        recorded.computeIfPresent(session, (s, old) -> Optional.of(progress));
    }

    @Override
    public Optional<RecordingProgress> progress(RecordedSession session) {
        return recorded.getOrDefault(session, Optional.empty());
    }

    @Override
    public void finished(RecordedSession session) {
        recorded.remove(session);
    }

    @Override
    public void close() {}
}
