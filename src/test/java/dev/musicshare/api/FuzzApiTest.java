package dev.musicshare.api;

import static dev.musicshare.testing.AudioSamples.chunkJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thousands of malformed, truncated, oversized and type-confused requests (seeded, so a failure replays): none may
 * get a 5xx or hang, every error must be JSON with a code, and an unrelated live session must not change.
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis"})
class FuzzApiTest extends ApiTestBase {
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 3_000);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] IDS = {"222222", "333333", "12345", "1234567", "abcdef", "%2F..%2F", "start",
        "１２３４５６", "", "000000", "999999999999999999999", "222222%00", "-22222", "22222%20"};
    private static final String[] ACTIONS = {"status", "metadata", "audio", "stop", "thumbnail", "events", "", "x",
        "audio/extra", "..", "metadata%20"};
    private static final String[] SINCE = {"", "-1", "-2", "0", "1.5", "abc", "9223372036854775808", "1e3",
        "%00", "-1&since=2", "%2B1", "%201"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "", "application/xml",
        "APPLICATION/JSON", "application/vnd.api+json"};

    private static final String[] CONTENT_ENCODINGS = {"gzip", "deflate", "br", "identity", "zstd, gzip", "x"};

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Random random = new Random(20261124);

    @Override
    Map<String, String> extraEnvironment() {
        // Limits off: the point is to reach every handler, not to be throttled after the first few.
        // Long lifetimes: the untouched session must not simply expire while the fuzz runs.
        return Map.of("RATE_LIMIT_MISSES_PER_MINUTE", "0", "RATE_LIMIT_STARTS_PER_MINUTE", "0",
                "RATE_LIMIT_SENDER_PER_SECOND", "0", "AUDIO_TTL_SECONDS", "600", "METADATA_TTL_SECONDS", "600");
    }

    @Test
    void malformed_requests_get_json_4xx_and_leave_other_sessions_alone() throws Exception {
        expect(200, start("111111"));
        api.postJson("/api/share/111111/metadata", "{\"title\":\"Untouched\",\"artist\":\"A\",\"elapsedSeconds\":3}");
        for (long sequence = 0; sequence < 3; sequence++) postChunk("111111", sequence);
        String before = snapshot();
        expect(200, start("222222"));

        List<String> failures = new ArrayList<>();
        for (int i = 0; i < REQUESTS && failures.size() < 10; i++) {
            HttpRequest request = randomRequest();
            HttpResponse<byte[]> response;
            try {
                // Bounded here: the JDK client's own timeout does not cover a stalled upload. Only a hang fails:
                // how fast an answer comes is a benchmark's question, and a loaded machine makes any bound flaky.
                response = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).get(15,
                        java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                if (!refusedByTheHttpParser(request)) {
                    failures.add(request.method() + " " + request.uri() + " " + request.headers().map() + " -> " + e);
                }
                continue;
            }
            String problem = problemWith(response);
            if (problem != null) failures.add(request.method() + " " + request.uri() + " -> " + problem);
        }
        assertThat(failures).isEmpty();
        assertThat(snapshot()).isEqualTo(before);
    }

    /**
     * A request line Jetty's HTTP parser refuses (e.g. {@code %00} before a {@code ..} segment) is answered with a
     * JSON 400 and the connection is closed before any handler runs, so the body the client is still sending cannot
     * be read, and the client's kernel may reset the connection before it reads the 400 (TCP's rule for closing
     * with unread input). Such a failure is excused only when the same request without a body is answered with
     * exactly that JSON 400 — the server's answer is still checked; only the loss in transit is not counted.
     */
    private boolean refusedByTheHttpParser(HttpRequest request) {
        HttpRequest.Builder bodiless = HttpRequest.newBuilder(request.uri()).timeout(Duration.ofSeconds(10));
        request.headers().map().forEach((name, values) -> values.forEach(value -> bodiless.header(name, value)));
        try {
            HttpResponse<byte[]> answer = http.send(bodiless.method(request.method(),
                    HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
            return answer.statusCode() == 400 && answer.headers().firstValue("Connection").orElse("").equals("close")
                    && JSON.readTree(answer.body()).path("code").asText().equals("INVALID_REQUEST");
        } catch (Exception e) {
            return false;
        }
    }

    private String snapshot() {
        JsonNode status = api.get("/api/share/111111/status").json();
        return status.get("isActive") + " " + status.get("currentMetadata") + " "
                + api.get("/api/share/111111/metadata").text() + " " + api.get("/api/share/111111/audio").text();
    }

    private static String problemWith(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (response.headers().firstValue("Set-Cookie").isPresent()) return "sets a cookie";
        if (status >= 500) return "status " + status + ": " + new String(response.body(), StandardCharsets.UTF_8);
        if (status < 400) return null;
        try {
            JsonNode body = JSON.readTree(response.body());
            if (body == null || !body.path("error").isTextual() || !body.path("code").isTextual()) {
                return "error without error/code: " + new String(response.body(), StandardCharsets.UTF_8);
            }
            String text = body.toString();
            if (text.contains("Exception") || text.contains("at dev.") || text.contains("Source:")
                    || text.contains("REDACTED") || text.contains("`")) {
                return "leaks internals: " + text;
            }
            return null;
        } catch (Exception e) {
            return "non-JSON " + status + ": " + new String(response.body(), StandardCharsets.UTF_8);
        }
    }

    private HttpRequest randomRequest() {
        String id = pick(IDS);
        String action = pick(ACTIONS);
        boolean post = random.nextInt(3) > 0;
        String path = random.nextInt(20) == 0 ? "/api/share/start" : "/api/share/" + id + "/" + action;
        // Streams only to an id the fuzz can never start: a live session's stream rightly stays open.
        if (action.equals("events")) path = "/api/share/444444/events";
        String query = random.nextBoolean() ? "?since=" + pick(SINCE) : "";
        if (random.nextInt(10) == 0) query += (query.isEmpty() ? "?" : "&") + "access_token="
                + java.net.URLEncoder.encode(garbage(20), StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path
                + query)).timeout(Duration.ofSeconds(10));
        request.header("Authorization", random.nextInt(10) == 0 ? "Bearer " + garbage(30) : "Bearer " + TOKEN);
        if (random.nextInt(8) == 0) request.header("X-Listener-Id", garbage(random.nextInt(300)));
        if (random.nextInt(8) == 0) request.header("X-Sender-Key", garbage(40));
        if (!post) return request.GET().build();
        String contentType = pick(CONTENT_TYPES);
        if (!contentType.isEmpty()) request.header("Content-Type", contentType);
        if (random.nextInt(10) == 0) request.header("Content-Encoding", pick(CONTENT_ENCODINGS));
        return request.POST(HttpRequest.BodyPublishers.ofByteArray(randomBody(action))).build();
    }

    private byte[] randomBody(String action) {
        String valid = switch (action) {
            case "audio" -> chunkJson(random.nextInt(5), 441);
            case "metadata" -> "{\"title\":\"T\",\"artist\":\"A\",\"lyrics\":null,\"hasSyncedLyrics\":true,"
                    + "\"elapsedSeconds\":1.5,\"totalSeconds\":100,\"thumbnailData\":\"/9j/\",\"timestamp\":1}";
            default -> "{\"sessionId\":\"" + pick(IDS) + "\"}";
        };
        return switch (random.nextInt(9)) {
            case 0 -> valid.substring(0, random.nextInt(valid.length())).getBytes(StandardCharsets.UTF_8);
            case 1 -> confuseTypes(valid).getBytes(StandardCharsets.UTF_8);
            case 2 -> "[".repeat(5_000).getBytes(StandardCharsets.UTF_8);
            case 3 -> garbageBytes(random.nextInt(2_000));
            case 4 -> ("{\"data\":\"" + "A".repeat(MAX_AUDIO_BODY) + "\"}").getBytes(StandardCharsets.UTF_8);
            case 5 -> valid.replace("1", "1e999").replace("\"T\"", "\"\\ud800\"").getBytes(StandardCharsets.UTF_8);
            case 6 -> new byte[0];
            case 7 -> ("{\"a\":" + "{\"a\":".repeat(200) + "1" + "}".repeat(201)).getBytes(StandardCharsets.UTF_8);
            default -> valid.getBytes(StandardCharsets.UTF_8);
        };
    }

    /** Swaps one value's JSON type: a string becomes a number, an object, an array, a bool or null. */
    private String confuseTypes(String json) {
        String[] replacements = {"123", "{}", "[]", "true", "null", "\"\"", "-1", "1.0e20", "[\"x\"]"};
        String[] targets = {"\"T\"", "1.5", "true", "null", "\"/9j/\"", "44100", "2", "\"" + "A"};
        String target = pick(targets);
        return json.contains(target) ? json.replaceFirst(java.util.regex.Pattern.quote(target), pick(replacements))
                : json;
    }

    private String garbage(int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) text.append((char) (0x21 + random.nextInt(0x5d)));
        return text.toString();
    }

    private byte[] garbageBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }
}
