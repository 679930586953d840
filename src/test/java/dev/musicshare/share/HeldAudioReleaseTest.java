package dev.musicshare.share;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.musicshare.config.Settings;
import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.redis.RedisShareStore;
import dev.musicshare.store.MemoryShareStore;
import dev.musicshare.store.ShareStore;
import dev.musicshare.store.StoreSettings;
import dev.musicshare.store.StoreUnavailableException;
import dev.musicshare.testing.AudioSamples;
import dev.musicshare.testing.MutableClock;
import dev.musicshare.testing.SharedRedis;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Audio held behind a hole is released once the reorder window has passed, even when the store failed the first
 * time it was asked: the release is retried on the next tick, and the failure is logged once with the session id.
 * The store is real; only its {@code releaseDue} is made to fail, as an outage would, for as long as the test says.
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis"})
class HeldAudioReleaseTest {
    private static final SessionId ID = new SessionId("515151");
    private static final Duration WINDOW = Duration.ofMillis(2_000);

    @Parameter
    String storeKind;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
    private final List<Long> pushed = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private volatile boolean releaseFails;
    private ShareStore realStore;
    private ShareService shares;

    @BeforeEach
    void start() {
        Settings settings = Settings.from(storeKind.equals("redis")
                ? Map.of("REDIS_URL", SharedRedis.freshUrl(), "REORDER_WINDOW_MS", "" + WINDOW.toMillis())
                : Map.of("REORDER_WINDOW_MS", "" + WINDOW.toMillis()));
        StoreSettings limits = settings.store();
        realStore = storeKind.equals("redis")
                ? new RedisShareStore(settings.redisOptions(), limits, ShareMetrics.inMemory())
                : new MemoryShareStore(limits);
        shares = new ShareService(failingReleases(realStore), clock, limits.maxSessions(), false, new ShareEvents() {
            @Override
            public void metadataChanged(SessionId id, Metadata metadata) {}

            @Override
            public void audioReleased(SessionId id, long sequenceNumber, byte[] chunkJson) {
                pushed.add(sequenceNumber);
            }

            @Override
            public void sessionEnded(SessionId id, EndReason reason) {}
        }, ShareMetrics.inMemory());
        logged.start();
        ((Logger) LoggerFactory.getLogger(HeldAudioRelease.class)).addAppender(logged);
        shares.start(ID);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(HeldAudioRelease.class)).detachAppender(logged);
        realStore.close();
    }

    @Test
    void a_release_the_store_failed_is_retried_on_the_next_tick_and_logged_once() {
        append(0);
        append(2); // 1 is missing: 2 and 3 are held for the reorder window
        append(3);
        assertThat(pushed).containsExactly(0L);

        clock.advance(WINDOW);
        releaseFails = true;
        shares.heldAudio().releaseDue();
        shares.heldAudio().releaseDue();
        assertThat(pushed).containsExactly(0L);

        releaseFails = false;
        shares.heldAudio().releaseDue();
        assertThat(pushed).containsExactly(0L, 2L, 3L);

        List<ILoggingEvent> warnings = logged.list.stream().filter(e -> e.getLevel().toString().equals("WARN")).toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).getKeyValuePairs()).anySatisfy(pair -> {
            assertThat(pair.key).isEqualTo("sessionId");
            assertThat(pair.value.toString()).isEqualTo(ID.value());
        });
    }

    @Test
    void nothing_is_released_before_the_window_has_passed() {
        append(0);
        append(2);
        clock.advance(WINDOW.minusMillis(1));
        shares.heldAudio().releaseDue();
        assertThat(pushed).containsExactly(0L);
        clock.advance(Duration.ofMillis(1));
        shares.heldAudio().releaseDue();
        assertThat(pushed).containsExactly(0L, 2L);
    }

    private void append(long sequence) {
        shares.appendAudio(ID, new AudioChunk(AudioSamples.base64(441, 2, sequence), 44100, 2, clock.millis(),
                sequence), null);
    }

    /** The real store, except that {@code releaseDue} throws as an unreachable store does while the test says so. */
    private ShareStore failingReleases(ShareStore store) {
        return (ShareStore) Proxy.newProxyInstance(ShareStore.class.getClassLoader(), new Class<?>[] {ShareStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("releaseDue") && releaseFails) {
                        throw new StoreUnavailableException("store unreachable (injected)", null);
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
