package dev.musicshare.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Writes a batch of history steps in one transaction: all of it or, when the database fails, none of it (the batch
 * is then tried again whole). The statements are the same on PostgreSQL and SQLite: both speak
 * {@code INSERT … ON CONFLICT}, and "the newest record of a code" is a {@code MAX(id)} sub-query.
 */
final class HistoryWriter {
    private static final String NEWEST_RECORD = "(SELECT MAX(id) FROM history_sessions WHERE session_id = ?)";
    private static final String START = "INSERT INTO history_sessions (session_id, started_at, last_activity_at) "
            + "VALUES (?, ?, ?)";
    private static final String COUNT = "UPDATE history_sessions SET chunks_in = chunks_in + ?, bytes_in = bytes_in + ?,"
            + " audio_micros_in = audio_micros_in + ?,"
            + " last_activity_at = CASE WHEN last_activity_at < ? THEN ? ELSE last_activity_at END"
            + " WHERE id = " + NEWEST_RECORD;
    /**
     * The track heard last. By first-heard time, not id: on several nodes the node that saw a later track change
     * may write it first.
     */
    private static final String NEWEST_TRACK = "(SELECT id FROM history_tracks WHERE record_id = %s"
            + " ORDER BY first_heard_at DESC, id DESC LIMIT 1)";
    private static final String PLAYED = "UPDATE history_tracks SET audio_micros = audio_micros + ? WHERE id = "
            + NEWEST_TRACK.formatted(NEWEST_RECORD);
    // SQLite needs the WHERE in INSERT … SELECT … ON CONFLICT to tell the upsert from a join clause.
    private static final String SENT = "INSERT INTO history_bytes_out (record_id, codec, bytes) SELECT id, ?, ? "
            + "FROM history_sessions WHERE id = " + NEWEST_RECORD
            + " ON CONFLICT (record_id, codec) DO UPDATE SET bytes = history_bytes_out.bytes + excluded.bytes";
    /** Another node may have noted the same track change first: a track is added only when it differs. */
    private static final String TRACK = "INSERT INTO history_tracks (record_id, title, artist, first_heard_at) "
            + "SELECT s.id, ?, ?, ? FROM history_sessions s WHERE s.id = " + NEWEST_RECORD
            + " AND NOT EXISTS (SELECT 1 FROM history_tracks t WHERE t.id = " + NEWEST_TRACK.formatted("s.id")
            + " AND t.title = ? AND t.artist = ?)";
    private static final String SAMPLE = "INSERT INTO history_listener_samples (record_id, sampled_at, listeners, seconds)"
            + " SELECT id, ?, ?, ? FROM history_sessions WHERE id = " + NEWEST_RECORD
            + " ON CONFLICT (record_id, sampled_at) DO NOTHING";
    private static final String END = "UPDATE history_sessions SET ended_at = ?, end_reason = ?,"
            + " peak_listeners = CASE WHEN peak_listeners < ? THEN ? ELSE peak_listeners END"
            + " WHERE id = " + NEWEST_RECORD + " AND ended_at IS NULL";
    /** Sessions a memory-store server held when it last stopped without ending them (a crash). */
    private static final String INTERRUPT_OPEN = "UPDATE history_sessions SET ended_at = last_activity_at,"
            + " end_reason = '" + HistoryRecorder.INTERRUPTED + "' WHERE ended_at IS NULL";

    private final DataSource dataSource;

    HistoryWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Writes the batch and returns the sessions whose steps found no record to go to: on several nodes, the node
     * that started a session may not have written its record yet. The caller offers those again later.
     */
    Map<String, List<HistoryStep>> write(Map<String, List<HistoryStep>> batch) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Map<String, List<HistoryStep>> withoutRecord = new LinkedHashMap<>();
                for (Map.Entry<String, List<HistoryStep>> session : batch.entrySet()) {
                    List<HistoryStep> steps = session.getValue();
                    if (!(steps.get(0) instanceof HistoryStep.Started) && !recordExists(connection, session.getKey())) {
                        withoutRecord.put(session.getKey(), steps);
                        continue;
                    }
                    for (HistoryStep step : steps) apply(connection, session.getKey(), step);
                }
                connection.commit();
                return withoutRecord;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    /**
     * Removes the records of sessions that ended before {@code cutoff} (epoch ms), their tracks, bytes and listener
     * samples with them, in one transaction; live records are never removed. The children go first by name rather
     * than by ON DELETE CASCADE, so it holds whatever a connection's foreign-key setting is.
     *
     * @return the session records removed
     */
    int removeEndedBefore(long cutoff) throws SQLException {
        String old = "SELECT id FROM history_sessions WHERE ended_at IS NOT NULL AND ended_at < ?";
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                for (String child : List.of("history_listener_samples", "history_tracks", "history_bytes_out")) {
                    run(connection, "DELETE FROM " + child + " WHERE record_id IN (" + old + ")", cutoff);
                }
                int removed;
                try (PreparedStatement sessions = connection.prepareStatement(
                        "DELETE FROM history_sessions WHERE ended_at IS NOT NULL AND ended_at < ?")) {
                    sessions.setLong(1, cutoff);
                    removed = sessions.executeUpdate();
                }
                connection.commit();
                return removed;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    /** Closes the records a crashed memory-store server left open: they ended with their last activity. */
    int interruptOpenRecords() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(INTERRUPT_OPEN)) {
            return statement.executeUpdate();
        }
    }

    private static boolean recordExists(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM history_sessions WHERE session_id = ?")) {
            statement.setString(1, sessionId);
            statement.setMaxRows(1);
            try (java.sql.ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static int apply(Connection connection, String sessionId, HistoryStep step) throws SQLException {
        // Java 17: no pattern matching in switch yet.
        if (step instanceof HistoryStep.Started started) {
            return run(connection, START, sessionId, started.at(), started.at());
        } else if (step instanceof HistoryStep.TrackHeard track) {
            return run(connection, TRACK, track.title(), track.artist(), track.at(), sessionId, track.title(),
                    track.artist());
        } else if (step instanceof HistoryStep.ListenersSampled sample) {
            return run(connection, SAMPLE, sample.sampledAt(), sample.listeners(), sample.seconds(), sessionId);
        } else if (step instanceof HistoryStep.Ended ended) {
            return run(connection, END, ended.at(), ended.reason(), ended.peakListeners(), ended.peakListeners(),
                    sessionId);
        }
        return count(connection, sessionId, (HistoryStep.Counted) step);
    }

    private static int count(Connection connection, String sessionId, HistoryStep.Counted counted)
            throws SQLException {
        int statements = 0;
        if (counted.chunks() > 0) {
            statements += run(connection, COUNT, counted.chunks(), counted.bytes(), counted.audioMicros(),
                    counted.lastActivityAt(), counted.lastActivityAt(), sessionId);
            statements += run(connection, PLAYED, counted.audioMicros(), sessionId);
        }
        for (Map.Entry<String, Long> sent : counted.bytesOut().entrySet()) {
            statements += run(connection, SENT, sent.getKey(), sent.getValue(), sessionId);
        }
        return statements;
    }

    private static int run(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object value = parameters[i];
                if (value instanceof Long number) statement.setLong(i + 1, number);
                else if (value instanceof Integer number) statement.setInt(i + 1, number);
                else statement.setString(i + 1, (String) value);
            }
            statement.executeUpdate();
            return 1;
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it, and the original failure is what gets reported
        }
    }
}
