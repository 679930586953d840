package dev.musicshare.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded store: everything in this process's memory, for a single node that needs nothing else. Expiry is
 * decided from the {@code now} each call passes, so tests drive it with a clock instead of sleeping; entries past
 * their lifetime are invisible at once and reclaimed by {@link #expireIdleSessions(long)}.
 */
public final class MemoryShareStore implements ShareStore {
    private final StoreSettings settings;
    private final ConcurrentHashMap<String, MemorySession> sessions = new ConcurrentHashMap<>();
    /** Serialises starts, so the live-session count and the insert are one step (starts are rare). */
    private final Object startLock = new Object();

    public MemoryShareStore(StoreSettings settings) {
        this.settings = settings;
    }

    @Override
    public StartOutcome start(String id, String senderKeyHash, long now) {
        synchronized (startLock) {
            MemorySession existing = sessions.get(id);
            if (existing != null && existing.isActive(now)) return StartOutcome.IN_USE;
            long live = sessions.values().stream().filter(s -> s.isActive(now)).count();
            if (live >= settings.maxSessions()) return StartOutcome.FULL;
            sessions.put(id, new MemorySession(id, senderKeyHash, now, settings));
            return StartOutcome.STARTED;
        }
    }

    @Override
    public Optional<SessionRecord> session(String id, long now) {
        return visible(id, now).map(s -> s.record());
    }

    @Override
    public WriteOutcome putMetadata(String id, Map<String, String> fields, String senderKeyHash, long now) {
        MemorySession session = sessions.get(id);
        if (session == null) return WriteOutcome.NOT_FOUND;
        return session.putMetadata(fields, senderKeyHash, now);
    }

    @Override
    public AppendResult appendChunk(String id, StoredChunk chunk, long decodedBytes, String senderKeyHash, long now) {
        MemorySession session = sessions.get(id);
        if (session == null) return AppendResult.refused(WriteOutcome.NOT_FOUND);
        return session.appendChunk(chunk, decodedBytes, senderKeyHash, now);
    }

    @Override
    public TimelinePlacement placeOnTimeline(String id, long sequenceNumber, long durationMicros,
            long senderTimestamp, String senderKeyHash, long nowMicros) {
        MemorySession session = sessions.get(id);
        if (session == null) return new TimelinePlacement(WriteOutcome.NOT_FOUND, 0);
        return session.placeOnTimeline(sequenceNumber, durationMicros, senderTimestamp, senderKeyHash, nowMicros);
    }

    @Override
    public Released releaseDue(String id, long now) {
        MemorySession session = sessions.get(id);
        return session == null ? Released.NOTHING : session.releaseDue(now);
    }

    @Override
    public StopResult stop(String id, String senderKeyHash, long now) {
        MemorySession session = sessions.get(id);
        return session == null ? StopResult.refused(WriteOutcome.NOT_FOUND) : session.stop(senderKeyHash, now);
    }

    @Override
    public MetadataRead readMetadata(String id, String listenerId, long now) {
        return visible(id, now).map(s -> s.readMetadata(listenerId, now)).orElse(MetadataRead.NO_SESSION);
    }

    @Override
    public Optional<List<BufferedChunk>> readChunks(String id, long since, String listenerId, long now) {
        return visible(id, now).map(s -> s.readChunks(since, listenerId, now));
    }

    @Override
    public CatchUpRead catchUp(String id, long since, String listenerId, long now) {
        return visible(id, now).map(s -> s.catchUp(since, listenerId, now)).orElse(CatchUpRead.NO_SESSION);
    }

    @Override
    public void touchListeners(String id, Collection<String> listenerIds, long now) {
        visible(id, now).ifPresent(s -> s.touchListeners(listenerIds, now));
    }

    @Override
    public void nameListeners(String id, Map<String, String> displayNames, long now) {
        visible(id, now).ifPresent(session -> session.nameListeners(displayNames));
    }

    @Override
    public List<String> listenerNames(String id, long now) {
        return visible(id, now).map(session -> session.listenerNames(now)).orElse(List.of());
    }

    @Override
    public int listenerCount(String id, long now) {
        return visible(id, now).map(s -> s.listenerCount(now)).orElse(0);
    }

    @Override
    public int liveSessionCount(long now) {
        return (int) sessions.values().stream().filter(s -> s.isActive(now)).count();
    }

    @Override
    public List<SessionRecord> liveSessions(long now) {
        return sessions.values().stream().filter(s -> s.isActive(now)).map(MemorySession::record).toList();
    }

    @Override
    public List<String> expireIdleSessions(long now) {
        List<String> expired = new ArrayList<>();
        sessions.forEach((id, session) -> {
            if (session.isVisible(now)) return;
            boolean wasActive = session.record().active();
            if (sessions.remove(id, session) && wasActive) expired.add(id);
        });
        return expired;
    }

    @Override
    public List<String> ping() {
        return List.of(); // always reachable: it is this process
    }

    @Override
    public String kind() {
        return "memory";
    }

    @Override
    public void close() {
        sessions.clear();
    }

    private Optional<MemorySession> visible(String id, long now) {
        MemorySession session = sessions.get(id);
        return session != null && session.isVisible(now) ? Optional.of(session) : Optional.empty();
    }
}
