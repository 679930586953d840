package dev.musicshare.store;

import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** One session's state in the memory store. Every method holds the session's monitor, so each is atomic. */
final class MemorySession {
    private final String id;
    private final String senderKeyHash;
    private final StoreSettings settings;
    private final long startTime;
    private final String epoch = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    private boolean active = true;
    private long lastActivity;
    private long stoppedAt;
    private long bytesReceived;
    private long chunksReceived;
    private int peakListeners;

    private Map<String, String> metadata = Map.of();
    private long metadataUpdatedAt;
    private final ReleasingBuffer audio;
    private final SessionTimeline timeline = new SessionTimeline();
    private long lastChunkAt;
    private final Map<String, Long> listenerLastSeen = new HashMap<>();
    private final Map<String, String> listenerNames = new HashMap<>();

    MemorySession(String id, String senderKeyHash, long now, StoreSettings settings) {
        this.id = id;
        this.senderKeyHash = senderKeyHash;
        this.settings = settings;
        this.startTime = now;
        this.lastActivity = now;
        this.audio = new ReleasingBuffer(settings);
    }

    synchronized boolean isActive(long now) {
        return active && now < lastActivity + settings.sessionTimeout().toMillis();
    }

    synchronized boolean isVisible(long now) {
        return isActive(now) || (!active && now < stoppedAt + settings.stopGrace().toMillis());
    }

    synchronized SessionRecord record() {
        return new SessionRecord(id, active, startTime, lastActivity, stoppedAt, bytesReceived, chunksReceived,
                peakListeners, epoch);
    }

    synchronized WriteOutcome putMetadata(Map<String, String> fields, String presentedKeyHash, long now) {
        WriteOutcome refusal = refuseWrite(presentedKeyHash, now);
        if (refusal != null) return refusal;
        metadata = Map.copyOf(fields);
        metadataUpdatedAt = now;
        lastActivity = now;
        return WriteOutcome.WRITTEN;
    }

    synchronized AppendResult appendChunk(StoredChunk chunk, long decodedBytes, String presentedKeyHash, long now) {
        WriteOutcome refusal = refuseWrite(presentedKeyHash, now);
        if (refusal != null) return AppendResult.refused(refusal);
        if (!audioAlive(now)) audio.clear(); // the buffer's TTL ran out: as in Redis, it starts afresh
        AppendResult result = audio.append(chunk, now);
        lastChunkAt = now;
        lastActivity = now;
        bytesReceived += decodedBytes;
        chunksReceived++;
        return result;
    }

    synchronized TimelinePlacement placeOnTimeline(long sequenceNumber, long durationMicros, long senderTimestamp,
            String presentedKeyHash, long nowMicros) {
        WriteOutcome refusal = refuseWrite(presentedKeyHash, nowMicros / 1000);
        if (refusal != null) return new TimelinePlacement(refusal, 0);
        return new TimelinePlacement(WriteOutcome.WRITTEN,
                timeline.place(sequenceNumber, durationMicros, senderTimestamp, nowMicros));
    }

    synchronized Released releaseDue(long now) {
        if (!isVisible(now) || !audioAlive(now)) return Released.NOTHING;
        return audio.releaseDue(now);
    }

    synchronized StopResult stop(String presentedKeyHash, long now) {
        if (!isVisible(now)) return StopResult.refused(WriteOutcome.NOT_FOUND);
        if (!keyMatches(presentedKeyHash)) return StopResult.refused(WriteOutcome.FORBIDDEN);
        if (active) {
            active = false;
            stoppedAt = now;
        }
        return new StopResult(WriteOutcome.WRITTEN, record());
    }

    synchronized MetadataRead readMetadata(String listenerId, long now) {
        seen(listenerId, now);
        boolean fresh = now < metadataUpdatedAt + settings.metadataTtl().toMillis();
        return new MetadataRead(true, fresh ? metadata : Map.of());
    }

    synchronized List<BufferedChunk> readChunks(long since, String listenerId, long now) {
        seen(listenerId, now);
        if (!audioAlive(now)) return List.of();
        return audio.readReleased(since);
    }

    synchronized CatchUpRead catchUp(long since, String listenerId, long now) {
        MetadataRead metadata = readMetadata(listenerId, now);
        List<StoredChunk> chunks = audioAlive(now) ? audio.releasedAfter(since) : List.of();
        return new CatchUpRead(true, active, metadata.fields(), chunks, audio.released());
    }

    synchronized void touchListeners(Collection<String> listenerIds, long now) {
        listenerIds.forEach(listenerId -> seen(listenerId, now));
    }

    synchronized void nameListeners(Map<String, String> displayNames) {
        listenerNames.putAll(displayNames);
    }

    synchronized List<String> listenerNames(long now) {
        long from = now - settings.listenerWindow().toMillis();
        return listenerLastSeen.entrySet().stream().filter(seen -> seen.getValue() > from)
                .map(seen -> listenerNames.get(seen.getKey())).filter(java.util.Objects::nonNull).toList();
    }

    synchronized int listenerCount(long now) {
        long from = now - settings.listenerWindow().toMillis();
        int count = (int) listenerLastSeen.values().stream().filter(seenAt -> seenAt > from).count();
        peakListeners = Math.max(peakListeners, count);
        return count;
    }

    private WriteOutcome refuseWrite(String presentedKeyHash, long now) {
        if (!isVisible(now)) return WriteOutcome.NOT_FOUND;
        if (!keyMatches(presentedKeyHash)) return WriteOutcome.FORBIDDEN;
        if (!active) return WriteOutcome.NOT_ACTIVE;
        return null;
    }

    /** No key presented passes (the domain decides whether one is required); a presented one must match. */
    private boolean keyMatches(String presentedKeyHash) {
        return presentedKeyHash == null || presentedKeyHash.equals(senderKeyHash);
    }

    private boolean audioAlive(long now) {
        return now < lastChunkAt + settings.audioTtl().toMillis();
    }

    /** Records a listener; a null id (a status check, not a listener) records nothing. */
    private void seen(String listenerId, long now) {
        // A stopped session (its grace period) records nobody: a page opened after the end is not a listener.
        if (listenerId == null || !active) return;
        listenerLastSeen.put(listenerId, now);
        // Forget listeners gone quiet, so a session polled by many short-lived clients stays small.
        long from = now - settings.listenerWindow().toMillis();
        for (Iterator<Long> it = listenerLastSeen.values().iterator(); it.hasNext(); ) {
            if (it.next() <= from) it.remove();
        }
        listenerNames.keySet().retainAll(listenerLastSeen.keySet());
    }
}
