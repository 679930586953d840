package dev.musicshare.redis;

import dev.musicshare.redis.RedisScripts.Script;
import dev.musicshare.store.StartOutcome;
import dev.musicshare.store.StoreSettings;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ZAddArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live-session registry, {@link RedisKeys#REGISTRY}: a sorted set of the active session ids scored by their
 * expiry deadline (epoch ms). It answers what must be counted across every session — {@code MAX_SESSIONS}, the
 * active count, the expiry sweep — without KEYS or SCAN.
 *
 * <p>It is the one key that spans sessions, so it cannot share a slot with them: on a cluster it lives on one
 * shard, and a start is three steps — {@link #reserve} here, create the session's keys, {@link #confirm} here. A
 * reservation's deadline is only {@link #pendingMillis} away until it is confirmed, so a start cut short after its
 * reservation (the node died, Redis stopped answering, a reserve applied after its caller timed out) frees the id and
 * the slot by itself within seconds instead of holding them for a whole session timeout. What that shard carries:
 * two commands per start (reserve, confirm), one per stop, one per expiry sweep and count, and at most one deadline
 * move per sending session per second per node ({@link #REFRESH_MILLIS}) — about one command per ten 100 ms chunks
 * of that session; chunks and reads never touch it. Kept in one key so that {@code MAX_SESSIONS} is checked
 * atomically by {@code start.lua}: spread over N keys, concurrent starts counted on different keys could overshoot it.
 */
final class SessionRegistry {
    private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);
    private static final byte[] KEY = RedisKeys.bytes(RedisKeys.REGISTRY);
    /**
     * How often a node moves a session's deadline while its sender is active. The deadline is a session timeout
     * (minutes) after the last refresh, so a session may expire at most this much early; refreshing on every chunk
     * was one more Redis command per chunk.
     */
    static final long REFRESH_MILLIS = 1_000;
    private static final int MAX_REMEMBERED_SESSIONS = 10_000;

    private final RedisCalls redis;
    private final StoreSettings settings;
    private final long pendingMillis;
    /** When this node last moved each session's deadline. */
    private final ConcurrentHashMap<String, Long> refreshed = new ConcurrentHashMap<>();

    /** @param commandTimeout how long one Redis command may take ({@code REDIS_TIMEOUT_MS}) */
    SessionRegistry(RedisCalls redis, StoreSettings settings, Duration commandTimeout) {
        this.redis = redis;
        this.settings = settings;
        this.pendingMillis = pendingMillis(commandTimeout);
    }

    /**
     * How long an unconfirmed reservation holds its id and slot: the three steps of a start, each waited for at most
     * the command timeout, and a second for the nodes' clocks (the deadline is one node's time, the sweep another's).
     * A start whose steps took longer has already failed with a 503.
     */
    static long pendingMillis(Duration commandTimeout) {
        return 3 * commandTimeout.toMillis() + 1_000;
    }

    /**
     * Takes a live-session slot for {@code id} unless an active session holds it or the limit is reached; until
     * {@link #confirm}ed, the slot is held for {@link #pendingMillis} only.
     */
    StartOutcome reserve(String id, long now) {
        String outcome = ScriptReplies.text(redis.<Object>script("start", Script.START, ScriptOutputType.STATUS,
                RedisKeys.of(RedisKeys.REGISTRY), id, now, now + pendingMillis, settings.maxSessions()));
        return StartOutcome.valueOf(outcome);
    }

    /**
     * Gives a reservation whose session now exists the deadline of a session; false if the reservation was gone (it
     * lapsed and an expiry sweep removed it), when the start must fail rather than leave a session nothing counts.
     */
    boolean confirm(String id, long now) {
        long changed = redis.await("start", redis.next().zadd(KEY, ZAddArgs.Builder.xx().ch(),
                now + settings.sessionTimeout().toMillis(), RedisKeys.bytes(id)));
        return changed == 1;
    }

    /** Gives a slot back (a start whose later step failed), without waiting: the refused start changed nothing. */
    void undoReserve(String id) {
        redis.next().zrem(KEY, RedisKeys.bytes(id));
    }

    /** Removes a stopped session. */
    void remove(String id) {
        refreshed.remove(id);
        redis.await("stop", redis.next().zrem(KEY, RedisKeys.bytes(id)));
    }

    /** Keeps the deadline in step with the session's TTL; sent alongside, not waited for. */
    void refresh(String id, long now) {
        Long last = refreshed.get(id);
        if (last != null && now >= last && now - last < REFRESH_MILLIS) return;
        if (refreshed.size() >= MAX_REMEMBERED_SESSIONS) refreshed.clear(); // only an optimisation
        refreshed.put(id, now);
        redis.next().zadd(KEY, ZAddArgs.Builder.xx(), now + settings.sessionTimeout().toMillis(), RedisKeys.bytes(id))
                .whenComplete((changed, error) -> {
                    if (error != null) log.atWarn().addKeyValue("sessionId", id).log("registry not refreshed: {}",
                            error.getMessage());
                });
    }

    /** The ids whose deadline is after {@code now}: a deadline reached is expired, as start.lua and expire agree. */
    int count(long now) {
        return (int) (long) redis.await("count", redis.next().zcount(KEY, after(now)));
    }

    /** The ids whose deadline is after {@code now}. */
    List<String> liveIds(long now) {
        List<byte[]> ids = redis.await("sessions", redis.next().zrangebyscore(KEY, after(now)));
        return ids.stream().map(ScriptReplies::text).toList();
    }

    /**
     * The sessions whose deadline passed ({@code idle}), removed from the registry; {@code removedHere} are those
     * this node's removal took out, so that each expiry is reported by one node only.
     */
    record Expiry(List<String> idle, List<String> removedHere) {}

    Expiry expire(long now) {
        List<byte[]> idle = redis.await("expiry", redis.next().zrangebyscore(KEY,
                Range.create(Double.NEGATIVE_INFINITY, (double) now)));
        List<String> ids = new ArrayList<>();
        List<String> removedHere = new ArrayList<>();
        for (byte[] id : idle) {
            String text = ScriptReplies.text(id);
            ids.add(text);
            refreshed.remove(text);
            if (redis.await("expiry", redis.next().zrem(KEY, id)) == 1) removedHere.add(text);
        }
        return new Expiry(ids, removedHere);
    }

    private static Range<Double> after(long now) {
        return Range.from(Range.Boundary.excluding((double) now), Range.Boundary.unbounded());
    }

    /** Forgets what this node remembers of a session that ended or is gone. */
    void forget(String id) {
        refreshed.remove(id);
    }
}
