package dev.musicshare.share;

import dev.musicshare.store.ShareStore;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is listening by name: listeners' display names are written to the store when they first appear (and again now
 * and then, so a store that lost them learns them back), not on every poll; status shows them as "Alice, Bob and 3
 * others" data.
 */
final class DisplayNames {
    /** A name is written again after this long, in case the store forgot it (a restarted Redis). */
    private static final long REWRITE_MILLIS = 60_000;
    /** Names shown by status; the rest are counted among the others. */
    static final int SHOWN = 10;
    private static final int MAX_REMEMBERED = 100_000;

    private final ShareStore store;
    private final ConcurrentHashMap<String, Written> written = new ConcurrentHashMap<>();

    DisplayNames(ShareStore store) {
        this.store = store;
    }

    /** Records the names of the listeners that carry one, unless this node wrote the same name lately. */
    void record(SessionId id, Collection<ListenerId> listeners, long now) {
        Map<String, String> changed = new HashMap<>();
        for (ListenerId listener : listeners) {
            if (listener.displayName() == null) continue;
            String key = id.value() + "\n" + listener.value();
            Written last = written.get(key);
            if (last != null && last.name().equals(listener.displayName()) && now - last.at() < REWRITE_MILLIS) continue;
            changed.put(listener.value(), listener.displayName());
        }
        if (changed.isEmpty()) return;
        store.nameListeners(id.value(), changed, now);
        if (written.size() > MAX_REMEMBERED) written.clear(); // only saves writes
        changed.forEach((listener, name) -> written.put(id.value() + "\n" + listener, new Written(name, now)));
    }

    /** The names of the listeners there now, sorted case-insensitively, at most {@link #SHOWN}. */
    List<String> shown(SessionId id, long now) {
        return store.listenerNames(id.value(), now).stream()
                .sorted(String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder()))
                .limit(SHOWN).toList();
    }

    /** Forgets what this node wrote for a session that ended, so a new life of the id is named afresh. */
    void forget(SessionId id) {
        written.keySet().removeIf(key -> key.startsWith(id.value() + "\n"));
    }

    private record Written(String name, long at) {}
}
