package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.share.ShareException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every error {@code code} the server answers with is in the README's Errors table: the codes are the stable names
 * programs match on, so one missing there is a contract nobody can read (RECORDING_NOT_FOUND and LYRICS_NOT_FOUND
 * were). The codes are taken from the source: the share service's reasons and each literal given to an
 * {@code ApiException} or an error writer.
 */
class ReadmeErrorCodesTest {
    private static final Pattern LITERAL_CODE =
            Pattern.compile("(?:ApiException\\(|write\\(ctx, )[0-9]{3}, \"([A-Z][A-Z_]+)\"");

    @Test
    void every_error_code_the_server_answers_with_is_in_the_readme_errors_table() throws IOException {
        Set<String> codes = new TreeSet<>();
        Arrays.stream(ShareException.Reason.values()).map(Enum::name).forEach(codes::add);
        try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
            for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                Matcher found = LITERAL_CODE.matcher(Files.readString(source));
                while (found.find()) codes.add(found.group(1));
            }
        }
        assertThat(codes).contains("RECORDING_NOT_FOUND", "LYRICS_NOT_FOUND", "SESSION_NOT_FOUND");

        String readme = Files.readString(Path.of("README.md"));
        String table = readme.substring(readme.indexOf("### Errors"), readme.indexOf("A refused request changes nothing"));
        List<String> missing = codes.stream().filter(code -> !table.contains("`" + code + "`")).toList();
        assertThat(missing).as("codes missing from the README's Errors table").isEmpty();
    }
}
