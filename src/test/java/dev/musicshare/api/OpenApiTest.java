package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.ServedRoutes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The API description cannot drift from the server: every route is described, and every example is accepted. */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = "memory")
class OpenApiTest extends ApiTestBase {

    @Test
    void every_route_the_server_serves_is_described() throws Exception {
        JsonNode spec = spec();
        List<String> described = new ArrayList<>();
        spec.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (!method.equals("parameters")) described.add(method.toUpperCase() + " " + path.getKey());
        }));
        // distinct: the WebSocket path is served twice, the handshake and a plain GET's 426, as one documented GET
        assertThat(described).containsExactlyInAnyOrderElementsOf(ServedRoutes.of(server.http()).stream().distinct()
                .toList());
    }

    @Test
    void every_request_example_is_accepted_as_documented() throws Exception {
        JsonNode paths = spec().get("paths");
        List<String> tried = new ArrayList<>();
        // The start example first: the other examples act on the session it creates.
        for (String path : orderedPaths(paths)) {
            for (Iterator<Map.Entry<String, JsonNode>> it = paths.get(path).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> operation = it.next();
                JsonNode example = operation.getValue().at("/requestBody/content/application~1json/example");
                if (example.isMissingNode()) continue;
                String url = path.replace("{sessionId}", "123456");
                Reply reply = api.postJson(url, new ObjectMapper().writeValueAsString(example));
                assertThat(reply.status()).as(operation.getKey() + " " + path + ": " + reply).isEqualTo(200);
                tried.add(path);
            }
        }
        assertThat(tried).contains("/api/share/start", "/api/share/{sessionId}/metadata", "/api/share/{sessionId}/audio");
    }

    private JsonNode spec() throws Exception {
        Reply reply = api.withAuthorization(null).get("/openapi.json");
        assertThat(reply.status()).isEqualTo(200);
        JsonNode spec = reply.json();
        assertThat(spec.get("openapi").asText()).startsWith("3.");
        return spec;
    }

    private static List<String> orderedPaths(JsonNode paths) {
        List<String> ordered = new ArrayList<>();
        paths.fieldNames().forEachRemaining(ordered::add);
        ordered.remove("/api/share/start");
        ordered.add(0, "/api/share/start");
        return ordered;
    }
}
