package dev.musicshare.redis;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this node remembers of each session's cover art (thumbnailData, often 30 KB or more), so that the same
 * cover does not cross the network again and again: senders repeat metadata up to 4 times a second with the same
 * cover, and the desktop receiver reads metadata twice a second per listener. Redis stays the authority: a cover is
 * left out of a write or a read only while its {@code thumbnailVersion} (a content hash) is the stored one.
 */
final class CoverCaches {
    static final String VERSION = "thumbnailVersion";
    static final String DATA = "thumbnailData";
    private static final int MAX_REMEMBERED_SESSIONS = 10_000;

    /** A cover this node read, by its version. */
    record Cover(String version, String data) {}

    private final int maxSessions;
    /** The cover version this node last wrote per session. */
    private final ConcurrentHashMap<String, String> written = new ConcurrentHashMap<>();
    /** The cover this node last read per session. */
    private final ConcurrentHashMap<String, Cover> read = new ConcurrentHashMap<>();

    /** @param maxSessions live sessions at most: bounds what is remembered of covers read */
    CoverCaches(int maxSessions) {
        this.maxSessions = maxSessions;
    }

    /** The fields without the cover when this node wrote this cover version last (else null: send them whole). */
    Map<String, String> withoutCoverWrittenHere(String id, Map<String, String> fields) {
        String version = fields.get(VERSION);
        if (version == null || !version.equals(written.get(id))) return null;
        Map<String, String> withoutCover = new HashMap<>(fields);
        withoutCover.remove(DATA);
        return withoutCover;
    }

    /** Remembers the cover version a write stored (null: the session has no cover now). */
    void wrote(String id, String version) {
        if (version == null) {
            written.remove(id);
            return;
        }
        if (written.size() >= MAX_REMEMBERED_SESSIONS) written.clear(); // only an optimisation
        written.put(id, version);
    }

    /** The cover this node holds for the session, or null. */
    Cover held(String id) {
        return read.get(id);
    }

    /** The version a read names so that Redis may leave the cover out ('' for none held). */
    static String versionOf(Cover held) {
        return held == null ? "" : held.version();
    }

    /** Puts back the cover Redis left out because this node holds it, or remembers the one Redis sent. */
    Map<String, String> filledIn(String id, Cover held, Map<String, String> fields) {
        String version = fields.get(VERSION);
        String data = fields.get(DATA);
        if (version != null && data == null && held != null && version.equals(held.version())) {
            fields.put(DATA, held.data()); // left out by Redis: the version says it is the one held
        } else if (version != null && data != null) {
            // Bounded like the sessions it belongs to; clearing only costs a full read of each cover once more.
            if (read.size() >= 2 * maxSessions) read.clear();
            read.put(id, new Cover(version, data));
        } else {
            read.remove(id);
        }
        return fields;
    }

    void forget(String id) {
        written.remove(id);
        read.remove(id);
    }
}
