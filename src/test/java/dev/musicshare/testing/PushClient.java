package dev.musicshare.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** What the SSE and WebSocket test clients share: a queue of received events and a way to wait for them. */
public abstract class PushClient implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);
    protected final BlockingQueue<PushEvent> events = new LinkedBlockingQueue<>();
    protected volatile boolean closedByServer;

    /** The next event other than heartbeats, or a failure after a generous wait. */
    public PushEvent next() {
        try {
            while (true) {
                PushEvent event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(event).as("an event within " + WAIT).isNotNull();
                if (!event.name().equals("heartbeat")) return event;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next event (heartbeats included) within {@code wait}, or null if none came. */
    public PushEvent poll(Duration wait) {
        try {
            return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The next {@code count} events, each of which must have the given name. */
    public List<PushEvent> next(int count, String name) {
        List<PushEvent> received = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            PushEvent event = next();
            assertThat(event.name()).as("event " + i + ": " + event).isEqualTo(name);
            received.add(event);
        }
        return received;
    }

    /** The events received and not yet taken, heartbeats left out; without waiting. */
    public List<PushEvent> rest() {
        List<PushEvent> rest = new ArrayList<>();
        events.drainTo(rest);
        rest.removeIf(event -> event.name().equals("heartbeat"));
        return rest;
    }

    @Override
    public abstract void close();

    public boolean closedByServer() {
        return closedByServer;
    }
}
