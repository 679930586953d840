package dev.musicshare.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The system clock, except that one read of it from within a chosen method can be held on a latch: the server reads
 * its injected clock at the start of each domain operation, so a test can stop a thread at that exact point in a
 * real server, do something else meanwhile, and let it go on — an interleaving forced, not hoped for with sleeps.
 */
public final class LatchClock extends Clock {
    private final Clock system = Clock.systemUTC();
    private volatile Hold armed;

    /** Holds the next thread that reads this clock from within {@code type.method} (directly or deeper). */
    public Hold holdNextReadFrom(Class<?> type, String method) {
        Hold hold = new Hold(type.getName(), method);
        armed = hold;
        return hold;
    }

    @Override
    public Instant instant() {
        Hold hold = armed;
        if (hold != null && hold.claimedBy()) {
            armed = null;
            hold.block();
        }
        return system.instant();
    }

    @Override
    public long millis() {
        return instant().toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    /** One armed hold: the held thread waits in the clock read until {@link #release()}. */
    public static final class Hold {
        private static final Duration LONGEST = Duration.ofSeconds(30);
        private final String type;
        private final String method;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        private Hold(String type, String method) {
            this.type = type;
            this.method = method;
        }

        /** Waits until a thread is held; false if none was within {@code timeout}. */
        public boolean awaitReached(Duration timeout) throws InterruptedException {
            return reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        public void release() {
            released.countDown();
        }

        private boolean claimedBy() {
            boolean inside = StackWalker.getInstance().walk(frames -> frames.anyMatch(frame ->
                    frame.getClassName().equals(type) && frame.getMethodName().equals(method)));
            return inside && claimed.compareAndSet(false, true);
        }

        /** Never longer than {@link #LONGEST}: a test that fails before releasing must not hang the server. */
        private void block() {
            reached.countDown();
            try {
                released.await(LONGEST.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
