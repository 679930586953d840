package dev.musicshare.config;

import dev.musicshare.live.LiveLimits;
import dev.musicshare.redis.RedisOptions;
import dev.musicshare.redis.ReplicaWait;
import dev.musicshare.store.StoreSettings;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * The server's validated configuration, sealed once built. Every default comes from {@link Setting}: the records
 * handed to the parts ({@link StoreSettings}, {@link RedisOptions}, {@link LiveLimits}) are built here and nowhere
 * else, so {@code Settings.defaults()} is the one source of the defaults in code and tests alike.
 *
 * @param port                 HTTP port; 0 picks a free one (tests)
 * @param bindAddress          address to bind
 * @param metricsPort          port serving /metrics alone (on bindAddress); 0: /metrics is served on {@code port}
 * @param basePath             path prefix of every route ("/" for none)
 * @param publicUrl            origin invite links use (https://host[:port]); null: each request's Host header
 * @param bearerToken          the shared token (never logged)
 * @param tokenGenerated       true when the token was generated because none was configured
 * @param requireSenderKey     sender writes must carry the session's X-Sender-Key
 * @param corsOrigins          browser origins allowed to call the API (empty: none)
 * @param redisUrl             null for the embedded store
 * @param redisTimeout         per-command Redis timeout
 * @param redisConnections     connections a node opens to Redis
 * @param redisChunkCacheBytes chunk JSON a node on Redis keeps in memory for its pollers
 * @param redisReplicaWait     replicas a sender's write must reach before it is acknowledged (WAIT)
 * @param store                limits and lifetimes the store enforces
 * @param push                 bounds on each push connection
 * @param rateLimits           per-client and per-session request limits
 * @param maxAudioBodyBytes    largest audio POST body
 * @param maxMetadataBodyBytes largest metadata POST body
 * @param metadataLimits       longest metadata fields
 * @param history              where session history is kept
 * @param logFormat            "text" or "json"
 * @param opus                 Opus encoding and stream.ogg
 * @param recording            which sessions are recorded, where, and for how long
 */
public record Settings(
        int port,
        String bindAddress,
        int metricsPort,
        String basePath,
        String publicUrl,
        String bearerToken,
        boolean tokenGenerated,
        boolean requireSenderKey,
        Set<String> corsOrigins,
        String redisUrl,
        Duration redisTimeout,
        int redisConnections,
        long redisChunkCacheBytes,
        ReplicaWait redisReplicaWait,
        StoreSettings store,
        LiveLimits push,
        RateLimitSettings rateLimits,
        int maxAudioBodyBytes,
        int maxMetadataBodyBytes,
        MetadataLimits metadataLimits,
        HistorySettings history,
        String logFormat,
        OpusSettings opus,
        RecordingSettings recording) {

    private static final int MAX_BODY_LIMIT = 64 * 1024 * 1024;

    /** Every setting at its default (with a generated token). */
    public static Settings defaults() {
        return from(Map.of());
    }

    /** Reads and validates every {@link Setting} from {@code values} (the environment, overlaid by CLI flags). */
    public static Settings from(Map<String, String> values) {
        SettingReader read = new SettingReader(values);
        String token = read.string(Setting.BEARER_TOKEN);
        boolean generated = token == null;
        if (generated) token = generateToken();
        else if (token.isBlank() || token.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidSettingException("BEARER_TOKEN must not be blank or contain whitespace");
        }
        String logFormat = read.string(Setting.LOG_FORMAT);
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            throw new InvalidSettingException("LOG_FORMAT must be text or json, was \"" + logFormat + "\"");
        }
        StoreSettings store = new StoreSettings(
                read.integer(Setting.MAX_SESSIONS, 1, 100_000),
                read.seconds(Setting.SESSION_TIMEOUT_SECONDS),
                read.seconds(Setting.METADATA_TTL_SECONDS),
                read.integer(Setting.AUDIO_BUFFER_CHUNKS, 1, 10_000),
                read.seconds(Setting.AUDIO_BUFFER_SECONDS),
                Duration.ofMillis(read.integer(Setting.REORDER_WINDOW_MS, 0, 60_000)),
                read.seconds(Setting.AUDIO_TTL_SECONDS),
                read.seconds(Setting.STOP_GRACE_SECONDS),
                read.seconds(Setting.LISTENER_WINDOW_SECONDS));
        return new Settings(
                read.integer(Setting.PORT, 0, 65_535),
                read.string(Setting.BIND_ADDRESS),
                read.integer(Setting.METRICS_PORT, 0, 65_535),
                read.basePath(),
                read.publicUrl(),
                token,
                generated,
                read.flag(Setting.REQUIRE_SENDER_KEY),
                read.origins(),
                read.redisUrl(),
                Duration.ofMillis(read.integer(Setting.REDIS_TIMEOUT_MS, 10, 60_000)),
                read.integer(Setting.REDIS_CONNECTIONS, 1, 64),
                read.integer(Setting.REDIS_CHUNK_CACHE_MB, 0, 65_536) * 1024L * 1024,
                replicaWait(read),
                store,
                new LiveLimits(read.integer(Setting.PUSH_QUEUE_EVENTS, 1, 100_000),
                        read.integer(Setting.PUSH_QUEUE_BYTES, 1024, MAX_BODY_LIMIT * 16),
                        read.integer(Setting.PUSH_MAX_OVERFLOWS, 0, 1_000),
                        read.seconds(Setting.PUSH_HEARTBEAT_SECONDS)),
                new RateLimitSettings(read.integer(Setting.RATE_LIMIT_STARTS_PER_MINUTE, 0, 1_000_000),
                        read.integer(Setting.RATE_LIMIT_MISSES_PER_MINUTE, 0, 1_000_000),
                        read.integer(Setting.RATE_LIMIT_SENDER_PER_SECOND, 0, 1_000_000)),
                read.integer(Setting.MAX_AUDIO_BODY_BYTES, 1024, MAX_BODY_LIMIT),
                read.integer(Setting.MAX_METADATA_BODY_BYTES, 1024, MAX_BODY_LIMIT),
                new MetadataLimits(read.integer(Setting.MAX_THUMBNAIL_CHARS, 0, MAX_BODY_LIMIT),
                        read.integer(Setting.MAX_LYRICS_CHARS, 0, MAX_BODY_LIMIT),
                        read.integer(Setting.MAX_TITLE_CHARS, 1, 1_000_000)),
                history(read),
                logFormat,
                new OpusSettings(read.integer(Setting.OPUS_BITRATE, 6_000, 510_000),
                        Duration.ofMillis(read.integer(Setting.STREAM_BURST_MS, 0, 10_000)),
                        Duration.ofMillis(read.integer(Setting.STREAM_SILENCE_AFTER_MS, 100, 60_000)),
                        read.integer(Setting.STREAM_QUEUE_KB, 16, 65_536) * 1024L),
                recording(read));
    }

    /**
     * How this node talks to Redis: {@code REDIS_URL}, {@code REDIS_TIMEOUT_MS}, {@code REDIS_CONNECTIONS},
     * {@code REDIS_CHUNK_CACHE_MB}, {@code REDIS_WAIT_REPLICAS}, {@code REDIS_WAIT_TIMEOUT_MS}.
     *
     * @throws IllegalStateException when no {@code REDIS_URL} is set
     */
    public RedisOptions redisOptions() {
        if (redisUrl == null) throw new IllegalStateException("REDIS_URL is not set: this server keeps its data in memory");
        return new RedisOptions(redisUrl, redisTimeout, redisConnections, redisChunkCacheBytes, redisReplicaWait);
    }

    /** Never prints the token or Redis credentials. */
    @Override
    public String toString() {
        return "Settings[port=" + port + ", bindAddress=" + bindAddress + ", basePath=" + basePath + ", publicUrl=" + publicUrl + ", store="
                + (redisUrl == null ? "memory" : "redis") + ", " + store + ", " + push + ", maxAudioBodyBytes=" + maxAudioBodyBytes
                + ", maxMetadataBodyBytes=" + maxMetadataBodyBytes + ", history="
                + (history.database() == null ? "sqlite in " + history.directory() : "postgresql") + ", logFormat="
                + logFormat + "]";
    }

    /** WAIT's timeout must leave the command timeout room: the client times WAIT out like any command. */
    private static ReplicaWait replicaWait(SettingReader read) {
        int replicas = read.integer(Setting.REDIS_WAIT_REPLICAS, 0, 64);
        int timeoutMs = read.integer(Setting.REDIS_WAIT_TIMEOUT_MS, 1, 60_000);
        int commandTimeoutMs = read.integer(Setting.REDIS_TIMEOUT_MS, 10, 60_000);
        if (replicas > 0 && timeoutMs >= commandTimeoutMs) {
            throw new InvalidSettingException("REDIS_WAIT_TIMEOUT_MS (" + timeoutMs + ") must be below REDIS_TIMEOUT_MS ("
                    + commandTimeoutMs + "): the client times WAIT out like any other command");
        }
        return new ReplicaWait(replicas, Duration.ofMillis(timeoutMs));
    }

    private static HistorySettings history(SettingReader read) {
        String url = read.string(Setting.DATABASE_URL);
        String directory = read.string(Setting.HISTORY_DIR);
        if (directory.isBlank()) throw new InvalidSettingException("HISTORY_DIR must name a folder");
        String enabled = read.string(Setting.HISTORY);
        if (!enabled.equals("on") && !enabled.equals("off")) {
            throw new InvalidSettingException("HISTORY must be on or off, was \"" + enabled + "\"");
        }
        return new HistorySettings(url == null ? null : DatabaseUrl.parse(url), Path.of(directory),
                read.seconds(Setting.HISTORY_SAMPLE_SECONDS), read.integer(Setting.HISTORY_MAX_PENDING, 100, 10_000_000),
                enabled.equals("on"), Duration.ofDays(read.integer(Setting.HISTORY_MAX_AGE_DAYS, 0, 36_500)));
    }

    private static RecordingSettings recording(SettingReader read) {
        String directory = read.string(Setting.RECORDINGS_DIR);
        if (directory.isBlank()) throw new InvalidSettingException("RECORDINGS_DIR must name a folder");
        double gigabytes = read.decimal(Setting.RECORDINGS_MAX_GB, 0, 1_000_000);
        return new RecordingSettings(RecordingSettings.Mode.parse(read.string(Setting.RECORDING)), Path.of(directory),
                (long) (gigabytes * (1L << 30)), Duration.ofDays(read.integer(Setting.RECORDINGS_MAX_AGE_DAYS, 0, 36_500)));
    }

    private static String generateToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
