package dev.musicshare.opuspush;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.musicshare.codec.OpusFrame;
import dev.musicshare.live.LiveEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;

/**
 * The audio events of an Opus push listener, each built once for every listener of the session on this node: the
 * JSON (SSE and the fields of the WebSocket form) carries the packets in base64 under {@code frames}; the WebSocket
 * binary message is a 4-byte big-endian header length, the header ({@code {"event":"audio","data":{…}}}, the same
 * fields with {@code frameSizes} instead of {@code frames}), then the packets back to back. The README's "Opus push"
 * describes the fields for clients.
 */
final class OpusPushEvents {
    /** Opus always decodes at 48 kHz (RFC 6716); our encoder's only rate. */
    static final int SAMPLE_RATE = 48_000;
    private static final JsonFactory JSON = new JsonFactory();

    private OpusPushEvents() {}

    /**
     * The frames encoded from one chunk.
     *
     * @param presentationTime when the first frame's first decoded sample is to be heard, epoch ms (NaN: unknown);
     *                         decoded audio trails the input by the pre-skip, which this time already includes
     * @param leadMillis       how long before the chunk's first sample the first decoded sample is heard (the
     *                         encoder's remainder plus the pre-skip), ms: the sender's clock at that sample is
     *                         {@code timestamp - leadMillis}
     * @param preSkip          samples (48 kHz) to drop from the decoded start: only for the encoder's first frames,
     *                         -1 otherwise
     */
    static LiveEvent audio(long sequenceNumber, long timestamp, double presentationTime, double leadMillis,
            int channels, int preSkip, List<OpusFrame> frames) {
        Fields fields = new Fields(sequenceNumber, timestamp, presentationTime, leadMillis, channels, preSkip, -1,
                frames);
        return LiveEvent.encodedAudio(sequenceNumber, json(fields, false), binary(fields));
    }

    /**
     * The stream's last frames after the session ended (the encoder's remainder and look-ahead, padded to a frame),
     * sent just before {@code ended}; no sequence number, so no SSE id.
     *
     * @param padding samples (48 kHz) of padding at the end of the last frame, to drop after decoding
     */
    static LiveEvent last(double presentationTime, int channels, int padding, List<OpusFrame> frames) {
        Fields fields = new Fields(-1, -1, presentationTime, Double.NaN, channels, -1, padding, frames);
        return LiveEvent.encodedAudio(-1, json(fields, false), binary(fields));
    }

    private record Fields(long sequenceNumber, long timestamp, double presentationTime, double leadMillis,
            int channels, int preSkip, int padding, List<OpusFrame> frames) {}

    private static byte[] json(Fields fields, boolean sizesOnly) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + fields.frames().size() * 600);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            writeFields(json, fields, sizesOnly);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeFields(JsonGenerator json, Fields fields, boolean sizesOnly) throws IOException {
        json.writeStartObject();
        json.writeStringField("codec", "opus");
        if (fields.sequenceNumber() >= 0) {
            json.writeNumberField("sequenceNumber", fields.sequenceNumber());
            json.writeNumberField("timestamp", fields.timestamp());
        } else {
            json.writeBooleanField("last", true);
        }
        if (!Double.isNaN(fields.presentationTime())) {
            json.writeFieldName("presentationTime");
            json.writeNumber(millis(fields.presentationTime()));
        }
        if (!Double.isNaN(fields.leadMillis())) {
            json.writeFieldName("leadMs");
            json.writeNumber(millis(fields.leadMillis()));
        }
        json.writeNumberField("sampleRate", SAMPLE_RATE);
        json.writeNumberField("channels", fields.channels());
        if (fields.preSkip() >= 0) json.writeNumberField("preSkip", fields.preSkip());
        if (fields.padding() >= 0) json.writeNumberField("padding", fields.padding());
        json.writeNumberField("frameDurationMicros", frameDurationMicros(fields.frames()));
        json.writeArrayFieldStart(sizesOnly ? "frameSizes" : "frames");
        Base64.Encoder base64 = Base64.getEncoder();
        for (OpusFrame frame : fields.frames()) {
            if (sizesOnly) json.writeNumber(frame.packet().length);
            else json.writeString(base64.encodeToString(frame.packet()));
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static byte[] binary(Fields fields) {
        ByteArrayOutputStream header = new ByteArrayOutputStream(160);
        try (JsonGenerator json = JSON.createGenerator(header)) {
            json.writeStartObject();
            json.writeStringField("event", LiveEvent.AUDIO);
            json.writeFieldName("data");
            writeFields(json, fields, true);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int packets = fields.frames().stream().mapToInt(frame -> frame.packet().length).sum();
        ByteBuffer message = ByteBuffer.allocate(4 + header.size() + packets); // big-endian
        message.putInt(header.size());
        message.put(header.toByteArray());
        fields.frames().forEach(frame -> message.put(frame.packet()));
        return message.array();
    }

    /** Every frame's duration: our encoder's frames are all 20 ms; an empty event says 20 ms too. */
    private static long frameDurationMicros(List<OpusFrame> frames) {
        return frames.isEmpty() ? 20_000 : frames.get(0).durationMicros();
    }

    /** Epoch milliseconds with microsecond digits, as the PCM chunks' presentationTime. */
    private static String millis(double epochMillis) {
        long micros = Math.round(epochMillis * 1000);
        return micros / 1000 + "." + String.format("%03d", micros % 1000);
    }
}
