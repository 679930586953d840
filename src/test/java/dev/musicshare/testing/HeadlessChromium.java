package dev.musicshare.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * What a browser test needs: Debian's Chromium, node and npm (.ci/run installs them), and the scripts' one npm
 * package (playwright-core), installed here when missing. Outside CI a machine without them skips the test with a
 * message saying how to install them; under CI (CI=true) the test fails instead. And the one way a test runs a
 * browser script and holds its dialogue ({@link #runScript}).
 */
public final class HeadlessChromium {
    public static final Path SCRIPT_DIR = Path.of("src/test/browser");
    private static final ObjectMapper JSON = new ObjectMapper();

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
                Path log = Path.of("target/npm-ci.log");
                Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(SCRIPT_DIR.toFile())
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                    throw new IllegalStateException("npm ci in " + SCRIPT_DIR + " failed:\n" + Files.readString(log));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    /** Answers to a browser script: each value one line on its standard input. */
    @FunctionalInterface
    public interface Answers {
        void send(Object... lines) throws IOException;
    }

    /** What a test does at one step of a browser script (act on the server, answer the script), as it comes. */
    @FunctionalInterface
    public interface StepHandler {
        void on(JsonNode step, Answers answers) throws Exception;
    }

    /**
     * What a browser script reported: the last step of each name, and its exit status (-1: it did not exit within
     * its patience and was killed).
     */
    public record ScriptRun(Map<String, JsonNode> steps, int exitValue) {}

    /**
     * Runs {@code node script args…} in {@link #SCRIPT_DIR} and holds the dialogue every browser script speaks: each
     * line it prints is a JSON object naming its {@code step}, handed to {@code onStep} as it comes; an answer goes
     * back on the script's standard input. Once its output ends the script has {@code patience} to exit.
     *
     * @param stderr where the script's own log goes (never this JVM's stdout, which is surefire's channel)
     */
    public static ScriptRun runScript(String script, List<String> args, ProcessBuilder.Redirect stderr,
            Duration patience, StepHandler onStep) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(args);
        Process node = new ProcessBuilder(command).directory(SCRIPT_DIR.toFile()).redirectError(stderr).start();
        Map<String, JsonNode> steps = new HashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(),
                StandardCharsets.UTF_8)); OutputStream in = node.getOutputStream()) {
            Answers answers = lines -> {
                for (Object line : lines) in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
            };
            for (String line; (line = out.readLine()) != null; ) {
                JsonNode step = JSON.readTree(line);
                steps.put(step.get("step").asText(), step);
                onStep.on(step, answers);
            }
        } finally {
            if (!node.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        return new ScriptRun(steps, node.isAlive() ? -1 : node.exitValue());
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) return true;
        }
        return false;
    }
}
