package dev.musicshare.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.musicshare.share.AudioChunk;
import java.io.IOException;

/**
 * Parses an audio POST with Jackson's streaming parser: the body is mostly one long base64 string, and a tree or
 * data-bound parse would only add copies of it. Unknown fields are skipped.
 */
final class AudioChunkParser {
    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

    private AudioChunkParser() {}

    static AudioChunk parse(byte[] body, long receivedAt) {
        String data = null;
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
                    case "data" -> data = string(parser, value, field);
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
            throw JsonFields.malformed(e);
        }
        return new AudioChunk(
                JsonFields.require(data, "data"),
                JsonFields.toInt(JsonFields.require(sampleRate, "sampleRate"), "sampleRate"),
                JsonFields.toInt(JsonFields.require(channels, "channels"), "channels"),
                timestamp,
                JsonFields.require(sequenceNumber, "sequenceNumber"));
    }

    private static String string(JsonParser parser, JsonToken token, String field) throws IOException {
        if (token == JsonToken.VALUE_NULL) return null;
        if (token != JsonToken.VALUE_STRING) throw JsonFields.wrongType(field, "a string");
        return parser.getText();
    }

    private static Long integer(JsonParser parser, JsonToken token, String field) throws IOException {
        if (token == JsonToken.VALUE_NULL) return null;
        if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw JsonFields.wrongType(field, "a whole number");
        }
        return parser.getLongValue();
    }
}
