package dev.musicshare.api;

import dev.musicshare.config.Settings;
import dev.musicshare.metrics.ShareMetrics;
import dev.musicshare.redis.RedisOptions;
import dev.musicshare.redis.RedisShareStore;
import dev.musicshare.share.AudioChunk;
import dev.musicshare.share.ListenerId;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.ShareEvents;
import dev.musicshare.share.ShareService;
import dev.musicshare.share.Since;
import dev.musicshare.store.BufferedChunk;
import dev.musicshare.store.MemoryShareStore;
import dev.musicshare.store.ShareStore;
import dev.musicshare.store.StoreSettings;
import dev.musicshare.testing.RedisServer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The chunk hot path without HTTP: parse and validate a 100 ms stereo chunk's JSON (47 KB), store it, and read it
 * back as a listener polling {@code since=previous} would — on the memory store and on a real {@code redis-server}
 * (started by the benchmark on a free port). Run with {@code mvn -B -q -Pjmh test-compile exec:exec@jmh}; see
 * docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChunkHotPathBenchmark {
    @Param({"memory", "redis"})
    public String store;

    private RedisServer redis;
    private ShareStore shareStore;
    private ShareService shares;
    private final SessionId session = new SessionId("424242");
    private final ListenerId listener = new ListenerId("jmh-listener");
    private byte[] prefix;
    private long sequence;

    @Setup(Level.Trial)
    public void start() {
        StoreSettings settings = Settings.defaults().store();
        if (store.equals("redis")) {
            redis = RedisServer.start();
            RedisOptions options = Settings.from(Map.of("REDIS_URL", "redis://127.0.0.1:" + redis.port())).redisOptions();
            shareStore = new RedisShareStore(options, settings, ShareMetrics.inMemory());
        } else {
            shareStore = new MemoryShareStore(settings);
        }
        shares = new ShareService(shareStore, Clock.systemUTC(), settings.maxSessions(), false, ShareEvents.NONE, ShareMetrics.inMemory());
        shares.start(session);
        int frames = 4410;
        ByteBuffer samples = ByteBuffer.allocate(frames * 2 * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames * 2; i++) samples.putFloat((float) Math.sin(i * 0.0627) * 0.3f);
        prefix = ("{\"data\":\"" + Base64.getEncoder().encodeToString(samples.array())
                + "\",\"sampleRate\":44100,\"channels\":2,\"timestamp\":1795559366606,\"sequenceNumber\":")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        shareStore.close();
        if (redis != null) redis.close();
    }

    /** One chunk in, the same chunk out: what one sender POST and one listener poll cost the node. */
    @Benchmark
    public int parseStoreRead() {
        long current = sequence++;
        byte[] suffix = (current + "}").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[prefix.length + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(suffix, 0, body, prefix.length, suffix.length);
        AudioChunk chunk = AudioChunkParser.parse(body, System.currentTimeMillis());
        shares.appendAudio(session, chunk, null);
        List<BufferedChunk> read = shares.audioSince(session, new Since(current - 1), listener);
        if (read.size() != 1) throw new IllegalStateException("expected the chunk back, got " + read.size());
        return read.get(0).length;
    }
}
