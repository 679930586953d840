package dev.musicshare.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void a_postgresql_uri_becomes_a_jdbc_url_with_separate_decoded_credentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://music%40share:p%3Ass@db.example.org:6432/history?sslmode=require");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.org:6432/history?sslmode=require");
        assertThat(url.user()).isEqualTo("music@share");
        assertThat(url.password()).isEqualTo("p:ss");
        assertThat(DatabaseUrl.parse("postgres://db/history").jdbcUrl()).isEqualTo("jdbc:postgresql://db/history");
    }

    @Test
    void a_jdbc_url_is_kept_as_given_and_never_printed_with_its_password() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://db:5432/h?user=u&password=secret");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/h?user=u&password=secret");
        assertThat(url.toString()).doesNotContain("secret");
        assertThat(DatabaseUrl.parse("postgresql://u:secret@db/h").toString()).doesNotContain("secret");
    }

    @Test
    void anything_else_is_refused_without_echoing_the_value() {
        for (String bad : new String[] {"mysql://u:secret@db/h", "secret", "postgresql:///nohost", "jdbc:mysql://x"}) {
            assertThatThrownBy(() -> DatabaseUrl.parse(bad)).isInstanceOf(InvalidSettingException.class)
                    .hasMessageStartingWith("DATABASE_URL must look like postgresql://").hasMessageNotContaining("secret");
        }
    }

    @Test
    void settings_default_to_the_embedded_file_and_sample_once_a_minute() {
        Settings settings = Settings.from(Map.of("BEARER_TOKEN", "t"));
        assertThat(settings.history().database()).isNull();
        assertThat(settings.history().directory()).hasToString("history");
        assertThat(settings.history().sampleInterval()).hasSeconds(60);
        assertThat(settings.history().maxPending()).isEqualTo(10_000);
        assertThat(settings.toString()).contains("history=sqlite in history");
        assertThat(Settings.from(Map.of("BEARER_TOKEN", "t", "DATABASE_URL", "postgresql://u:pw@db/h")).toString())
                .contains("history=postgresql").doesNotContain("pw");
        assertThatThrownBy(() -> Settings.from(Map.of("HISTORY_SAMPLE_SECONDS", "0")))
                .hasMessage("HISTORY_SAMPLE_SECONDS must be between 1 and 604800, was 0");
    }
}
