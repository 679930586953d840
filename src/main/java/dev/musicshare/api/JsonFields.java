package dev.musicshare.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** Typed access to request JSON, with errors that name the field and what it should have been. */
final class JsonFields {
    private JsonFields() {}

    static JsonNode parseObject(byte[] body) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw malformed(e);
        }
        if (node == null || !node.isObject()) throw notAnObject();
        return node;
    }

    /** A string or null; anything else is refused. */
    static String optionalString(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isTextual()) throw wrongType(field, "a string or null");
        return value.textValue();
    }

    static boolean optionalBoolean(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) return false;
        if (!value.isBoolean()) throw wrongType(field, "true, false or null");
        return value.booleanValue();
    }

    static double optionalNumber(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) return 0;
        if (!value.isNumber()) throw wrongType(field, "a number or null");
        return value.doubleValue();
    }

    static long optionalLong(JsonNode object, String field, long otherwise) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) return otherwise;
        if (!value.isNumber() || !value.canConvertToLong()) throw wrongType(field, "a whole number of milliseconds");
        return value.longValue();
    }

    static <T> T require(T value, String field) {
        if (value == null) throw ApiException.badRequest("Missing required field: " + field);
        return value;
    }

    static int toInt(long value, String field) {
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) throw wrongType(field, "a 32-bit whole number");
        return (int) value;
    }

    static ApiException wrongType(String field, String expected) {
        return ApiException.badRequest("Field " + field + " must be " + expected);
    }

    static ApiException notAnObject() {
        return ApiException.badRequest("Request body must be a JSON object");
    }

    static ApiException malformed(IOException e) {
        String detail = e instanceof JsonProcessingException json ? json.getOriginalMessage() : "unreadable";
        return ApiException.badRequest("Request body is not valid JSON: " + firstLine(detail));
    }

    private static String firstLine(String text) {
        if (text == null) return "unreadable";
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
