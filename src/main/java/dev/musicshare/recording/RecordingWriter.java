package dev.musicshare.recording;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes recordings to disk, fed through a bounded queue: the encoder's side only queues (never
 * waits for the disk), so a slow or failing disk cannot hold up the live relay. When the queue is full, the
 * recording that could not queue is stopped (see {@link SessionRecorder}), not the relay.
 */
final class RecordingWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RecordingWriter.class);
    /**
     * Tasks waiting for the disk: a session queues about 10 a second (one per 100 ms chunk), so this is over a
     * minute of 50 sessions' audio — a disk stalled longer than that stops recordings rather than memory growing.
     */
    static final int QUEUE_TASKS = 32_768;

    private final BlockingQueue<Runnable> queue;
    /** Stop requests of recordings whose task did not fit: at most one per recording, so unbounded is bounded. */
    private final java.util.Queue<Runnable> urgent = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closing;

    RecordingWriter(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "music-share-recording-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a task without waiting; false when the queue is full or the writer is closing. */
    boolean offer(Runnable task) {
        return !closing && queue.offer(task);
    }

    /** Queues a task that must run even though the queue is full (a recording's stop). */
    void offerUrgent(Runnable task) {
        urgent.add(task);
        queue.offer(() -> { }); // wakes the thread if it waits and there is room
    }

    /** Tasks waiting now. */
    int pending() {
        return queue.size();
    }

    /** Runs the tasks already queued (at most {@code patienceMillis}), then stops the thread. */
    void close(long patienceMillis) {
        closing = true;
        queue.offer(() -> { }); // wakes the thread if it waits
        try {
            thread.join(patienceMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("recording writer still busy after {} ms; {} tasks left unwritten", patienceMillis, queue.size());
            thread.interrupt();
        }
    }

    @Override
    public void close() {
        close(10_000);
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) { // a task handles its own failures; this is a bug, not a disk error
            log.error("recording task failed", e);
        }
    }

    private void run() {
        while (true) {
            for (Runnable stop = urgent.poll(); stop != null; stop = urgent.poll()) runSafely(stop);
            Runnable task;
            try {
                task = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (task == null) {
                if (closing) return;
                continue;
            }
            runSafely(task);
            if (closing && queue.isEmpty() && urgent.isEmpty()) return;
        }
    }
}
