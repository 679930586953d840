package dev.musicshare.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/** The HTTP layer's JSON: one shared mapper, and responses written as bytes with the JSON content type. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String CONTENT_TYPE = "application/json";

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static void write(Context ctx, Object body) {
        try {
            ctx.contentType(CONTENT_TYPE).result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response could not be serialised", e);
        }
    }
}
