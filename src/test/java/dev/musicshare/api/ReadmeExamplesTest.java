package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The README's curl examples, run as written (in order, with curl) against a real server, each compared with the
 * output the README shows beside it. Only the port is changed, and values that differ on every run (times,
 * durations) are not compared.
 */
class ReadmeExamplesTest {
    private static final Set<String> VARYING = Set.of("timestamp", "startTime", "sessionDuration", "durationSeconds",
            "senderKey", "listenerToken", "listenUrl", "presentationTime");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Example(String command, String expected) {}

    @Test
    void every_curl_example_in_the_api_section_works_as_written() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is needed to run the examples");
        List<Example> examples = examples(Files.readString(Path.of("README.md")));
        assertThat(examples).hasSizeGreaterThanOrEqualTo(9);
        try (MusicShareServer server = MusicShareServer.start(Settings.from(Map.of("PORT", "0",
                "BIND_ADDRESS", "127.0.0.1", "BEARER_TOKEN", "Token")), Clock.systemUTC())) {
            for (Example example : examples) {
                String command = example.command().replace("http://localhost:5000", "http://127.0.0.1:" + server.port());
                String output = run(command);
                assertMatches(example, output);
            }
        }
    }

    /** curl commands in the README's API section (streams excepted), each with the "# …" line shown after it. */
    static List<Example> examples(String readme) {
        String api = readme.substring(readme.indexOf("## The API"), readme.indexOf("### Push"));
        List<Example> examples = new ArrayList<>();
        String[] lines = api.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("curl ")) continue;
            StringBuilder command = new StringBuilder(lines[i]);
            while (command.toString().endsWith("\\") || openQuote(command)) command.append("\n").append(lines[++i]);
            String expected = i + 1 < lines.length && lines[i + 1].startsWith("# ") ? lines[i + 1].substring(2) : null;
            examples.add(new Example(command.toString(), expected));
        }
        return examples;
    }

    private static boolean openQuote(CharSequence command) {
        return command.chars().filter(c -> c == '\'').count() % 2 == 1;
    }

    private static String run(String command) throws IOException, InterruptedException {
        Process curl = new ProcessBuilder("bash", "-c", command + " --silent --max-time 10").redirectErrorStream(true)
                .start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(curl.exitValue()).as(command + "\n" + output).isZero();
        return output;
    }

    private static void assertMatches(Example example, String output) throws IOException {
        String expected = example.expected();
        if (expected == null) return;
        if (expected.startsWith("HTTP/")) {
            assertThat(output.lines().findFirst().orElse("")).as(example.command()).isEqualTo(expected);
        } else if (expected.contains("...")) {
            assertThat(output).as(example.command()).startsWith(expected.substring(0, expected.indexOf("...")));
        } else {
            assertSameJson(example.command(), JSON.readTree(expected), JSON.readTree(output));
        }
    }

    private static void assertSameJson(String where, JsonNode expected, JsonNode actual) {
        if (expected.isObject()) {
            List<String> expectedNames = new ArrayList<>();
            expected.fieldNames().forEachRemaining(expectedNames::add);
            List<String> actualNames = new ArrayList<>();
            actual.fieldNames().forEachRemaining(actualNames::add);
            assertThat(actualNames).as(where).containsExactlyElementsOf(expectedNames);
            for (Iterator<String> names = expected.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!VARYING.contains(name)) assertSameJson(where + " ." + name, expected.get(name), actual.get(name));
            }
        } else if (expected.isArray()) {
            assertThat(actual.size()).as(where).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) assertSameJson(where + "[" + i + "]", expected.get(i), actual.get(i));
        } else {
            assertThat(actual).as(where).isEqualTo(expected);
        }
    }
}
