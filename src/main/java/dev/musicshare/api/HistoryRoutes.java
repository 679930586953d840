package dev.musicshare.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.musicshare.history.HistoryQueries;
import dev.musicshare.history.SessionDetail;
import dev.musicshare.history.SessionPage;
import dev.musicshare.history.SessionSummary;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeSet;

/**
 * Session history for operators, behind the bearer token: a page of records (JSON, or CSV for spreadsheets) and one
 * record with its tracks and listener series. Times are ISO-8601 UTC in answers; {@code from}/{@code to} take
 * ISO-8601 or epoch milliseconds and filter on the start time, {@code from} inclusive, {@code to} exclusive.
 *
 * <pre>
 * curl "localhost:5000/api/admin/sessions?from=2026-11-01T00:00:00Z&amp;limit=20" -H "Authorization: Bearer $TOKEN"
 * curl "localhost:5000/api/admin/sessions?format=csv" -H "Authorization: Bearer $TOKEN"
 * curl localhost:5000/api/admin/sessions/42 -H "Authorization: Bearer $TOKEN"
 * </pre>
 */
final class HistoryRoutes {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1_000;
    private static final String CSV = "text/csv";

    private final HistoryQueries history;

    /** @param history the database's queries; null when history is off (HISTORY=off) */
    HistoryRoutes(HistoryQueries history) {
        this.history = history;
    }

    void register(RoutesConfig routes) {
        ReadRoutes.getAndHead(routes, "/api/admin/sessions", this::sessions);
        ReadRoutes.getAndHead(routes, "/api/admin/sessions/{id}", this::session);
    }

    private void sessions(Context ctx) {
        requireOn();
        long from = instant(ctx, "from", 0);
        long to = instant(ctx, "to", Long.MAX_VALUE);
        if (from >= to) throw ApiException.badRequest("from must be before to");
        int limit = integer(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        int offset = integer(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        String format = ctx.queryParam("format");
        boolean csv;
        if (format == null) {
            String accept = ctx.header("Accept");
            csv = accept != null && accept.startsWith(CSV);
        } else if (format.equals("csv") || format.equals("json")) {
            csv = format.equals("csv");
        } else {
            throw ApiException.badRequest("format must be json or csv, was \"" + shorten(format) + "\"");
        }
        SessionPage page = history.sessions(from, to, limit, offset);
        if (csv) {
            ctx.header("Content-Disposition", "attachment; filename=\"sessions.csv\"");
            ctx.contentType(CSV + "; charset=utf-8").result(SessionCsv.write(page));
            return;
        }
        ObjectNode body = Json.object().put("total", page.total()).put("limit", limit).put("offset", offset);
        ArrayNode sessions = body.putArray("sessions");
        page.sessions().forEach(session -> sessions.add(summary(session)));
        if (offset + page.sessions().size() < page.total()) {
            body.put("next", "?" + (ctx.queryString() == null ? "" : withoutOffset(ctx.queryString()) + "&")
                    + "offset=" + (offset + limit));
        }
        Json.write(ctx, body);
    }

    private void session(Context ctx) {
        requireOn();
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("id must be a session record's number, was \""
                    + shorten(ctx.pathParam("id")) + "\"");
        }
        SessionDetail detail = history.session(id).orElseThrow(
                () -> new ApiException(404, "NOT_FOUND", "No session record " + id));
        ObjectNode body = summary(detail.summary());
        ArrayNode tracks = body.putArray("trackList");
        for (SessionDetail.TrackPlayed track : detail.tracks()) {
            tracks.addObject().put("title", track.title()).put("artist", track.artist())
                    .put("firstHeardAt", iso(track.firstHeardAt())).put("secondsPlayed", track.secondsPlayed());
        }
        ArrayNode listeners = body.putArray("listenerSeries");
        for (SessionDetail.ListenerSample sample : detail.listeners()) {
            listeners.addObject().put("at", iso(sample.sampledAt())).put("listeners", sample.listeners());
        }
        Json.write(ctx, body);
    }

    private void requireOn() {
        if (history == null) {
            throw new ApiException(404, "HISTORY_OFF", "Session history is off on this server (HISTORY=off)");
        }
    }

    static ObjectNode summary(SessionSummary session) {
        ObjectNode node = Json.object().put("id", session.id()).put("sessionId", session.sessionId())
                .put("startedAt", iso(session.startedAt()))
                .put("endedAt", session.endedAt() == null ? null : iso(session.endedAt()))
                .put("endReason", session.endReason()).put("live", session.endedAt() == null)
                .put("durationSeconds", session.durationSeconds()).put("chunksIn", session.chunksIn())
                .put("bytesIn", session.bytesIn()).put("audioSeconds", session.audioSeconds());
        ObjectNode bytesOut = node.putObject("bytesOut");
        session.bytesOut().forEach(bytesOut::put);
        return node.put("peakListeners", session.peakListeners()).put("averageListeners", session.averageListeners())
                .put("listenerMinutes", session.listenerMinutes()).put("tracks", session.tracks());
    }

    static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    private static long instant(Context ctx, String name, long absent) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return absent;
        try {
            if (raw.chars().allMatch(Character::isDigit)) return Long.parseLong(raw);
            return Instant.parse(raw).toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw ApiException.badRequest(name + " must be an ISO-8601 instant (2026-11-29T10:00:00Z) or epoch "
                    + "milliseconds, was \"" + shorten(raw) + "\"");
        }
    }

    private static int integer(Context ctx, String name, int absent, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return absent;
        try {
            long value = Long.parseLong(raw);
            if (value >= min && value <= max) return (int) value;
        } catch (NumberFormatException ignored) {
            // answered below with the limits
        }
        throw ApiException.badRequest(name + " must be a whole number between " + min + " and " + max + ", was \""
                + shorten(raw) + "\"");
    }

    private static String withoutOffset(String query) {
        return String.join("&", java.util.Arrays.stream(query.split("&"))
                .filter(part -> !part.startsWith("offset=")).toList());
    }

    private static String shorten(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    /** The CSV form of a page: one row per record, a bytesOut column per codec seen on the page. */
    static final class SessionCsv {
        private SessionCsv() {}

        static String write(SessionPage page) {
            TreeSet<String> codecs = new TreeSet<>();
            page.sessions().forEach(session -> codecs.addAll(session.bytesOut().keySet()));
            StringBuilder csv = new StringBuilder("id,sessionId,startedAt,endedAt,endReason,durationSeconds,"
                    + "chunksIn,bytesIn,audioSeconds");
            codecs.forEach(codec -> csv.append(",bytesOut_").append(codec));
            csv.append(",peakListeners,averageListeners,listenerMinutes,tracks\r\n");
            for (SessionSummary session : page.sessions()) {
                csv.append(session.id()).append(',').append(session.sessionId()).append(',')
                        .append(iso(session.startedAt())).append(',')
                        .append(session.endedAt() == null ? "" : iso(session.endedAt())).append(',')
                        .append(session.endReason() == null ? "" : session.endReason()).append(',')
                        .append(session.durationSeconds()).append(',').append(session.chunksIn()).append(',')
                        .append(session.bytesIn()).append(',').append(session.audioSeconds());
                Map<String, Long> out = session.bytesOut();
                codecs.forEach(codec -> csv.append(',').append(out.getOrDefault(codec, 0L)));
                csv.append(',').append(session.peakListeners()).append(',').append(session.averageListeners())
                        .append(',').append(session.listenerMinutes()).append(',').append(session.tracks())
                        .append("\r\n");
            }
            return csv.toString();
        }
    }
}
