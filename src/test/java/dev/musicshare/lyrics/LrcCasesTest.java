package dev.musicshare.lyrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The two LRC parsers, the Java {@link LrcLyrics} and the listener page's {@code lyrics.js}, against one table
 * of cases ({@code src/test/resources/lrc-cases.json}), so that they cannot drift apart: the same lines, times and
 * current-line groups from the same text.
 */
@Tag("browser")
class LrcCasesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CASES = Path.of("src/test/resources/lrc-cases.json");
    private static final Path PAGE_PARSER = Path.of("src/main/resources/web/assets/lyrics.js");
    private static final Path RUNNER = Path.of("src/test/browser/lrc-cases.mjs");

    @Test
    void the_java_parser_meets_every_shared_case() throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode testCase : cases()) {
            LrcLyrics lyrics = LrcLyrics.parse(testCase.get("lrc").asText());
            var result = JSON.createObjectNode().put("name", testCase.get("name").asText());
            var lines = result.putArray("lines");
            lyrics.lines().forEach(line -> lines.addArray().add(line.seconds()).add(line.text()));
            var groups = result.putArray("groups");
            for (JsonNode probe : testCase.get("groups")) {
                double seconds = probe.get(0).asDouble();
                var texts = groups.addArray().add(seconds).addArray();
                lyrics.groupAt(seconds).ifPresent(group -> lyrics.texts(group).forEach(texts::add));
            }
            found.add(result);
        }
        assertMeetsTheCases(found);
        assertThat(LrcLyrics.isSynced("just words")).isFalse();
        assertThat(LrcLyrics.isSynced("[00:01.00]x")).isTrue();
    }

    @Test
    void the_page_parser_meets_every_shared_case() throws Exception {
        requireNode();
        Process node = new ProcessBuilder("node", RUNNER.toString(), PAGE_PARSER.toString(), CASES.toString())
                .redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        List<JsonNode> found = new ArrayList<>();
        JSON.readTree(output).forEach(found::add);
        assertMeetsTheCases(found);
    }

    private static void assertMeetsTheCases(List<JsonNode> found) throws IOException {
        List<JsonNode> cases = cases();
        assertThat(found).hasSameSizeAs(cases);
        for (int i = 0; i < cases.size(); i++) {
            JsonNode expected = cases.get(i);
            JsonNode actual = found.get(i);
            String name = expected.get("name").asText();
            assertThat(actual.get("lines")).as(name + ": lines").hasSameSizeAs(expected.get("lines"));
            for (int line = 0; line < expected.get("lines").size(); line++) {
                JsonNode want = expected.get("lines").get(line);
                JsonNode got = actual.get("lines").get(line);
                assertThat(got.get(0).asDouble()).as(name + ": time of line " + line)
                        .isCloseTo(want.get(0).asDouble(), within(1e-9));
                assertThat(got.get(1).asText()).as(name + ": text of line " + line).isEqualTo(want.get(1).asText());
            }
            for (int probe = 0; probe < expected.get("groups").size(); probe++) {
                JsonNode want = expected.get("groups").get(probe);
                assertThat(actual.get("groups").get(probe).get(1)).as(name + ": current lines at "
                        + want.get(0).asDouble() + " s").isEqualTo(want.get(1));
            }
        }
    }

    private static List<JsonNode> cases() throws IOException {
        List<JsonNode> cases = new ArrayList<>();
        JSON.readTree(CASES.toFile()).get("cases").forEach(cases::add);
        return cases;
    }

    /** node runs the page's parser; outside CI a machine without it skips with the install command. */
    private static void requireNode() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "node"))) return;
        }
        String message = "\n\n*** LrcCasesTest needs node for the page's parser: apt-get install -y nodejs ***\n";
        if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(message);
        System.err.println(message);
        Assumptions.abort(message);
    }
}
