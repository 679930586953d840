package dev.musicshare.live;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Threads that write to push listeners' sockets. A write to a slow listener blocks its writer, so writers must be
 * cheap to block: virtual threads on Java 21+, else a cached pool (threads exist only while writes are under way).
 */
public final class WriterThreads {
    private WriterThreads() {}

    public static ExecutorService create() {
        if (Runtime.version().feature() >= 21) {
            try {
                // Compiled for Java 17, so the Java 21 factory is looked up rather than called.
                return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("virtual threads unavailable on Java " + Runtime.version(), e);
            }
        }
        return Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "push-writer");
            thread.setDaemon(true);
            return thread;
        });
    }
}
