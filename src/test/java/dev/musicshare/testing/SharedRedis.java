package dev.musicshare.testing;

/**
 * One redis-server for this test JVM, started on first use and stopped when the JVM exits; tests that need it
 * empty call {@link #freshUrl()}. (Tests that kill or reconfigure Redis start a {@link RedisServer} of their own.)
 */
public final class SharedRedis {
    private static RedisServer server;

    private SharedRedis() {}

    public static synchronized RedisServer server() {
        if (server == null) {
            server = RedisServer.start();
            RedisServer started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "redis-test-server-stop"));
        }
        return server;
    }

    /** The shared server's URL, with every key deleted. */
    public static String freshUrl() {
        RedisServer redis = server();
        redis.flush();
        return redis.url();
    }
}
