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
    private static final String PARTLY = "partly";
    private static final String WHOLLY = "wholly";
    /** Unread body drained before an error answer, so the connection can be reused; beyond it the connection closes. */
    private static final int DRAIN_LIMIT = 256 * 1024;

    /** The body of a JSON POST, at most {@code limit} bytes. */
    static byte[] readJson(Context ctx, int limit, String what) {
        requireJsonContentType(ctx);
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) throw tooLarge(what, limit);
        ctx.attribute(READ, PARTLY);
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
     * Before an error answer to a request whose body was not read: drains a bounded amount of it, and asks for the
     * connection to be closed when more remains, so that a keep-alive client never reuses a connection the server is
     * about to drop.
     */
    static void discardUnread(Context ctx) {
        Object read = ctx.attribute(READ);
        if (WHOLLY.equals(read)) return;
        if (PARTLY.equals(read)) {
            ctx.header("Connection", "close"); // the rest of an oversized body is not worth reading
            return;
        }
        boolean readWhole = false;
        if (ctx.req().getContentLengthLong() != 0) {
            try {
                InputStream in = ctx.req().getInputStream();
                byte[] buffer = new byte[16384];
                long drained = 0;
                int count;
                while (drained <= DRAIN_LIMIT && (count = in.read(buffer)) != -1) drained += count;
                readWhole = drained <= DRAIN_LIMIT;
            } catch (IOException | IllegalStateException e) {
                readWhole = false;
            }
            if (!readWhole) ctx.header("Connection", "close");
        }
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
