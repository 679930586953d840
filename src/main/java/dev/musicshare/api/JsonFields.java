package dev.musicshare.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Typed access to request JSON, with errors that name the field and what it should have been. */
final class JsonFields {
    /** Content after the object is refused, as the audio parser refuses it: a request is one JSON value. */
    private static final ObjectReader STRICT = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonFields() {}

    static JsonNode parseObject(byte[] body) {
        JsonNode node;
        try {
            node = STRICT.readTree(body);
        } catch (IOException e) {
            throw malformed(e, body);
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

    /**
     * A 400 for a body Jackson could not parse, in our own words: where the JSON broke and the kind of fault. Jackson's
     * own text is never passed on, as it names its internal classes and settings.
     */
    static ApiException malformed(IOException e, byte[] body) {
        String where = "";
        if (e instanceof JsonProcessingException json && json.getLocation() != null
                && json.getLocation().getLineNr() > 0) {
            where = " at line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr();
        }
        String fault;
        if (!isUtf8(body)) fault = "it is not UTF-8 text";
        else if (e instanceof StreamConstraintsException) fault = "it nests too deeply or holds too long a number,"
                + " string or name" + where;
        else if (e instanceof JsonEOFException) fault = "it ends before the JSON value is complete";
        else if (e instanceof MismatchedInputException) fault = "more follows the JSON object" + where;
        else fault = "unexpected input" + where;
        return ApiException.badRequest("Request body is not valid JSON: " + fault);
    }

    private static boolean isUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
