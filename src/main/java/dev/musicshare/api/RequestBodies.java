package dev.musicshare.api;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Reads request bodies with a hard size limit, whether they come with a Content-Length or chunked (the desktop app
 * never sends a length). A body is read whole before anything is parsed, so an upload aborted half-way stores
 * nothing.
 */
final class RequestBodies {
    private RequestBodies() {}

    private static final String READ = "music-share.body-read";
    private static final String WHOLLY = "wholly";
    private static final String DRAIN_LIMIT = "music-share.drain-limit";
    /** Drained when no route set its own limit (unmatched paths): enough for any ordinary mistaken request. */
    private static final long DEFAULT_DRAIN_LIMIT = 256 * 1024;

    /**
     * How much of an unwanted body is read before an error answer. It should cover every body the server accepts
     * anywhere: a server that answers early and closes while the client is still uploading makes the client's kernel
     * reset the connection, and the client then never sees the 413 or 404 it was sent.
     */
    static void setDrainLimit(Context ctx, long bytes) {
        ctx.attribute(DRAIN_LIMIT, bytes);
    }

    /** The body of a JSON POST, at most {@code limit} bytes. */
    static byte[] readJson(Context ctx, int limit, String what) {
        requireJsonContentType(ctx);
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) throw tooLarge(what, limit);
        try (InputStream in = ctx.req().getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
            byte[] buffer = new byte[16384];
            int read;
            while ((read = in.read(buffer)) != -1) {
                if (out.size() + read > limit) throw tooLarge(what, limit);
                out.write(buffer, 0, read);
            }
            ctx.attribute(READ, WHOLLY);
            return out.toByteArray();
        } catch (IOException e) {
            throw ApiException.badRequest("The request body could not be read completely");
        }
    }

    /**
     * Before answering a request whose body was not read (an error, or an endpoint that takes none): drains a
     * bounded amount of it, and asks for the connection to be closed when more remains, so that a keep-alive client
     * never reuses a connection the server is about to drop.
     */
    static void discardUnread(Context ctx) {
        if (WHOLLY.equals(ctx.attribute(READ)) || ctx.req().getContentLengthLong() == 0) return;
        Long configured = ctx.attribute(DRAIN_LIMIT);
        long limit = configured == null ? DEFAULT_DRAIN_LIMIT : configured;
        boolean readWhole;
        try {
            // Also right after a partial read: the stream goes on where the size check stopped it.
            InputStream in = ctx.req().getInputStream();
            byte[] buffer = new byte[16384];
            long drained = 0;
            int count;
            while (drained <= limit && (count = in.read(buffer)) != -1) drained += count;
            readWhole = drained <= limit;
        } catch (IOException | IllegalStateException e) {
            readWhole = false;
        }
        ctx.attribute(READ, WHOLLY);
        if (!readWhole) ctx.header("Connection", "close"); // beyond the limit it is not worth reading
    }

    /** An absent Content-Type is tolerated (some clients omit it); a declared non-JSON one is refused. */
    private static void requireJsonContentType(Context ctx) {
        String contentType = ctx.header("Content-Type");
        if (contentType == null || contentType.isBlank()) return;
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE",
                    "Content-Type must be application/json, was " + mediaType);
        }
    }

    private static ApiException tooLarge(String what, int limit) {
        return new ApiException(413, "PAYLOAD_TOO_LARGE", what + " body exceeds the limit of " + limit + " bytes");
    }
}
