package dev.musicshare.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.musicshare.history.HistoryUnavailableException;
import dev.musicshare.share.ShareException;
import dev.musicshare.store.StoreFullException;
import dev.musicshare.store.StoreUnavailableException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.servlet.JavalinWsServletContext;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers. Every error is JSON in the seed's style: sender endpoints (POST)
 * answer {@code {"success": false, "error": …}}, listener endpoints {@code {"error": …}}; both add a stable
 * machine-readable {@code code}. No stack trace or internal name reaches a client.
 */
final class ErrorResponses {
    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {}

    static void register(RoutesConfig routes, RateLimits limits) {
        routes.exception(ApiException.class, (e, ctx) -> write(ctx, e.status(), e.code(), e.getMessage()));
        routes.exception(ShareException.class, (e, ctx) -> {
            if (e.reason() == ShareException.Reason.SESSION_NOT_FOUND) limits.recordMiss(ctx);
            write(ctx, statusOf(e.reason()), e.reason().name(), e.getMessage());
        });
        routes.exception(StoreFullException.class, (e, ctx) -> {
            log.atWarn().addKeyValue("path", ctx.path()).log("store full, request refused: {}", e.getMessage());
            ctx.header("Retry-After", "5");
            write(ctx, 503, "STORE_FULL", "The session store is out of memory and refused this change; nothing was "
                    + "changed. Retry later (the operator must free memory or raise Redis's maxmemory)");
        });
        ThrottledLog storeUnavailableLines = new ThrottledLog(Duration.ofSeconds(1));
        routes.exception(StoreUnavailableException.class, (e, ctx) -> {
            long withheld = storeUnavailableLines.admit();
            if (withheld >= 0) {
                log.atWarn().addKeyValue("path", ctx.path()).addKeyValue("refusedWithoutALine", withheld)
                        .log("store unavailable, request refused with 503 (one line a second at most): {}",
                                e.getMessage());
            }
            ctx.header("Retry-After", "1");
            write(ctx, 503, "STORE_UNAVAILABLE", "The session store is unavailable; retry shortly");
        });
        routes.exception(HistoryUnavailableException.class, (e, ctx) -> {
            log.atWarn().addKeyValue("path", ctx.path()).log("history database unavailable: {}",
                    e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            ctx.header("Retry-After", "5");
            write(ctx, 503, "HISTORY_UNAVAILABLE", "The history database is unavailable; retry shortly");
        });
        routes.exception(Exception.class, (e, ctx) -> {
            log.atError().addKeyValue("path", ctx.path()).setCause(e).log("unexpected error");
            write(ctx, 500, "INTERNAL_ERROR", "Internal server error");
        });
        // Our own 404s are JSON already; Javalin's "no such endpoint" answer is plain text and is replaced.
        routes.error(404, ctx -> {
            String contentType = ctx.res().getContentType();
            if (contentType == null || !contentType.startsWith(Json.CONTENT_TYPE)) {
                write(ctx, 404, "NOT_FOUND", "No such endpoint: " + ctx.method() + " " + ctx.path());
            }
        });
    }

    static void write(Context ctx, int status, String code, String message) {
        RequestBodies.discardUnread(ctx);
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (ctx.method() == HandlerType.POST) body.put("success", false);
        if (status == 404 && ctx.path().endsWith("/status")) body.put("isActive", false);
        body.put("error", message).put("code", code);
        ctx.status(status);
        Json.write(ctx, body);
        if (ctx instanceof JavalinWsServletContext) writeNow(ctx);
    }

    /**
     * A refused WebSocket handshake: Javalin sets the status and headers of such an answer but never sends the result
     * a handler set, so the client would get an empty body labelled JSON. The body is written here instead.
     */
    private static void writeNow(Context ctx) {
        try (InputStream result = ctx.resultInputStream()) {
            if (result == null) return;
            byte[] bytes = result.readAllBytes();
            ctx.res().setContentLength(bytes.length);
            ctx.res().getOutputStream().write(bytes);
            ctx.res().flushBuffer();
        } catch (IOException e) {
            log.atDebug().addKeyValue("path", ctx.path()).log("refused handshake not answered: {}", e.getMessage());
        }
    }

    private static int statusOf(ShareException.Reason reason) {
        return switch (reason) {
            case INVALID_REQUEST -> 400;
            case SESSION_NOT_FOUND, METADATA_NOT_FOUND -> 404;
            case SESSION_IN_USE, SESSION_NOT_ACTIVE -> 409;
            case SESSION_LIMIT_REACHED -> 503;
            case SENDER_KEY_REQUIRED, SENDER_KEY_INVALID -> 403;
        };
    }
}
