package dev.musicshare.api;

import dev.musicshare.config.RateLimitSettings;
import dev.musicshare.limits.BucketStore;
import dev.musicshare.limits.KeyedBuckets;
import dev.musicshare.metrics.ShareMetrics;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Duration;

/**
 * Throttles what a real client never does: many session starts from one address, walking the 6-digit id space
 * (lookups of sessions that do not exist), and sender requests far beyond real-time pace. The defaults leave a
 * real sender (10–50 chunks/s plus metadata) and pollers (4–10 polls/s) untouched. Where the buckets live is the
 * {@link BucketStore}'s: on Redis all nodes share them, so the limits hold in total behind a load balancer; on the
 * memory store (one node) they are the node's own.
 */
final class RateLimits {
    private final KeyedBuckets starts;
    private final KeyedBuckets misses;
    private final KeyedBuckets senderRequests;
    private final ShareMetrics metrics;

    /** Each figure 0 disables its limit. */
    RateLimits(RateLimitSettings settings, BucketStore store, Clock clock, ShareMetrics metrics) {
        this.metrics = metrics;
        int startsPerMinute = settings.startsPerMinute();
        int missesPerMinute = settings.missesPerMinute();
        int senderRequestsPerSecond = settings.senderRequestsPerSecond();
        starts = startsPerMinute == 0 ? null
                : store.buckets("starts", startsPerMinute, startsPerMinute, Duration.ofMinutes(1), clock);
        misses = missesPerMinute == 0 ? null
                : store.buckets("misses", missesPerMinute, missesPerMinute, Duration.ofMinutes(1), clock);
        // Twice the rate as burst: the desktop app fires several requests at once after a stall.
        senderRequests = senderRequestsPerSecond == 0 ? null
                : store.buckets("sender", 2L * senderRequestsPerSecond, senderRequestsPerSecond, Duration.ofSeconds(1), clock);
    }

    /** Before every /api/share request (after auth). */
    void check(Context ctx) {
        String path = ctx.path().substring(ctx.contextPath().length() > 1 ? ctx.contextPath().length() : 0);
        String[] parts = path.split("/"); // "", "api", "share", id-or-start, action
        if (parts.length == 4 && parts[3].equals("start")) {
            if (ctx.method() == HandlerType.POST && starts != null) take(starts, ctx.ip(), ctx, "session starts");
            return;
        }
        if (misses != null && misses.isEmpty(ctx.ip())) {
            take(misses, ctx.ip(), ctx, "lookups of unknown sessions");
        }
        if (parts.length == 5 && ctx.method() == HandlerType.POST && senderRequests != null) {
            take(senderRequests, parts[3], ctx, "sender requests for this session");
        }
    }

    /** A lookup found no session: counts against the client's allowance of misses. */
    void recordMiss(Context ctx) {
        if (misses != null) misses.spend(ctx.ip());
    }

    private void take(KeyedBuckets buckets, String key, Context ctx, String what) {
        long nanosToWait = buckets.take(key);
        if (nanosToWait == 0) return;
        metrics.rateLimited(what);
        long seconds = Math.max(1, (nanosToWait + 999_999_999L) / 1_000_000_000L);
        ctx.header("Retry-After", Long.toString(seconds));
        throw new ApiException(429, "RATE_LIMITED", "Too many " + what + "; retry in " + seconds + " s");
    }
}
