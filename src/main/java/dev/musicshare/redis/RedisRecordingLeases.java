package dev.musicshare.redis;

import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.lease.RecordingLeases;
import dev.musicshare.lease.RecordingProgress;
import dev.musicshare.redis.RedisScripts.Script;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recording leases in Redis, shared by every node. Per recorded session (code and start time), two keys under the
 * session's hash tag, so they share its cluster slot:
 * <ul>
 *   <li>{@code recording:{id}:<start>:lease} — the node id of the recorder, set with {@code NX} and a
 *       {@link #LEASE_TIME} expiry, renewed by compare-and-renew ({@code lease-renew.lua}) every
 *       {@link #RENEW_EVERY}; a dead recorder's lease simply runs out;</li>
 *   <li>{@code recording:{id}:<start>:progress} — a hash, the holder's last {@link RecordingProgress}
 *       ({@link ProgressFields}), written only while it holds the lease ({@code recording-progress.lua}) and kept a
 *       day after the last report.</li>
 * </ul>
 * plus {@code recordings:live}, which spans sessions (a slot of its own, touched alone, like
 * {@code sessions:live}): the recorded sessions whose recording has not finished, for every node to look at.
 * Commands go over one connection of their own, so progress reports (sent without waiting) arrive in order.
 */
public final class RedisRecordingLeases implements RecordingLeases {
    private static final Logger log = LoggerFactory.getLogger(RedisRecordingLeases.class);
    static final String REGISTRY = "recordings:live";
    private static final byte[] REGISTRY_KEY = RedisKeys.bytes(REGISTRY);
    /** A recording not reported on for this long is over (a session expires after 15 idle minutes). */
    private static final Duration PROGRESS_KEPT = Duration.ofDays(1);

    private final RedisCalls redis;
    private final String nodeId;

    /** Connects at once (one connection). */
    public RedisRecordingLeases(RedisOptions options, ShareMetrics metrics) {
        this.redis = new RedisCalls(new RedisOptions(options.url(), options.timeout(), 1, 0), metrics,
                "recording lease");
        this.nodeId = nodeName();
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public void register(RecordedSession session) {
        redis.await("recording-register", redis.next().zadd(REGISTRY_KEY, session.startedAt(), member(session)));
    }

    @Override
    public List<RecordedSession> recorded() {
        List<byte[]> members = redis.await("recording-list", redis.next().zrange(REGISTRY_KEY, 0, -1));
        List<RecordedSession> sessions = new ArrayList<>(members.size());
        for (byte[] member : members) {
            String text = new String(member, StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            try {
                sessions.add(new RecordedSession(text.substring(0, colon), Long.parseLong(text.substring(colon + 1))));
            } catch (RuntimeException e) {
                log.warn("recordings:live holds an entry that is not <sessionId>:<start>, ignored");
            }
        }
        return sessions;
    }

    @Override
    public boolean acquire(RecordedSession session) {
        return this.<Long>lease("recording-lease-acquire", Script.LEASE_ACQUIRE, session, nodeId,
                LEASE_TIME.toMillis()) == 1L;
    }

    @Override
    public boolean renew(RecordedSession session) {
        return this.<Long>lease("recording-lease-renew", Script.LEASE_RENEW, session, nodeId,
                LEASE_TIME.toMillis()) == 1L;
    }

    @Override
    public void release(RecordedSession session) {
        lease("recording-lease-release", Script.LEASE_RELEASE, session, nodeId);
    }

    @Override
    public void report(RecordedSession session, RecordingProgress progress) {
        List<Object> args = new ArrayList<>(List.of(nodeId, PROGRESS_KEPT.toMillis()));
        ProgressFields.of(progress).forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        try {
            redis.scriptAsync("recording-progress", Script.RECORDING_PROGRESS, ScriptOutputType.INTEGER,
                    RedisKeys.of(leaseKey(session), progressKey(session)), args.toArray());
        } catch (RuntimeException e) {
            // sending failed at once (Redis away, commands rejected): the lease keeper notices the outage itself
        }
    }

    @Override
    public Optional<RecordingProgress> progress(RecordedSession session) {
        Map<byte[], byte[]> hash = redis.await("recording-progress-read",
                redis.next().hgetall(RedisKeys.bytes(progressKey(session))));
        if (hash == null || hash.isEmpty()) return Optional.empty();
        Map<String, String> fields = new HashMap<>();
        hash.forEach((field, value) -> fields.put(new String(field, StandardCharsets.UTF_8),
                new String(value, StandardCharsets.UTF_8)));
        try {
            return Optional.of(ProgressFields.read(fields));
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("sessionId", session.sessionId()).log("recording progress unreadable, ignored: {}",
                    e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void finished(RecordedSession session) {
        redis.await("recording-finished", redis.next().zrem(REGISTRY_KEY, member(session)));
        redis.await("recording-finished", redis.next().del(RedisKeys.bytes(progressKey(session))));
        release(session);
    }

    @Override
    public void close() {
        redis.close();
    }

    private <T> T lease(String operation, Script script, RecordedSession session, Object... args) {
        return redis.script(operation, script, ScriptOutputType.INTEGER, RedisKeys.of(leaseKey(session)), args);
    }

    static String leaseKey(RecordedSession session) {
        return "recording:{" + session.sessionId() + "}:" + session.startedAt() + ":lease";
    }

    static String progressKey(RecordedSession session) {
        return "recording:{" + session.sessionId() + "}:" + session.startedAt() + ":progress";
    }

    private static byte[] member(RecordedSession session) {
        return RedisKeys.bytes(session.sessionId() + ":" + session.startedAt());
    }

    /** Host, process id and a random part: readable in logs and in Redis, unique per process. */
    private static String nodeName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "node";
        }
        return host + "/" + ProcessHandle.current().pid() + "/"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL);
    }
}
