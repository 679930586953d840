package dev.musicshare.config;

import java.util.Locale;

/**
 * Every setting the server reads, in one list: the environment variable, its default and what it does. The CLI
 * flags, {@code serve --help} and the README's table are all derived from (or tested against) this list.
 */
public enum Setting {
    PORT("5000", "HTTP port to listen on (0-65535; 0: any free port, printed at start-up)."),
    BIND_ADDRESS("0.0.0.0", "Address to bind; 127.0.0.1 keeps the server local."),
    METRICS_PORT("0", "Port that serves /metrics alone (e.g. 9464), so it can stay off the public network; 0: /metrics on PORT."),
    BASE_PATH("/", "Path prefix the API is served under, e.g. /music when a proxy forwards /music/… unchanged."),
    PUBLIC_URL(null, "Origin listeners reach the server at, e.g. https://music.example.org behind a proxy: invite links and QR codes use it (then BASE_PATH). Unset: the Host header of each request."),
    BEARER_TOKEN(null, "Token every /api/share request must carry. Unset: a random one is generated and printed once."),
    REQUIRE_SENDER_KEY("false", "When true, metadata/audio/stop must carry the X-Sender-Key that start returned (403 otherwise)."),
    CORS_ORIGINS(null, "Origins allowed to call the API from a browser, comma-separated (e.g. https://music.example.org); empty: none."),
    REDIS_URL(null, "redis://[user:password@]host:port[/db], a Sentinel setup: redis-sentinel://host:port[,host:port…]/?sentinelMasterId=NAME, or a Redis Cluster: redis-cluster://host:port[,host:port…] (seed nodes). Unset: the embedded in-memory store (one node)."),
    REDIS_TIMEOUT_MS("2000", "How long a Redis command may take before the request fails with 503."),
    REDIS_CONNECTIONS("4", "Connections each node opens to Redis (on a cluster: to each master), taken in turn, so a large reply does not hold up the rest."),
    REDIS_WAIT_REPLICAS("0", "Replicas that must hold a chunk (and a session's start and stop) before the sender is answered: Redis WAIT after the write; fewer within REDIS_WAIT_TIMEOUT_MS answer 503 and the sender retries. 0: answer once the master has it (a failover may lose the last chunks acknowledged)."),
    REDIS_WAIT_TIMEOUT_MS("1000", "How long a write waits for REDIS_WAIT_REPLICAS replicas before it answers 503; below REDIS_TIMEOUT_MS."),
    // Every session's whole buffer at the default limits: 50 sessions x 5 s of 44.1 kHz stereo float32 as base64
    // (470 KB/s) is 118 MB. Less holds only the newest seconds, and pollers that fall further behind cost Redis the
    // full chunk again (measured: 64 MB let half the desktop scenario's chunk reads through to Redis).
    REDIS_CHUNK_CACHE_MB("128", "Audio each node keeps in memory so Redis sends a chunk to it once, not once per poll; the default holds 50 sessions' full 5 s buffers of 44.1 kHz stereo (0: off)."),
    MAX_SESSIONS("50", "Live sessions allowed at once, across all nodes."),
    SESSION_TIMEOUT_SECONDS("900", "A session with no sender request for this long expires."),
    METADATA_TTL_SECONDS("30", "Metadata disappears this long after its last update."),
    AUDIO_BUFFER_CHUNKS("50", "Newest audio chunks kept per session."),
    AUDIO_BUFFER_SECONDS("5", "Most audio kept per session, from each chunk's own length, rate and channels."),
    REORDER_WINDOW_MS("2000", "How long chunks after a missing sequence number are held back before the hole is skipped."),
    AUDIO_TTL_SECONDS("10", "The audio buffer disappears this long after the last chunk."),
    STOP_GRACE_SECONDS("300", "A stopped session stays readable (isActive: false) this long."),
    LISTENER_WINDOW_SECONDS("15", "A listener counts while it polled within this window."),
    PUSH_QUEUE_EVENTS("64", "Events queued for one push listener before it is skipped ahead to live with a gap event; the default is several seconds of 100 ms chunks."),
    PUSH_QUEUE_BYTES("8388608", "Bytes queued for one push listener before it is skipped ahead to live; the default is well above 5 s of stereo float audio as base64 (about 2.4 MB)."),
    PUSH_MAX_OVERFLOWS("5", "Times a push listener may be skipped ahead before it is disconnected as too slow."),
    PUSH_HEARTBEAT_SECONDS("15", "How often an idle push stream gets a heartbeat, so proxies keep it open and dead peers are found."),
    RATE_LIMIT_STARTS_PER_MINUTE("20", "Session starts allowed per client address per minute (0: no limit)."),
    RATE_LIMIT_MISSES_PER_MINUTE("60", "Lookups of unknown session ids allowed per client address per minute, so codes cannot be walked (0: no limit)."),
    RATE_LIMIT_SENDER_PER_SECOND("100", "Sender requests (metadata, audio) allowed per session per second, twice that in a burst (0: no limit)."),
    MAX_AUDIO_BODY_BYTES("1048576", "Largest audio POST body accepted (413 above it)."),
    MAX_METADATA_BODY_BYTES("4194304", "Largest metadata POST body accepted, cover art included (413 above it)."),
    MAX_THUMBNAIL_CHARS("2097152", "Longest thumbnailData (base64) accepted in metadata (413 above it)."),
    MAX_LYRICS_CHARS("65536", "Longest lyrics accepted in metadata (413 above it)."),
    MAX_TITLE_CHARS("512", "Longest title or artist accepted in metadata (400 above it)."),
    OPUS_BITRATE("128000", "Opus bit rate for listeners who receive Opus (stream.ogg, codec=opus), in bits per second (6000-510000)."),
    STREAM_BURST_MS("2000", "Recent audio a new stream.ogg listener gets at once, so its player starts at once (like Icecast's burst-on-connect); 0-10000."),
    STREAM_SILENCE_AFTER_MS("3000", "How long stream.ogg waits for the sender's audio before it carries silence (the sender paused), so players keep the connection; above REORDER_WINDOW_MS, so a hole being waited for adds no silence; 100-60000."),
    STREAM_QUEUE_KB("256", "How far (kB) a stream.ogg listener may fall behind before it is dropped as too slow (like Icecast's queue-size)."),
    DATABASE_URL(null, "PostgreSQL for session history: postgresql://user:password@host:5432/db (or a jdbc:postgresql: URL). Unset: an embedded SQLite file in HISTORY_DIR."),
    HISTORY_DIR("history", "Folder of the embedded session-history database (history.db), used when DATABASE_URL is unset. One per node: two nodes started from one folder (or on one host with the default) need different folders, or a shared DATABASE_URL."),
    HISTORY_SAMPLE_SECONDS("60", "How often each live session's listener count is sampled for its history."),
    HISTORY_MAX_PENDING("10000", "Session starts and ends, track changes and listener samples held in memory while the history database is unreachable (chunk and byte counters are kept regardless)."),
    HISTORY("on", "Whether every session leaves a record in the history database: on or off (off: no database is opened, /api/admin/sessions answers 404)."),
    HISTORY_MAX_AGE_DAYS("0", "Records of sessions that ended more than this many days ago are removed, with their tracks and listener samples (0: kept)."),
    RECORDING("off", "Which sessions are recorded to Ogg Opus files: off, requested (a sender asks with \"record\": true in start) or always."),
    RECORDINGS_DIR("recordings", "Folder recordings are written to; on several nodes, one folder they all share (a network file system)."),
    RECORDINGS_MAX_GB("10", "Most disk space (GB, decimals allowed) finished recordings may take; the oldest are removed first (0: no limit)."),
    RECORDINGS_MAX_AGE_DAYS("30", "Recordings older than this many days are removed (0: kept until deleted)."),
    LOG_FORMAT("text", "Log line format: text or json.");

    private final String defaultValue;
    private final String description;

    Setting(String defaultValue, String description) {
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The environment variable, e.g. {@code MAX_SESSIONS}. */
    public String variable() {
        return name();
    }

    /** The command-line flag that mirrors it, e.g. {@code --max-sessions}. */
    public String flag() {
        return "--" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The default, or null when unset means something of its own (see the description). */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public boolean isSecret() {
        return this == BEARER_TOKEN || this == REDIS_URL || this == DATABASE_URL;
    }
}
