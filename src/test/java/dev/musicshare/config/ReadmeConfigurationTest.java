package dev.musicshare.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's configuration table and the code's list of settings cannot drift apart. */
class ReadmeConfigurationTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z_]+)` \\| ([^|]+) \\| (.+) \\|$");

    @Test
    void the_readme_table_lists_every_setting_with_its_default_and_description() throws IOException {
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) rows.put(row.group(1), new String[] {row.group(2).trim(), row.group(3).trim()});
        }
        assertThat(rows.keySet()).containsExactly(
                java.util.Arrays.stream(Setting.values()).map(Setting::variable).toArray(String[]::new));
        for (Setting setting : Setting.values()) {
            String[] row = rows.get(setting.variable());
            String expectedDefault = setting.defaultValue() == null ? row[0] : "`" + setting.defaultValue() + "`";
            assertThat(row[0]).as(setting.variable()).isEqualTo(expectedDefault);
            assertThat(row[1]).as(setting.variable()).isEqualTo(setting.description());
        }
    }
}
