package dev.musicshare.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The Music Share API as the reference clients use it: one session, the shared token, the sender key once the
 * session is started. Requests that fail for a passing reason (network, 429, 5xx) are retried under one
 * {@link RetryPolicy}; repeating an audio POST is safe because the server replaces a chunk with the same sequence
 * number, and {@code start} is repeated only when it cannot have reached the server.
 */
public final class ShareApi {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String sessionId;
    private final String authorization;
    private final String listenerId;
    private final HttpClient http;
    private volatile String senderKey;
    private volatile String listenUrl;
    private volatile RetryPolicy retry = RetryPolicy.quiet();

    public ShareApi(String baseUrl, String token, String sessionId) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authorization = "Bearer " + token;
        this.sessionId = sessionId;
        this.listenerId = "music-share-cli-" + Long.toHexString(new java.security.SecureRandom().nextLong());
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public String sessionId() {
        return sessionId;
    }

    /** The server's base URL, as given (without a trailing slash). */
    public String baseUrl() {
        return baseUrl;
    }

    /** Uses {@code policy} for every request, and for the push stream's reconnections (see {@link Listener}). */
    public ShareApi retrying(RetryPolicy policy) {
        this.retry = policy;
        return this;
    }

    public RetryPolicy retryPolicy() {
        return retry;
    }

    /** Starts the session and keeps its sender key for the requests that follow. */
    public void start() throws IOException {
        JsonNode answer = expectOk(send(post("/api/share/start", "{\"sessionId\":\"" + sessionId + "\"}"), false),
                "start");
        senderKey = answer.path("senderKey").asText(null);
        listenUrl = answer.path("listenUrl").asText(null);
    }

    /**
     * The listen link the server's start answer gave: the listener page with the session's read-only listener token
     * in its {@code #} fragment, at the server's PUBLIC_URL or the address this client reached it by. Null before
     * {@link #start()}, or from a server too old to give one.
     */
    public String listenUrl() {
        return listenUrl;
    }

    /** Posts metadata; returns the server's count of listeners it reached ({@code listenersNotified}). */
    public int postMetadata(byte[] json) throws IOException {
        return expectOk(send(post("/api/share/" + sessionId + "/metadata", json), true), "metadata")
                .path("listenersNotified").asInt(0);
    }

    public void postAudio(byte[] json) throws IOException {
        expectOk(send(post("/api/share/" + sessionId + "/audio", json), true), "audio");
    }

    /** Stops the session; returns the server's answer (duration, bytes, stats). */
    public JsonNode stop() throws IOException {
        return expectOk(send(post("/api/share/" + sessionId + "/stop", "{}"), true), "stop");
    }

    /** One poll: the chunks newer than {@code since} (empty on 204). */
    public JsonNode audioSince(long since) throws IOException {
        HttpResponse<byte[]> response = send(get("/api/share/" + sessionId + "/audio?since=" + since).build(), true);
        if (response.statusCode() == 204) return JSON.createArrayNode();
        return expectOk(response, "audio");
    }

    /** The current metadata, or null when there is none yet. */
    public JsonNode metadata() throws IOException {
        HttpResponse<byte[]> response = send(get("/api/share/" + sessionId + "/metadata").build(), true);
        if (response.statusCode() == 404 && "METADATA_NOT_FOUND".equals(code(response))) return null;
        return expectOk(response, "metadata");
    }

    public JsonNode status() throws IOException {
        return expectOk(send(get("/api/share/" + sessionId + "/status").build(), true), "status");
    }

    /** The push stream (Server-Sent Events) from {@code since}, as bytes; the caller closes the stream. */
    public InputStream events(long since) throws IOException {
        return events(since, "pcm");
    }

    /** The push stream from {@code since} with audio in {@code codec} ("pcm" or "opus"); the caller closes it. */
    public InputStream events(long since, String codec) throws IOException {
        return openStream("/api/share/" + sessionId + "/events?since=" + since + "&codec=" + codec,
                "text/event-stream", "events");
    }

    /** The live Ogg Opus stream ({@code stream.ogg}), as bytes; the caller closes it. */
    public InputStream oggStream() throws IOException {
        return openStream("/api/share/" + sessionId + "/stream.ogg", "audio/ogg", "stream.ogg");
    }

    /**
     * The one-line playlist media players open ({@code stream.m3u}). A listener token (read-only, made to be shared in
     * links) is included as {@code access_token}; the master token never is, as it must not end up in logs.
     */
    public String playlistUrl() {
        String token = authorization.substring("Bearer ".length());
        String url = baseUrl + "/api/share/" + sessionId + "/stream.m3u";
        return token.startsWith("lt_") ? url + "?access_token=" + token : url + "?access_token=<token>";
    }

    private InputStream openStream(String path, String accept, String what) throws IOException {
        HttpRequest request = get(path).header("Accept", accept).timeout(Duration.ofDays(1)).build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                String body;
                try (InputStream refusal = response.body()) {
                    body = new String(refusal.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
                throw new ApiError(response.statusCode(), what + ": HTTP " + response.statusCode() + " " + body);
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private HttpRequest post(String path, String json) {
        return post(path, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private HttpRequest post(String path, byte[] json) {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        if (senderKey != null) request.header("X-Sender-Key", senderKey);
        return request.build();
    }

    private HttpRequest.Builder get(String path) {
        return request(path).header("X-Listener-Id", listenerId).GET();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", authorization)
                .header("User-Agent", "music-share-cli").timeout(Duration.ofSeconds(30));
    }

    /**
     * Sends under the {@link RetryPolicy}: a request that never reached the server (refused, unresolvable, timed out
     * connecting) is retried whatever it is; one that may have been applied, or was answered 429/5xx, is retried only
     * when repeating it is harmless ({@code idempotent}).
     */
    private HttpResponse<byte[]> send(HttpRequest request, boolean idempotent) throws IOException {
        String target = request.method() + " " + request.uri();
        IOException failure;
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (!idempotent || (status != 429 && status < 500)) return response;
                failure = new ApiError(status, describe(request, response));
            } catch (IOException e) {
                if (!idempotent && !ConnectionFailure.neverSent(e)) throw retry.gaveUp(target, e);
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (attempt >= retry.attempts()) throw retry.gaveUp(target, failure);
            retry.pauseAfter(attempt, target, ConnectionFailure.describe(failure));
        }
    }

    private static JsonNode expectOk(HttpResponse<byte[]> response, String what) throws IOException {
        if (response.statusCode() / 100 != 2) {
            throw new ApiError(response.statusCode(), what + ": " + describe(response.request(), response));
        }
        return response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    private static String code(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body()).path("code").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static String describe(HttpRequest request, HttpResponse<byte[]> response) {
        String body = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
        return "HTTP " + response.statusCode() + " from " + request.method() + " " + request.uri().getPath() + ": "
                + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
    }

    /** A refusal from the server, with its HTTP status. */
    public static final class ApiError extends IOException {
        private final int status;

        ApiError(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
