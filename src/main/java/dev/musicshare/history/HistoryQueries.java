package dev.musicshare.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Reads session history for operators. Listener figures are computed from the samples when read (a session's
 * samples are a few hundred rows at most), so nothing derived is stored twice. Every failure to reach the database
 * is a {@link HistoryUnavailableException}.
 */
public final class HistoryQueries {
    private static final String SUMMARY = "SELECT s.id, s.session_id, s.started_at, s.ended_at, s.end_reason,"
            + " s.chunks_in, s.bytes_in, s.audio_micros_in, s.peak_listeners,"
            + " (SELECT MAX(listeners) FROM history_listener_samples WHERE record_id = s.id),"
            + " (SELECT AVG(listeners) FROM history_listener_samples WHERE record_id = s.id),"
            + " (SELECT SUM(listeners * seconds) FROM history_listener_samples WHERE record_id = s.id),"
            + " (SELECT COUNT(*) FROM history_tracks WHERE record_id = s.id)"
            + " FROM history_sessions s";
    private static final String PAGE = SUMMARY + " WHERE s.started_at >= ? AND s.started_at < ?"
            + " ORDER BY s.started_at DESC, s.id DESC LIMIT ? OFFSET ?";
    private static final String COUNT = "SELECT COUNT(*) FROM history_sessions WHERE started_at >= ? AND started_at < ?";
    private static final String ONE = SUMMARY + " WHERE s.id = ?";
    private static final String TRACKS = "SELECT title, artist, first_heard_at, audio_micros FROM history_tracks"
            + " WHERE record_id = ? ORDER BY first_heard_at, id";
    private static final String SAMPLES = "SELECT sampled_at, listeners FROM history_listener_samples"
            + " WHERE record_id = ? ORDER BY sampled_at";

    /** How long a read waits for the schema at start-up (the migration runs on the history thread). */
    private static final long SCHEMA_PATIENCE_MILLIS = 3_000;

    private final DataSource dataSource;
    private final Clock clock;
    private final CountDownLatch schemaReady;

    HistoryQueries(DataSource dataSource, Clock clock, CountDownLatch schemaReady) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.schemaReady = schemaReady;
    }

    /** Records that started in [{@code from}, {@code to}) (epoch ms), newest first. */
    public SessionPage sessions(long from, long to, int limit, int offset) {
        try (Connection connection = connect()) {
            long total;
            try (PreparedStatement count = connection.prepareStatement(COUNT)) {
                count.setLong(1, from);
                count.setLong(2, to);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement page = connection.prepareStatement(PAGE)) {
                page.setLong(1, from);
                page.setLong(2, to);
                page.setInt(3, limit);
                page.setInt(4, offset);
                try (ResultSet results = page.executeQuery()) {
                    while (results.next()) rows.add(Row.read(results));
                }
            }
            Map<Long, Map<String, Long>> bytesOut = bytesOut(connection, rows);
            List<SessionSummary> sessions = new ArrayList<>();
            for (Row row : rows) sessions.add(row.summary(bytesOut.getOrDefault(row.id, Map.of()), clock.millis()));
            return new SessionPage(sessions, total, limit, offset);
        } catch (SQLException e) {
            throw new HistoryUnavailableException(e);
        }
    }

    /** One record with its tracks and listener samples. */
    public Optional<SessionDetail> session(long id) {
        try (Connection connection = connect()) {
            Row row;
            try (PreparedStatement one = connection.prepareStatement(ONE)) {
                one.setLong(1, id);
                try (ResultSet results = one.executeQuery()) {
                    if (!results.next()) return Optional.empty();
                    row = Row.read(results);
                }
            }
            SessionSummary summary = row.summary(bytesOut(connection, List.of(row)).getOrDefault(id, Map.of()),
                    clock.millis());
            List<SessionDetail.TrackPlayed> tracks = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(TRACKS)) {
                query.setLong(1, id);
                try (ResultSet results = query.executeQuery()) {
                    while (results.next()) {
                        tracks.add(new SessionDetail.TrackPlayed(results.getString(1), results.getString(2),
                                results.getLong(3), results.getLong(4) / 1e6));
                    }
                }
            }
            List<SessionDetail.ListenerSample> samples = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(SAMPLES)) {
                query.setLong(1, id);
                try (ResultSet results = query.executeQuery()) {
                    while (results.next()) {
                        samples.add(new SessionDetail.ListenerSample(results.getLong(1), results.getInt(2)));
                    }
                }
            }
            return Optional.of(new SessionDetail(summary, tracks, samples));
        } catch (SQLException e) {
            throw new HistoryUnavailableException(e);
        }
    }

    private Connection connect() throws SQLException {
        try {
            if (!schemaReady.await(SCHEMA_PATIENCE_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new SQLException("the history schema is not ready (the database has not answered since start-up)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the history schema", e);
        }
        return dataSource.getConnection();
    }

    private static Map<Long, Map<String, Long>> bytesOut(Connection connection, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) return Map.of();
        String marks = String.join(",", Collections.nCopies(rows.size(), "?"));
        Map<Long, Map<String, Long>> byRecord = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT record_id, codec, bytes FROM history_bytes_out WHERE record_id IN (" + marks + ")")) {
            for (int i = 0; i < rows.size(); i++) query.setLong(i + 1, rows.get(i).id);
            try (ResultSet results = query.executeQuery()) {
                while (results.next()) {
                    byRecord.computeIfAbsent(results.getLong(1), key -> new TreeMap<>())
                            .put(results.getString(2), results.getLong(3));
                }
            }
        }
        return byRecord;
    }

    /** A summary row as read, before the bytes out are joined in. */
    private record Row(long id, String sessionId, long startedAt, Long endedAt, String endReason, long chunksIn,
            long bytesIn, long audioMicros, int storePeak, int samplePeak, double average, long listenerSeconds,
            int tracks) {

        static Row read(ResultSet results) throws SQLException {
            long endedAt = results.getLong(4);
            Long ended = results.wasNull() ? null : endedAt;
            return new Row(results.getLong(1), results.getString(2), results.getLong(3), ended, results.getString(5),
                    results.getLong(6), results.getLong(7), results.getLong(8), results.getInt(9),
                    results.getInt(10), results.getDouble(11), results.getLong(12), results.getInt(13));
        }

        SessionSummary summary(Map<String, Long> bytesOut, long now) {
            long end = endedAt == null ? Math.max(now, startedAt) : endedAt;
            return new SessionSummary(id, sessionId, startedAt, endedAt, endReason, (end - startedAt) / 1000.0,
                    chunksIn, bytesIn, audioMicros / 1e6, bytesOut, Math.max(storePeak, samplePeak), average,
                    listenerSeconds / 60.0, tracks);
        }
    }
}
