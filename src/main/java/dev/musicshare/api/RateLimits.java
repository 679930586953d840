package dev.musicshare.api;

import dev.musicshare.config.RateLimitSettings;
import dev.musicshare.metrics.ShareMetrics;
import io.github.bucket4j.ConsumptionProbe;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Duration;

/**
 * Throttles what a real client never does: many session starts from one address, walking the 6-digit id space
 * (lookups of sessions that do not exist), and sender requests far beyond real-time pace. The defaults leave a
 * real sender (10–50 chunks/s plus metadata) and pollers (4–10 polls/s) untouched. Limits are per node; behind a
 * load balancer each node grants its own budget.
 */
final class RateLimits {
    private final KeyedBuckets starts;
    private final KeyedBuckets misses;
    private final KeyedBuckets senderRequests;
    private final ShareMetrics metrics;

    /** Each figure 0 disables its limit. */
    RateLimits(RateLimitSettings settings, ShareMetrics metrics) {
        this.metrics = metrics;
        int startsPerMinute = settings.startsPerMinute();
        int missesPerMinute = settings.missesPerMinute();
        int senderRequestsPerSecond = settings.senderRequestsPerSecond();
        starts = startsPerMinute == 0 ? null : new KeyedBuckets(startsPerMinute, startsPerMinute, Duration.ofMinutes(1));
        misses = missesPerMinute == 0 ? null : new KeyedBuckets(missesPerMinute, missesPerMinute, Duration.ofMinutes(1));
        // Twice the rate as burst: the desktop app fires several requests at once after a stall.
        senderRequests = senderRequestsPerSecond == 0 ? null
                : new KeyedBuckets(2L * senderRequestsPerSecond, senderRequestsPerSecond, Duration.ofSeconds(1));
    }

    /** Before every /api/share request (after auth). */
    void check(Context ctx) {
        String path = ctx.path().substring(ctx.contextPath().length() > 1 ? ctx.contextPath().length() : 0);
        String[] parts = path.split("/"); // "", "api", "share", id-or-start, action
        if (parts.length == 4 && parts[3].equals("start")) {
            if (ctx.method() == HandlerType.POST && starts != null) take(starts, ctx.ip(), ctx, "session starts");
            return;
        }
        if (misses != null && misses.bucket(ctx.ip()).getAvailableTokens() < 1) {
            take(misses, ctx.ip(), ctx, "lookups of unknown sessions");
        }
        if (parts.length == 5 && ctx.method() == HandlerType.POST && senderRequests != null) {
            take(senderRequests, parts[3], ctx, "sender requests for this session");
        }
    }

    /** A lookup found no session: counts against the client's allowance of misses. */
    void recordMiss(Context ctx) {
        if (misses != null) misses.bucket(ctx.ip()).tryConsume(1);
    }

    private void take(KeyedBuckets buckets, String key, Context ctx, String what) {
        ConsumptionProbe probe = buckets.bucket(key).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) return;
        metrics.rateLimited(what);
        long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        ctx.header("Retry-After", Long.toString(seconds));
        throw new ApiException(429, "RATE_LIMITED", "Too many " + what + "; retry in " + seconds + " s");
    }
}
