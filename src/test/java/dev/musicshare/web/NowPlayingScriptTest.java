package dev.musicshare.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The listener page's now-playing rules (which metadata is due, where in the track the listener is), run by node's
 * own test runner over {@code src/test/browser/now-playing.test.mjs}: no browser, no audio, no server.
 */
@Tag("browser")
class NowPlayingScriptTest {
    private static final Path SCRIPT_DIR = Path.of("src/test/browser");

    @Test
    void the_now_playing_rules_pass_their_node_tests() throws Exception {
        requireNode();
        Process node = new ProcessBuilder("node", "--test", "now-playing.test.mjs").directory(SCRIPT_DIR.toFile())
                .redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("# pass [1-9]").contains("# fail 0");
    }

    /** Outside CI a machine without node skips with the install command; on CI it must run. */
    private static void requireNode() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "node"))) return;
        }
        String message = "\n\n*** NowPlayingScriptTest needs node: apt-get install -y nodejs ***\n";
        if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(message);
        System.err.println(message);
        Assumptions.abort(message);
    }
}
