package dev.musicshare.api;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
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
    private static final String STARTED = "started";
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

    /**
     * The body of a JSON POST, at most {@code limit} bytes both as sent and once its content coding is undone.
     *
     * @throws ApiException 413 over the limit (from the Content-Length alone when it declares more), 415 for a
     *     non-JSON Content-Type or an unsupported Content-Encoding, 400 for a body cut short or not valid data of its
     *     coding
     */
    static byte[] readJson(Context ctx, int limit, String what) {
        requireJsonContentType(ctx);
        List<String> codings = contentCodings(ctx);
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) throw tooLarge(what, limit);
        ctx.attribute(READ, STARTED);
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
            byte[] buffer = new byte[16384];
            int read;
            while ((read = in.read(buffer)) != -1) {
                if (out.size() + read > limit) throw tooLarge(what, limit);
                out.write(buffer, 0, read);
            }
            ctx.attribute(READ, WHOLLY);
            body = out.toByteArray();
        } catch (IOException e) {
            throw ApiException.badRequest("The request body could not be read completely");
        }
        return codings.isEmpty() ? body : ContentCodings.decode(body, codings, limit, what);
    }

    private static List<String> contentCodings(Context ctx) {
        try {
            return ContentCodings.parse(ctx.header("Content-Encoding"));
        } catch (ApiException e) {
            ctx.header("Accept-Encoding", ContentCodings.SUPPORTED);
            throw e;
        }
    }

    /**
     * Before answering a request whose body was not read (an error, or an endpoint that takes none): drains a
     * bounded amount of it, and asks for the connection to be closed when more remains, so that a keep-alive client
     * never reuses a connection the server is about to drop. A client that sent {@code Expect: 100-continue} and
     * has not been asked for its body yet is not asked now: it is answered from the headers alone and the
     * connection closed, so a refused upload is never transferred (RFC 9110 §10.1.1).
     */
    static void discardUnread(Context ctx) {
        Object read = ctx.attribute(READ);
        if (WHOLLY.equals(read) || ctx.req().getContentLengthLong() == 0) return;
        ctx.attribute(READ, WHOLLY);
        if (read == null && expectsContinue(ctx.header("Expect"))) {
            ctx.header("Connection", "close");
            return;
        }
        Long configured = ctx.attribute(DRAIN_LIMIT);
        boolean readWhole;
        try {
            // Also right after a partial read: the stream goes on where the size check stopped it.
            readWhole = drain(ctx.req().getInputStream(), configured == null ? DEFAULT_DRAIN_LIMIT : configured);
        } catch (IOException | IllegalStateException e) {
            readWhole = false;
        }
        if (!readWhole) ctx.header("Connection", "close"); // beyond the limit it is not worth reading
    }

    /** Whether a request's {@code Expect} header asks for a 100 (Continue) before its body is sent. */
    static boolean expectsContinue(String expect) {
        return expect != null && expect.trim().equalsIgnoreCase("100-continue");
    }

    /**
     * Reads and drops at most about {@code limit} bytes of {@code in}; true when its end was reached within them.
     * The one drain loop, for requests refused by the routes and by Jetty alike.
     */
    static boolean drain(InputStream in, long limit) throws IOException {
        byte[] buffer = new byte[16384];
        long drained = 0;
        int count;
        while (drained <= limit && (count = in.read(buffer)) != -1) drained += count;
        return drained <= limit;
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
