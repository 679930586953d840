package dev.musicshare.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.musicshare.config.Settings;
import dev.musicshare.recording.Recordings;
import dev.musicshare.share.AudioChunk;
import dev.musicshare.share.Metadata;
import dev.musicshare.share.SenderKey;
import dev.musicshare.share.SessionId;
import dev.musicshare.share.ShareService;
import dev.musicshare.share.StartedSession;
import dev.musicshare.share.StopSummary;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;

/**
 * The sender's endpoints: start, metadata, audio, stop.
 *
 * <pre>
 * curl -X POST localhost:5000/api/share/start -H "Authorization: Bearer $TOKEN" \
 *      -H "Content-Type: application/json" -d '{"sessionId": "123456"}'
 * </pre>
 * With {@code RECORDING=requested}, {@code "record": true} in start asks for the session to be recorded; the answer
 * says whether it is ({@code "recording"}), and is otherwise the seed's.
 */
final class SenderRoutes {
    private final ShareService shares;
    private final Settings settings;
    private final Clock clock;
    private final InviteRoutes invites;
    private final Recordings recordings;

    SenderRoutes(ShareService shares, Settings settings, Clock clock, InviteRoutes invites, Recordings recordings) {
        this.recordings = recordings;
        this.shares = shares;
        this.settings = settings;
        this.clock = clock;
        this.invites = invites;
    }

    void register(RoutesConfig routes) {
        routes.post("/api/share/start", this::start);
        routes.post("/api/share/{sessionId}/metadata", this::metadata);
        routes.post("/api/share/{sessionId}/audio", this::audio);
        routes.post("/api/share/{sessionId}/stop", this::stop);
    }

    private void start(Context ctx) {
        JsonNode body = JsonFields.parseObject(RequestBodies.readJson(ctx, settings.maxMetadataBodyBytes(), "Start"));
        JsonNode rawId = body.get("sessionId");
        if (rawId == null || rawId.isNull()) throw ApiException.badRequest("Missing required field: sessionId");
        if (!rawId.isTextual()) throw JsonFields.wrongType("sessionId", "a string of 6 digits, e.g. \"123456\"");
        SessionId id = new SessionId(rawId.textValue());
        JsonNode record = body.get("record");
        if (record != null && !record.isNull() && !record.isBoolean()) throw JsonFields.wrongType("record", "true or false");
        StartedSession started = shares.start(id);
        boolean recording = recordings.sessionStarted(id, started.startTime(), record != null && record.asBoolean());
        String listenerToken = invites.token(id);
        Json.write(ctx, Json.object().put("success", true).put("sessionId", id.value())
                .put("timestamp", started.startTime()).put("senderKey", started.senderKey().value())
                .put("listenerToken", listenerToken).put("listenUrl", invites.listenUrl(ctx, id, listenerToken))
                .put("recording", recording));
    }

    private void metadata(Context ctx) {
        SessionId id = Paths.sessionId(ctx);
        byte[] body = RequestBodies.readJson(ctx, settings.maxMetadataBodyBytes(), "Metadata");
        Metadata metadata = MetadataParser.parse(body, clock.millis(), settings.metadataLimits());
        int listeners = shares.updateMetadata(id, metadata, senderKey(ctx));
        Json.write(ctx, Json.object().put("success", true).put("listenersNotified", listeners));
    }

    private void audio(Context ctx) {
        SessionId id = Paths.sessionId(ctx);
        byte[] body = RequestBodies.readJson(ctx, settings.maxAudioBodyBytes(), "Audio");
        AudioChunk chunk = AudioChunkParser.parse(body, clock.millis());
        boolean buffered = shares.appendAudio(id, chunk, senderKey(ctx));
        Json.write(ctx, Json.object().put("success", true).put("buffered", buffered));
    }

    private static SenderKey senderKey(Context ctx) {
        return SenderKey.presented(ctx.header("X-Sender-Key"));
    }

    /** Takes no body; the desktop app sends none, without a Content-Type. */
    private void stop(Context ctx) {
        StopSummary summary = shares.stop(Paths.sessionId(ctx), senderKey(ctx));
        var response = Json.object().put("success", true)
                .put("sessionDuration", summary.sessionDuration())
                .put("bytesTransferred", summary.bytesTransferred());
        response.putObject("stats")
                .put("durationSeconds", summary.sessionDuration())
                .put("bytesTransferred", summary.bytesTransferred())
                .put("chunksReceived", summary.chunksReceived())
                .put("peakListeners", summary.peakListeners());
        Json.write(ctx, response);
    }
}
