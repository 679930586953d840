package dev.musicshare.live;

import io.javalin.websocket.WsContext;
import dev.musicshare.share.ListenerId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * A WebSocket listener. Each message is sent and waited for before the next, so Jetty never queues more than one
 * frame per connection: the bound is ours ({@link LiveLimits}), not an unbounded buffer inside the server. Events
 * are text messages, except an Opus listener's audio, which goes as a binary message (its framing is described in
 * the README, "Opus push").
 */
final class WsConnection extends LiveConnection {
    private static final long SEND_TIMEOUT_SECONDS = 30;
    private final WsContext ws;

    WsConnection(WsContext ws, String sessionId, ListenerId listenerId, long since, PushResources resources,
            PushCodec codec) {
        super(sessionId, listenerId, since, resources, codec);
        this.ws = ws;
    }

    @Override
    protected void write(LiveEvent event) throws IOException {
        Callback.Completable sent = new Callback.Completable();
        byte[] binary = event.webSocketBinary();
        if (binary != null) ws.session.sendBinary(ByteBuffer.wrap(binary).asReadOnlyBuffer(), sent);
        else ws.session.sendText(event.webSocketText(), sent);
        try {
            sent.get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("websocket send failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    protected int bytesOnWire(LiveEvent event) {
        byte[] binary = event.webSocketBinary();
        return binary != null ? binary.length : event.size();
    }

    @Override
    protected void closeTransport(String reason) {
        if (ws.session.isOpen()) ws.session.close(StatusCode.NORMAL, truncate(reason), Callback.NOOP);
    }

    /** A close frame's reason may hold at most 123 bytes. */
    private static String truncate(String reason) {
        return reason.length() > 120 ? reason.substring(0, 120) : reason;
    }
}
