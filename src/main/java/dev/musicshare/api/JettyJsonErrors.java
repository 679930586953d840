package dev.musicshare.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before a request reaches the routes (an ambiguous or malformed URI, oversized headers,
 * a malformed request line), in the API's JSON shape rather than an HTML page. Only the standard reason phrase is
 * used: Jetty's own message may describe internals.
 */
final class JettyJsonErrors extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
            Callback callback) {
        drainBody(request);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Json.CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        // Jetty drops a connection after a request it could not route; say so, so the client does not reuse it.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(body(status)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Json.CONTENT_TYPE);
        fields.put(HttpHeader.CONNECTION, "close");
        return ByteBuffer.wrap(body(status));
    }

    /**
     * Reads (a bounded amount of) the body the client sent before the connection is closed: closing a socket with
     * unread input makes the kernel reset it, and the client then loses this answer. The same reason as
     * {@link RequestBodies#discardUnread}, for requests Jetty refused before routing. Best effort only: when the
     * HTTP parser itself refused the request line, Jetty answers through a stand-in request whose body is empty,
     * and the real body stays unread.
     */
    private static void drainBody(Request request) {
        // A client waiting for 100 (Continue) has not sent its body and must not be asked for it now.
        if (RequestBodies.expectsContinue(request.getHeaders().get(HttpHeader.EXPECT))) return;
        try (java.io.InputStream in = org.eclipse.jetty.io.Content.Source.asInputStream(request)) {
            RequestBodies.drain(in, DRAIN_LIMIT);
        } catch (java.io.IOException | RuntimeException e) {
            // Nothing more to do: the answer is still written, the connection still closes.
        }
    }

    private static final long DRAIN_LIMIT = 2L * 1024 * 1024;

    private static byte[] body(int status) {
        String code = switch (status) {
            case 400 -> "INVALID_REQUEST";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 414 -> "URI_TOO_LONG";
            case 431 -> "HEADERS_TOO_LARGE";
            default -> status >= 500 ? "INTERNAL_ERROR" : "HTTP_" + status;
        };
        String reason = HttpStatus.getMessage(status);
        return ("{\"error\":\"" + reason + "\",\"code\":\"" + code + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
