package dev.musicshare.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client over a real socket; each text message {"event", "data"} becomes a {@link PushEvent}, and so does
 * each binary message (Opus push: header length, header {"event", "data"}, packets), its packets put back under
 * {@code data.frames} in base64 as SSE carries them, so tests read both transports alike.
 */
public final class WsTestClient extends PushClient implements WebSocket.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StringBuilder partial = new StringBuilder();
    private final java.io.ByteArrayOutputStream partialBinary = new java.io.ByteArrayOutputStream();
    private volatile int binaryMessages;
    private WebSocket socket;
    private volatile String closeReason;

    public static WsTestClient open(int port, String path, String... headers) {
        WsTestClient client = new WsTestClient();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        for (int i = 0; i + 1 < headers.length; i += 2) builder.header(headers[i], headers[i + 1]);
        try {
            client.socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + path), client)
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new CompletionException("websocket refused: " + e.getMessage(), e);
        }
        return client;
    }

    /** How many binary messages arrived. */
    public int binaryMessages() {
        return binaryMessages;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        partialBinary.writeBytes(bytes);
        if (last) {
            try {
                events.add(opusMessage(java.nio.ByteBuffer.wrap(partialBinary.toByteArray())));
                binaryMessages++;
            } catch (Exception e) {
                events.add(new PushEvent("unparseable", null, null));
            }
            partialBinary.reset();
        }
        webSocket.request(1);
        return null;
    }

    private static PushEvent opusMessage(java.nio.ByteBuffer message) throws java.io.IOException {
        int headerLength = message.getInt();
        byte[] header = new byte[headerLength];
        message.get(header);
        JsonNode parsed = JSON.readTree(header);
        com.fasterxml.jackson.databind.node.ObjectNode data = (com.fasterxml.jackson.databind.node.ObjectNode)
                parsed.get("data");
        com.fasterxml.jackson.databind.node.ArrayNode frames = data.putArray("frames");
        for (JsonNode size : data.get("frameSizes")) {
            byte[] packet = new byte[size.asInt()];
            message.get(packet);
            frames.add(java.util.Base64.getEncoder().encodeToString(packet));
        }
        if (message.hasRemaining()) throw new IllegalStateException(message.remaining() + " bytes after the frames");
        return new PushEvent(parsed.get("event").asText(), null, data);
    }

    public String closeReason() {
        return closeReason;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                JsonNode message = JSON.readTree(partial.toString());
                events.add(new PushEvent(message.get("event").asText(), null, message.get("data")));
            } catch (Exception e) {
                events.add(new PushEvent("unparseable", null, null));
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closedByServer = true;
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closedByServer = true;
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
}
