package dev.musicshare.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.musicshare.share.AudioChunk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Parses an audio POST with Jackson's streaming parser: the body is mostly one long base64 string, and a tree or
 * data-bound parse would only add copies of it. Unknown fields are skipped.
 *
 * <p>The base64 is taken as a span of the body's own bytes when it holds no escapes (as every sender writes it), so
 * it is never turned into a String; an escaped one (JSON allows {@code \/} or {@code \u002B}) is read as text.
 */
final class AudioChunkParser {
    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

    private AudioChunkParser() {}

    static AudioChunk parse(byte[] body, long receivedAt) {
        byte[] data = null;
        int dataFrom = 0;
        int dataTo = 0;
        Long sampleRate = null;
        Long channels = null;
        Long sequenceNumber = null;
        long timestamp = receivedAt;
        try (JsonParser parser = FACTORY.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) throw JsonFields.notAnObject();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "data" -> {
                        data = null;
                        if (value == JsonToken.VALUE_NULL) continue;
                        if (value != JsonToken.VALUE_STRING) throw JsonFields.wrongType(field, "a string");
                        int opening = (int) parser.currentTokenLocation().getByteOffset();
                        int closing = unescapedEnd(body, opening);
                        if (closing > 0) {
                            data = body;
                            dataFrom = opening + 1;
                            dataTo = closing;
                        } else {
                            data = parser.getText().getBytes(StandardCharsets.ISO_8859_1);
                            dataFrom = 0;
                            dataTo = data.length;
                        }
                    }
                    case "sampleRate" -> sampleRate = integer(parser, value, field);
                    case "channels" -> channels = integer(parser, value, field);
                    case "sequenceNumber" -> sequenceNumber = integer(parser, value, field);
                    case "timestamp" -> {
                        Long sent = integer(parser, value, field);
                        if (sent != null) timestamp = sent;
                    }
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) throw ApiException.badRequest("Unexpected content after the JSON object");
        } catch (IOException e) {
            throw JsonFields.malformed(e, body);
        }
        return new AudioChunk(
                JsonFields.require(data, "data"), dataFrom, dataTo,
                JsonFields.toInt(JsonFields.require(sampleRate, "sampleRate"), "sampleRate"),
                JsonFields.toInt(JsonFields.require(channels, "channels"), "channels"),
                timestamp,
                JsonFields.require(sequenceNumber, "sequenceNumber"));
    }

    /**
     * The index of the quote closing the string that opens at {@code opening}, or -1 if the string holds an escape
     * (or the offset is not an opening quote, which would be a parser surprise: then the slow path decides).
     */
    private static int unescapedEnd(byte[] body, int opening) {
        if (opening < 0 || opening >= body.length || body[opening] != '"') return -1;
        for (int i = opening + 1; i < body.length; i++) {
            byte b = body[i];
            if (b == '"') return i;
            if (b == '\\') return -1;
        }
        return -1;
    }

    private static Long integer(JsonParser parser, JsonToken token, String field) throws IOException {
        if (token == JsonToken.VALUE_NULL) return null;
        if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw JsonFields.wrongType(field, "a whole number");
        }
        return parser.getLongValue();
    }
}
