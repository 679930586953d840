package dev.musicshare.opuspush;

import dev.musicshare.live.LiveConnection;
import dev.musicshare.live.LiveEvent;
import dev.musicshare.live.OpusPush;
import dev.musicshare.share.SessionId;
import dev.musicshare.stream.OpusStreams;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Push in Opus ({@code /events} and {@code /ws} with {@code codec=opus}) on this node: one {@link OpusPushChannel}
 * per session with such listeners, subscribed to the session's encoder ({@link OpusStreams}, shared with the
 * stream.ogg listeners) while it has any, so a session is encoded once however its listeners receive it.
 */
public final class OpusPushService implements OpusPush {
    private final OpusStreams streams;
    private final Map<String, OpusPushChannel> channels = new HashMap<>();
    private final Map<LiveConnection, OpusPushChannel> subscribed = new HashMap<>();

    public OpusPushService(OpusStreams streams) {
        this.streams = streams;
    }

    @Override
    public void subscribe(LiveConnection connection, SessionId id, long since, List<LiveEvent> backlog) {
        synchronized (this) {
            OpusPushChannel channel = channels.get(id.value());
            if (channel == null || channel.isEnded()) {
                // A channel whose stream ended stays until its listeners have left; newcomers get a fresh one (a new
                // encoder, which plays out the buffer and tells them the session ended, if it did).
                channel = new OpusPushChannel(id.value());
                streams.addSink(id, channel, connection.listenerId());
                channels.put(id.value(), channel);
            }
            subscribed.put(connection, channel);
            channel.subscribe(connection, since, backlog);
        }
        connection.onClose(() -> leave(connection));
    }

    /** Opus push listeners on this node. */
    public synchronized int listenerCount() {
        return subscribed.size();
    }

    private synchronized void leave(LiveConnection connection) {
        OpusPushChannel channel = subscribed.remove(connection);
        if (channel == null) return;
        if (subscribed.containsValue(channel)) {
            channel.unsubscribe(connection);
            return;
        }
        channels.remove(channel.sessionId(), channel);
        streams.removeSink(new SessionId(channel.sessionId()), channel);
    }
}
