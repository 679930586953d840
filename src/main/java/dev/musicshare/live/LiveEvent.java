package dev.musicshare.live;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One event for push listeners, serialised once: every connection on the node writes these same bytes. The JSON
 * payload is a single line (Jackson escapes newlines inside strings), as SSE's {@code data:} field needs.
 */
public final class LiveEvent {
    public static final String METADATA = "metadata";
    public static final String AUDIO = "audio";
    public static final String GAP = "gap";
    public static final String ENDED = "ended";
    public static final String HEARTBEAT = "heartbeat";
    public static final String RECONNECT = "reconnect";

    private final String name;
    private final long sequenceNumber;
    private final byte[] json;
    private final byte[] sseFrame;
    private volatile String webSocketText;
    /** A gap's last sequence number; -1 for other events. */
    private long gapTo = -1;
    /** An Opus audio event's WebSocket form (header and raw packets); null for events sent as text. */
    private byte[] webSocketBinary;
    /** When the event came to exist on this node, for the delivery-delay metric. */
    private final long createdNanos = System.nanoTime();

    private LiveEvent(String name, long sequenceNumber, byte[] json) {
        this(name, sequenceNumber, json, sseFrame(name, sequenceNumber, json));
    }

    private LiveEvent(String name, long sequenceNumber, byte[] json, byte[] sseFrame) {
        this.name = name;
        this.sequenceNumber = sequenceNumber;
        this.json = json;
        this.sseFrame = sseFrame;
    }

    /** On SSE a comment line (proxies see traffic, EventSource ignores it); on WebSocket a heartbeat event. */
    public static LiveEvent heartbeat() {
        return new LiveEvent(HEARTBEAT, -1, "{}".getBytes(StandardCharsets.US_ASCII),
                ": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII));
    }

    public static LiveEvent audio(long sequenceNumber, byte[] chunkJson) {
        return new LiveEvent(AUDIO, sequenceNumber, chunkJson);
    }

    /**
     * An Opus audio event, serialised once for every listener: {@code json} (frames in base64) for SSE and
     * {@code webSocketBinary} for WebSocket. A {@code sequenceNumber} of -1 marks the stream's last frames, which
     * follow the last chunk's and carry no id of their own.
     */
    public static LiveEvent encodedAudio(long sequenceNumber, byte[] json, byte[] webSocketBinary) {
        LiveEvent event = new LiveEvent(AUDIO, sequenceNumber, json);
        event.webSocketBinary = webSocketBinary;
        return event;
    }

    public static LiveEvent of(String name, byte[] json) {
        return new LiveEvent(name, -1, json);
    }

    public static LiveEvent gap(long from, long to) {
        LiveEvent event = of(GAP, ("{\"from\":" + from + ",\"to\":" + to + "}").getBytes(StandardCharsets.US_ASCII));
        event.gapTo = to;
        return event;
    }

    /** This node is going away: the listener should reconnect (with since), to another node if there is one. */
    public static LiveEvent reconnect(String reason) {
        return of(RECONNECT, ("{\"reason\":\"" + reason + "\"}").getBytes(StandardCharsets.US_ASCII));
    }

    public static LiveEvent ended(String reason) {
        return of(ENDED, ("{\"reason\":\"" + reason + "\"}").getBytes(StandardCharsets.US_ASCII));
    }

    public String name() {
        return name;
    }

    public boolean isAudio() {
        return sequenceNumber >= 0;
    }

    /** The chunk's sequence number; -1 for other events. */
    public long sequenceNumber() {
        return sequenceNumber;
    }

    /** The last sequence number a {@code gap} names (the listener will get none up to it); -1 for other events. */
    public long gapTo() {
        return gapTo;
    }

    public byte[] json() {
        return json;
    }

    /** When the event was made ({@link System#nanoTime()}), for the delivery-latency metric. */
    long createdNanos() {
        return createdNanos;
    }

    /** Bytes on the wire (the SSE frame), used to bound each connection's queue. */
    public int size() {
        return sseFrame.length;
    }

    /** {@code event:}, {@code id:} (audio: the sequence number, for Last-Event-ID) and {@code data:} lines. */
    public byte[] sseFrame() {
        return sseFrame;
    }

    /** The binary WebSocket message of an Opus audio event (shared: never modify it); null for text events. */
    public byte[] webSocketBinary() {
        return webSocketBinary;
    }

    /** {@code {"event": name, "data": payload}}, built on first use and shared. */
    public String webSocketText() {
        String text = webSocketText;
        if (text == null) {
            text = "{\"event\":\"" + name + "\",\"data\":" + new String(json, StandardCharsets.UTF_8) + "}";
            webSocketText = text;
        }
        return text;
    }

    private static byte[] sseFrame(String name, long sequenceNumber, byte[] json) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(json.length + 48);
        frame.writeBytes(("event: " + name + "\n").getBytes(StandardCharsets.US_ASCII));
        if (sequenceNumber >= 0) frame.writeBytes(("id: " + sequenceNumber + "\n").getBytes(StandardCharsets.US_ASCII));
        frame.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
        frame.writeBytes(json);
        frame.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
        return frame.toByteArray();
    }
}
