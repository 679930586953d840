package dev.musicshare.api;

import io.javalin.config.RoutesConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts requests being handled, so a shutdown can wait for them: Javalin stops Jetty without Jetty's graceful
 * handler. Push streams are not counted; they are told to reconnect and closed separately.
 */
public final class InFlightRequests {
    private static final String COUNTED = "music-share.in-flight";
    private final AtomicInteger count = new AtomicInteger();

    void register(RoutesConfig routes) {
        routes.before(ctx -> {
            if (ctx.path().endsWith("/events")) return;
            ctx.attribute(COUNTED, true);
            count.incrementAndGet();
        });
        routes.after(ctx -> {
            if (ctx.attribute(COUNTED) != null) count.decrementAndGet();
        });
    }

    public int count() {
        return count.get();
    }

    /** Waits until no request is being handled, or {@code patience} has passed; true when none remains. */
    public boolean awaitIdle(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (count.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return count.get() == 0;
    }
}
