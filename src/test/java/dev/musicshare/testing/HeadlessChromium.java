package dev.musicshare.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * What a browser test needs: Debian's Chromium, node and npm (.ci/run installs them), and the scripts' one npm
 * package (playwright-core), installed here when missing. Outside CI a machine without them skips the test with a
 * message saying how to install them; under CI (CI=true) the test fails instead.
 */
public final class HeadlessChromium {
    public static final Path SCRIPT_DIR = Path.of("src/test/browser");

    private HeadlessChromium() {}

    public static void require(String testName) throws IOException {
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        String missing = !Files.isExecutable(Path.of(chromium)) ? chromium
                : !onPath("node") ? "node" : !onPath("npm") ? "npm" : null;
        if (missing != null) {
            String message = "\n\n*** " + testName + " needs " + missing
                    + ": apt-get install -y chromium nodejs npm ***\n";
            if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(message);
            System.err.println(message);
            Assumptions.abort(message);
        }
        if (!Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core"))) {
            try {
                // Not inheritIO: this JVM's stdout is surefire's channel, and npm's output there corrupts it.
                Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(SCRIPT_DIR.toFile())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                                Path.of("target/npm-ci.log").toFile())).start();
                if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                    throw new IllegalStateException("npm ci in " + SCRIPT_DIR + " failed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) return true;
        }
        return false;
    }
}
