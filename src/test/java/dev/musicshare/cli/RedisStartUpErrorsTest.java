package dev.musicshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.testing.ConsoleCapture;
import dev.musicshare.testing.RedisSentinel;
import dev.musicshare.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@code serve} says when it cannot use Redis at start-up (exit 3, one line on stderr): a Redis that answers
 * but refuses the password, or sentinels that know no master of the given name, are not "unreachable" — that line
 * would send an operator to the network instead of the password or the name. The password never appears.
 */
@org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class RedisStartUpErrorsTest {
    private static final String PASSWORD = "s3cret-pw";
    private static RedisServer guarded;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @BeforeAll
    static void startRedis() {
        guarded = RedisServer.start();
        dev.musicshare.testing.Resp.call(guarded.port(), "CONFIG", "SET", "requirepass", PASSWORD);
    }

    @AfterAll
    static void stopRedis() {
        if (guarded != null) guarded.close();
    }

    @Test
    void a_wrong_or_missing_password_is_reported_as_refused_not_unreachable() {
        String wrong = "redis://:wrong-pw@127.0.0.1:" + guarded.port();
        String none = "redis://127.0.0.1:" + guarded.port();
        for (String url : new String[] {wrong, none}) {
            console.clear();
            assertThat(serve(url)).as(url).isEqualTo(ServeCommand.EXIT_STORE_UNREACHABLE);
            assertThat(console.stderr().strip()).as(url).isEqualTo("music-share: cannot reach Redis at start-up: Redis"
                    + " at redis://127.0.0.1:" + guarded.port() + " refused the password (check the password in"
                    + " REDIS_URL)");
        }
        assertThat(console.stderr() + console.stdout()).doesNotContain("wrong-pw").doesNotContain(PASSWORD);
    }

    @Test
    void a_master_name_the_sentinels_do_not_know_is_named() {
        RedisSentinel sentinel = RedisSentinel.shared();
        String url = sentinel.url().replace("sentinelMasterId=" + RedisSentinel.MASTER_NAME, "sentinelMasterId=nosuch");
        assertThat(serve(url)).isEqualTo(ServeCommand.EXIT_STORE_UNREACHABLE);
        String sentinels = url.substring("redis-sentinel://".length(), url.indexOf('/', "redis-sentinel://".length()));
        assertThat(console.stderr().strip()).isEqualTo("music-share: cannot reach Redis at start-up: the sentinels at "
                + sentinels + " know no master named nosuch");
    }

    @Test
    void unreachable_sentinels_give_one_line_without_lettuces_own_warnings() throws java.io.IOException {
        String url = "redis-sentinel://127.0.0.1:" + unusedPort() + ",127.0.0.1:" + unusedPort()
                + "/?sentinelMasterId=" + RedisSentinel.MASTER_NAME;
        assertThat(serve(url)).isEqualTo(ServeCommand.EXIT_STORE_UNREACHABLE);
        assertThat(console.stdout() + console.stderr()).doesNotContain("Cannot connect Redis Sentinel");
        assertThat(console.stderr().strip().lines()).singleElement().asString().endsWith(" is unreachable");
    }

    /** A port nothing listens on (free a moment ago). */
    private static int unusedPort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static int serve(String redisUrl) {
        return Main.run("serve", "--redis-url", redisUrl, "--port", "0", "--bind-address", "127.0.0.1",
                "--bearer-token", "Token", "--history", "off");
    }
}
