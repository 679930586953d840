package dev.musicshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.config.Setting;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServeCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    @Test
    void serve_help_lists_every_setting_with_its_flag_and_default() {
        assertThat(Main.run("serve", "--help")).isZero();
        String help = out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " "); // help wraps lines
        for (Setting setting : Setting.values()) {
            assertThat(help).contains(setting.flag()).contains("Env " + setting.variable());
            if (setting.defaultValue() != null) assertThat(help).contains("default: " + setting.defaultValue());
        }
    }

    @Test
    void an_invalid_flag_value_stops_start_up_naming_the_variable() {
        assertThat(Main.run("serve", "--max-sessions", "0")).isEqualTo(ServeCommand.EXIT_BAD_SETTING);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("MAX_SESSIONS must be between 1 and 100000, was 0");
    }

    @Test
    void the_top_level_help_names_the_serve_command() {
        assertThat(Main.run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("serve");
    }
}
