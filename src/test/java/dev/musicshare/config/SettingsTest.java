package dev.musicshare.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.musicshare.live.LiveLimits;
import dev.musicshare.redis.RedisOptions;
import dev.musicshare.store.StoreSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    /** The one place the defaults are pinned: every record handed to the parts is derived from the table. */
    @Test
    void every_default_is_pinned_here_and_reaches_the_part_that_uses_it() {
        Settings settings = Settings.defaults();
        assertThat(settings.port()).isEqualTo(5000);
        assertThat(settings.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(settings.basePath()).isEqualTo("/");
        assertThat(settings.requireSenderKey()).isFalse();
        assertThat(settings.corsOrigins()).isEmpty();
        assertThat(settings.redisUrl()).isNull();
        assertThat(settings.logFormat()).isEqualTo("text");
        // The seed's store rules.
        assertThat(settings.store()).isEqualTo(new StoreSettings(50, Duration.ofMinutes(15), Duration.ofSeconds(30),
                50, Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofMinutes(5),
                Duration.ofSeconds(15)));
        assertThat(settings.push()).isEqualTo(new LiveLimits(64, 8L * 1024 * 1024, 5, Duration.ofSeconds(15)));
        assertThat(Settings.from(Map.of("REDIS_URL", "redis://localhost:6379")).redisOptions())
                .isEqualTo(new RedisOptions("redis://localhost:6379", Duration.ofSeconds(2), 4, 128L * 1024 * 1024));
        assertThat(settings.rateLimits()).isEqualTo(new RateLimitSettings(20, 60, 100));
        assertThat(settings.maxAudioBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(settings.maxMetadataBodyBytes()).isEqualTo(4 * 1024 * 1024);
        assertThat(settings.metadataLimits()).isEqualTo(new MetadataLimits(2 * 1024 * 1024, 64 * 1024, 512));
    }

    @Test
    void the_push_limits_are_settings() {
        Settings settings = Settings.from(Map.of("PUSH_QUEUE_EVENTS", "8", "PUSH_QUEUE_BYTES", "524288",
                "PUSH_MAX_OVERFLOWS", "2", "PUSH_HEARTBEAT_SECONDS", "30"));
        assertThat(settings.push()).isEqualTo(new LiveLimits(8, 512 * 1024, 2, Duration.ofSeconds(30)));
        assertRefused(Map.of("PUSH_QUEUE_EVENTS", "0"), "PUSH_QUEUE_EVENTS must be between 1 and 100000, was 0");
    }

    @Test
    void redis_options_need_a_redis_url() {
        assertThatThrownBy(() -> Settings.defaults().redisOptions()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("REDIS_URL");
    }

    @Test
    void the_base_path_loses_a_trailing_slash() {
        assertThat(Settings.from(Map.of("BASE_PATH", "/music/")).basePath()).isEqualTo("/music");
        assertThat(Settings.from(Map.of()).basePath()).isEqualTo("/");
        assertThat(Settings.from(Map.of("PUBLIC_URL", "https://music.example.org:8443/")).publicUrl())
                .isEqualTo("https://music.example.org:8443");
        assertThat(Settings.from(Map.of()).publicUrl()).isNull();
    }

    @Test
    void a_missing_token_is_generated_unguessably() {
        Settings first = Settings.from(Map.of());
        Settings second = Settings.from(Map.of());
        assertThat(first.tokenGenerated()).isTrue();
        assertThat(first.bearerToken()).hasSize(48).isNotEqualTo(second.bearerToken());
        assertThat(Settings.from(Map.of("BEARER_TOKEN", "mine")).tokenGenerated()).isFalse();
    }

    @Test
    void to_string_never_shows_secrets() {
        Settings settings = Settings.from(Map.of("BEARER_TOKEN", "s3cret-token", "REDIS_URL",
                "redis://user:hunter2@localhost:6379"));
        assertThat(settings.toString()).doesNotContain("s3cret-token").doesNotContain("hunter2").contains("redis");
    }

    @Test
    void invalid_values_are_refused_with_the_variable_named() {
        assertRefused(Map.of("PORT", "70000"), "PORT must be between 0 and 65535, was 70000");
        assertRefused(Map.of("PORT", "http"), "PORT must be a whole number, was \"http\"");
        assertRefused(Map.of("MAX_SESSIONS", "0"), "MAX_SESSIONS must be between 1 and 100000, was 0");
        assertRefused(Map.of("SESSION_TIMEOUT_SECONDS", "-5"), "SESSION_TIMEOUT_SECONDS must be between 1 and");
        assertRefused(Map.of("AUDIO_BUFFER_CHUNKS", "1.5"), "AUDIO_BUFFER_CHUNKS must be a whole number");
        assertRefused(Map.of("LOG_FORMAT", "xml"), "LOG_FORMAT must be text or json, was \"xml\"");
        assertRefused(Map.of("BEARER_TOKEN", "two words"), "BEARER_TOKEN must not be blank or contain whitespace");
        assertRefused(Map.of("REDIS_URL", "http://user:pw@host"), "REDIS_URL must look like redis://host:port");
        assertRefused(Map.of("MAX_AUDIO_BODY_BYTES", "10"), "MAX_AUDIO_BODY_BYTES must be between 1024 and");
        assertRefused(Map.of("BASE_PATH", "music"), "BASE_PATH must be a URL path starting with /");
        assertRefused(Map.of("PUBLIC_URL", "https://example.org/music"),
                "PUBLIC_URL must be an origin like https://host[:port]");
        assertRefused(Map.of("PUBLIC_URL", "music.example.org"), "PUBLIC_URL must be an origin like https://host[:port]");
    }

    @Test
    void a_refused_redis_url_does_not_echo_its_password() {
        assertThatThrownBy(() -> Settings.from(Map.of("REDIS_URL", "http://user:hunter2@host")))
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void every_setting_has_a_flag_derived_from_its_variable() {
        assertThat(Setting.MAX_SESSIONS.flag()).isEqualTo("--max-sessions");
        assertThat(Setting.REDIS_URL.flag()).isEqualTo("--redis-url");
        for (Setting setting : Setting.values()) assertThat(setting.description()).endsWith(".");
    }

    private static void assertRefused(Map<String, String> env, String message) {
        assertThatThrownBy(() -> Settings.from(env)).isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith(message);
    }
}
