package dev.musicshare.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.musicshare.recording.Recording;
import dev.musicshare.recording.RecordingLibrary;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Finished recordings, behind the bearer token: the list, each file (with {@code Range}, so players can seek), its
 * lyrics, and removal. A recording still being written is not listed and cannot be fetched.
 *
 * <pre>
 * curl localhost:5000/api/recordings -H "Authorization: Bearer $TOKEN"
 * curl -o track.opus localhost:5000/api/recordings/123456-20261129130726-01 -H "Authorization: Bearer $TOKEN"
 * curl localhost:5000/api/recordings/123456-20261129130726-01/lyrics -H "Authorization: Bearer $TOKEN"
 * curl -X DELETE localhost:5000/api/recordings/123456-20261129130726-01 -H "Authorization: Bearer $TOKEN"
 * </pre>
 */
final class RecordingRoutes {
    /** RFC 7845 section 9: Ogg Opus files are audio/ogg, and the codecs parameter names Opus. */
    static final String OGG_OPUS = "audio/ogg; codecs=opus";
    static final String LRC = "text/plain; charset=utf-8";

    private final RecordingLibrary library;
    private final String basePath;

    RecordingRoutes(RecordingLibrary library, String basePath) {
        this.library = library;
        this.basePath = basePath.equals("/") ? "" : basePath;
    }

    void register(RoutesConfig routes) {
        ReadRoutes.getAndHead(routes, "/api/recordings", this::list);
        ReadRoutes.getAndHead(routes, "/api/recordings/{id}", this::download);
        ReadRoutes.getAndHead(routes, "/api/recordings/{id}/lyrics", this::lyrics);
        routes.delete("/api/recordings/{id}", this::delete);
    }

    private void list(Context ctx) {
        String sessionId = ctx.queryParam("sessionId");
        if (sessionId != null && !sessionId.matches("[0-9]{6}")) {
            throw ApiException.badRequest("sessionId must be 6 digits, was \"" + shorten(sessionId) + "\"");
        }
        ArrayNode recordings = Json.MAPPER.createArrayNode();
        for (Recording recording : library.list()) {
            if (sessionId == null || sessionId.equals(recording.sessionId())) recordings.add(describe(recording));
        }
        ObjectNode body = Json.object().put("total", recordings.size());
        body.set("recordings", recordings);
        Json.write(ctx, body);
    }

    private void download(Context ctx) {
        Recording recording = find(ctx);
        Path file = library.audio(recording);
        try {
            FileChannel audio = FileChannel.open(file, StandardOpenOption.READ);
            long size = audio.size();
            ctx.header("Accept-Ranges", "bytes");
            ctx.header("Content-Disposition", "inline; filename=\"" + recording.id() + ".opus\"");
            Optional<ByteRange> range;
            try {
                range = ByteRange.of(ctx.header("Range"), size);
            } catch (ApiException e) {
                audio.close();
                ctx.header("Content-Range", "bytes */" + size);
                throw e;
            }
            long first = range.map(ByteRange::first).orElse(0L);
            long length = range.map(ByteRange::length).orElse(size);
            if (range.isPresent()) ctx.status(206).header("Content-Range", range.get().contentRange(size));
            audio.position(first);
            ctx.header("Content-Length", Long.toString(length));
            ctx.contentType(OGG_OPUS);
            if (ctx.method() == HandlerType.HEAD) { // the headers only: the file is not read
                audio.close();
                return;
            }
            ctx.result(new BoundedInputStream(Channels.newInputStream(audio), length));
        } catch (NoSuchFileException e) {
            throw gone(recording.id());
        } catch (IOException e) {
            throw new ApiException(503, "RECORDING_UNREADABLE", "The recording could not be read; try again later");
        }
    }

    private void lyrics(Context ctx) {
        Recording recording = find(ctx);
        if (!recording.hasLyrics()) {
            throw new ApiException(404, "LYRICS_NOT_FOUND", "Recording " + recording.id() + " has no synced lyrics");
        }
        try {
            ctx.header("Content-Disposition", "inline; filename=\"" + recording.id() + ".lrc\"");
            ctx.contentType(LRC).result(Files.readAllBytes(library.lyrics(recording)));
        } catch (NoSuchFileException e) {
            throw gone(recording.id());
        } catch (IOException e) {
            throw new ApiException(503, "RECORDING_UNREADABLE", "The lyrics could not be read; try again later");
        }
    }

    private void delete(Context ctx) {
        String id = validId(ctx);
        if (!library.delete(id)) throw notFound(id);
        ctx.status(204);
    }

    private ObjectNode describe(Recording recording) {
        String url = basePath + "/api/recordings/" + recording.id();
        return Json.object().put("id", recording.id()).put("sessionId", recording.sessionId())
                .put("sessionStartedAt", HistoryRoutes.iso(recording.sessionStartedAt()))
                .put("track", recording.track()).put("part", recording.part())
                .put("title", recording.title()).put("artist", recording.artist())
                .put("startedAt", HistoryRoutes.iso(recording.startedAt()))
                .put("durationSeconds", Math.round(recording.durationSeconds() * 1000) / 1000.0)
                .put("bytes", recording.bytes())
                .put("missedSecondsBefore", Math.round(recording.missedSecondsBefore() * 1000) / 1000.0)
                .put("downloadUrl", url)
                .put("lyricsUrl", recording.hasLyrics() ? url + "/lyrics" : null);
    }

    private Recording find(Context ctx) {
        String id = validId(ctx);
        return library.find(id).orElseThrow(() -> notFound(id));
    }

    private static String validId(Context ctx) {
        String id = ctx.pathParam("id");
        if (!Recording.isValidId(id)) {
            throw ApiException.badRequest("A recording id looks like 123456-20261129130726-01, was \"" + shorten(id)
                    + "\"");
        }
        return id;
    }

    private static ApiException notFound(String id) {
        return new ApiException(404, "RECORDING_NOT_FOUND", "No finished recording " + id);
    }

    private static ApiException gone(String id) {
        return notFound(id); // removed between the lookup and the read (DELETE, retention, another node)
    }

    /** The first {@code remaining} bytes of a stream. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) return -1;
            int b = in.read();
            if (b >= 0) remaining--;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) return -1;
            int read = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (read > 0) remaining -= read;
            return read;
        }
    }

    private static String shorten(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
