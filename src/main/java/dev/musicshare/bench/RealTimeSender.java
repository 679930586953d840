package dev.musicshare.bench;

import java.util.concurrent.atomic.AtomicLong;

/** A sender at real-time pace: one chunk every chunk duration, scheduled on the monotonic clock. */
final class RealTimeSender extends Thread {
    private final BenchTarget target;
    private final String sessionId;
    private final ChunkFactory chunks;
    private final long intervalNanos;
    private final long deadline;
    private final AtomicLong lastAccepted = new AtomicLong(-1);
    private final AtomicLong errors = new AtomicLong();

    RealTimeSender(BenchTarget target, String sessionId, ChunkFactory chunks, int chunkMillis, long deadline) {
        super("sender-" + sessionId);
        this.target = target;
        this.sessionId = sessionId;
        this.chunks = chunks;
        this.intervalNanos = chunkMillis * 1_000_000L;
        this.deadline = deadline;
    }

    @Override
    public void run() {
        long next = System.nanoTime();
        for (long sequence = 0; next < deadline; sequence++) {
            int status = target.postChunk(sessionId, chunks.body(sequence, ChunkFactory.nowMicros())).statusCode();
            if (status == 200) lastAccepted.set(sequence);
            else errors.incrementAndGet();
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    long lastAccepted() {
        return lastAccepted.get();
    }

    long errors() {
        return errors.get();
    }
}
