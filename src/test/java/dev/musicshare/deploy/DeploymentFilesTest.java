package dev.musicshare.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        assertThat(app.at("/healthcheck/interval").asText()).isEqualTo("5s");
        assertThat(strings(app.at("/healthcheck/test")).get(1)).contains("/health");
        assertThat(strings(app.get("ports"))).contains("5000:5000");
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
