package dev.musicshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.config.Setting;
import dev.musicshare.testing.ConsoleCapture;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ServeCommandTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void serve_help_lists_every_setting_with_its_flag_and_default() {
        assertThat(Main.run("serve", "--help")).isZero();
        String help = console.stdout().replaceAll("\\s+", " "); // help wraps lines
        for (Setting setting : Setting.values()) {
            assertThat(help).contains(setting.flag()).contains("Env " + setting.variable());
            if (setting.defaultValue() != null) assertThat(help).contains("default: " + setting.defaultValue());
        }
    }

    @Test
    void an_invalid_flag_value_stops_start_up_naming_the_variable() {
        assertThat(Main.run("serve", "--max-sessions", "0")).isEqualTo(ServeCommand.EXIT_BAD_SETTING);
        assertThat(console.stderr())
                .contains("MAX_SESSIONS must be between 1 and 100000, was 0");
    }

    @Test
    void the_top_level_help_names_the_serve_command() {
        assertThat(Main.run("--help")).isZero();
        assertThat(console.stdout()).contains("serve");
    }
}
