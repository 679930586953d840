package dev.musicshare.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.musicshare.MusicShareServer;
import dev.musicshare.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so the deployment files are checked by reading them: the compose file parses and says
 * what the seed asks for, and the image is built with the README's own build command.
 */
class DeploymentFilesTest {

    @Test
    void compose_runs_the_app_beside_a_bounded_persistent_redis_with_health_checks() throws IOException {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(Path.of("docker-compose.yaml").toFile());
        JsonNode app = compose.at("/services/music-share");
        JsonNode redis = compose.at("/services/redis");
        assertThat(redis.get("image").asText()).isEqualTo("redis:7-alpine");
        List<String> redisCommand = strings(redis.get("command"));
        assertThat(redisCommand).containsSubsequence("--maxmemory", "256mb")
                .containsSubsequence("--maxmemory-policy", "noeviction")
                .containsSubsequence("--appendonly", "yes");
        assertThat(strings(redis.get("volumes"))).contains("redis_data:/data");
        assertThat(compose.at("/volumes").has("redis_data")).isTrue();
        assertThat(redis.at("/healthcheck/interval").asText()).isEqualTo("5s");
        assertThat(strings(redis.at("/healthcheck/test"))).containsExactly("CMD", "redis-cli", "ping");

        assertThat(app.at("/depends_on/redis/condition").asText()).isEqualTo("service_healthy");
        assertThat(app.at("/environment/REDIS_URL").asText()).isEqualTo("redis://redis:6379");
        assertThat(app.at("/environment/BEARER_TOKEN").asText()).startsWith("${BEARER_TOKEN:?");
        // The image's HEALTHCHECK (which follows BASE_PATH) is the one health check; one here would override it.
        assertThat(app.has("healthcheck")).isFalse();
    }

    @Test
    void compose_takes_any_setting_from_a_file_bounds_memory_and_publishes_the_api_but_not_the_metrics()
            throws IOException {
        JsonNode app = new ObjectMapper(new YAMLFactory()).readTree(Path.of("docker-compose.yaml").toFile())
                .at("/services/music-share");
        assertThat(app.at("/env_file/0/path").asText()).isEqualTo("music-share.env");
        assertThat(app.at("/env_file/0/required").asBoolean(true)).isFalse();
        assertThat(app.get("mem_limit").asText()).matches("\\$\\{MUSIC_SHARE_MEMORY:-\\d+[mg]}");
        List<String> ports = strings(app.get("ports"));
        assertThat(ports).hasSize(1);
        String published = ports.get(0);
        assertThat(published).as("host address and port chosen by variables, the container's API port")
                .matches("\\$\\{MUSIC_SHARE_ADDRESS:-[0-9.]+}:\\$\\{MUSIC_SHARE_PORT:-\\d+}:"
                        + app.at("/environment/PORT").asText());
        String metricsPort = app.at("/environment/METRICS_PORT").asText();
        assertThat(metricsPort).isNotBlank().isNotEqualTo("0").isNotEqualTo(app.at("/environment/PORT").asText());
        assertThat(strings(app.get("expose"))).containsExactly(metricsPort);
        assertThat(published).doesNotContain(metricsPort);
        assertThat(Files.readString(Path.of(".dockerignore"))).containsPattern("(?m)^\\*\\*/node_modules/$")
                .containsPattern("(?m)^target/$");
    }

    /** The image's health probe, run as the image runs it (sh, wget) against a server with and without BASE_PATH. */
    @Test
    void the_image_health_check_follows_port_and_base_path() throws Exception {
        Matcher healthcheck = Pattern.compile("(?m)^HEALTHCHECK [^\\n]*\\\\\\n\\s*CMD (.*)$")
                .matcher(Files.readString(Path.of("Dockerfile")));
        assertThat(healthcheck.find()).as("a HEALTHCHECK with its CMD on the next line").isTrue();
        String probe = healthcheck.group(1);
        if (!Files.isExecutable(Path.of("/usr/bin/wget"))) {
            String message = "\n\n*** DeploymentFilesTest needs wget to run the image's health probe: apt-get install -y wget ***\n";
            if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(message);
            System.err.println(message);
            org.junit.jupiter.api.Assumptions.abort(message);
        }
        for (String basePath : new String[] {null, "/", "/music", "/music/"}) {
            Map<String, String> env = new HashMap<>(Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1", "BEARER_TOKEN",
                    "t"));
            if (basePath != null) env.put("BASE_PATH", basePath);
            try (MusicShareServer server = MusicShareServer.start(Settings.from(env), Clock.systemUTC())) {
                ProcessBuilder sh = new ProcessBuilder("sh", "-c", probe).redirectErrorStream(true);
                sh.environment().remove("BASE_PATH");
                if (basePath != null) sh.environment().put("BASE_PATH", basePath);
                sh.environment().put("PORT", "" + server.port());
                Process process = sh.start();
                String output = new String(process.getInputStream().readAllBytes());
                assertThat(process.waitFor()).as("probe with BASE_PATH=" + basePath + ": " + output).isZero();
            }
        }
    }

    @Test
    void a_second_build_does_not_shade_the_shaded_jar_again() throws IOException {
        // Found by running the README's two commands in order: 813 warnings (every class overlapping) without it,
        // 19 with it.
        assertThat(Files.readString(Path.of("pom.xml"))).containsPattern(
                "<artifactId>maven-jar-plugin</artifactId>\\s*<version>[^<]+</version>\\s*<configuration>\\s*"
                        + "(<!--(?s:.*?)-->\\s*)?<forceCreation>true</forceCreation>");
    }

    @Test
    void compose_keeps_session_history_in_a_postgresql_service_wired_by_database_url() throws IOException {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(Path.of("docker-compose.yaml").toFile());
        JsonNode app = compose.at("/services/music-share");
        JsonNode database = compose.at("/services/database");
        assertThat(database.get("image").asText()).startsWith("postgres:");
        assertThat(database.at("/environment/POSTGRES_USER").asText()).isEqualTo("musicshare");
        assertThat(database.at("/environment/POSTGRES_DB").asText()).isEqualTo("musicshare");
        assertThat(strings(database.get("volumes"))).contains("postgres_data:/var/lib/postgresql/data");
        assertThat(compose.at("/volumes").has("postgres_data")).isTrue();
        assertThat(database.at("/healthcheck/interval").asText()).isEqualTo("5s");
        assertThat(strings(database.at("/healthcheck/test"))).startsWith("CMD", "pg_isready");
        assertThat(database.has("ports")).as("the database is not published outside the compose network").isFalse();

        String url = app.at("/environment/DATABASE_URL").asText();
        assertThat(url).startsWith("postgresql://musicshare:").endsWith("@database:5432/musicshare");
        assertThat(database.at("/environment/POSTGRES_PASSWORD").asText()).isEqualTo(
                url.substring("postgresql://musicshare:".length(), url.indexOf("@database")));
        assertThat(app.at("/depends_on/database/condition").asText()).isEqualTo("service_healthy");
        // The value the app receives is one the server accepts.
        assertThat(dev.musicshare.config.DatabaseUrl.parse(url.replace("${POSTGRES_PASSWORD:-music-share}", "pw"))
                .jdbcUrl()).isEqualTo("jdbc:postgresql://database:5432/musicshare");
    }

    @Test
    void the_image_builds_with_the_readme_command_and_runs_as_a_non_root_user() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        String readme = Files.readString(Path.of("README.md"));
        Matcher build = Pattern.compile("```bash\\n(mvn [^&\\n]*package[^&\\n]*?) &&").matcher(readme);
        assertThat(build.find()).as("the README's build command").isTrue();
        assertThat(dockerfile).contains("RUN " + build.group(1).trim() + "\n");
        assertThat(dockerfile).containsPattern("(?m)^FROM .* AS build$").containsPattern("(?m)^FROM .*jre.*$");
        assertThat(dockerfile).containsPattern("(?m)^USER musicshare$");
        assertThat(dockerfile).containsPattern("(?m)^HEALTHCHECK --interval=5s .*\\n?.*/health");
        assertThat(dockerfile).contains("COPY --from=build /src/target/music-share.jar");
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
