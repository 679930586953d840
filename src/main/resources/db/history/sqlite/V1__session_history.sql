-- Session history (issue #17). Times are epoch milliseconds (UTC) in BIGINT, as in the rest of the server, so the
-- PostgreSQL and SQLite schemas differ only in how a table's own id is generated. Tables are prefixed "history_"
-- because the deployment's PostgreSQL may hold other applications' tables too.

CREATE TABLE history_sessions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id       VARCHAR(6)  NOT NULL,  -- the 6-digit code; reused by later sessions, hence the own id
    started_at       BIGINT      NOT NULL,
    ended_at         BIGINT,                -- null while live (or when the server died with it: see end_reason)
    end_reason       VARCHAR(16),           -- stopped | expired | interrupted
    last_activity_at BIGINT      NOT NULL,
    chunks_in        BIGINT      NOT NULL DEFAULT 0,
    bytes_in         BIGINT      NOT NULL DEFAULT 0,  -- decoded PCM bytes, as the stop answer counts them
    audio_micros_in  BIGINT      NOT NULL DEFAULT 0,
    peak_listeners   INTEGER     NOT NULL DEFAULT 0   -- the store's own peak at stop; samples may show more
);
CREATE INDEX history_sessions_by_code ON history_sessions (session_id, id);
CREATE INDEX history_sessions_by_start ON history_sessions (started_at);

CREATE TABLE history_bytes_out (
    record_id BIGINT      NOT NULL REFERENCES history_sessions (id) ON DELETE CASCADE,
    codec     VARCHAR(16) NOT NULL,
    bytes     BIGINT      NOT NULL,
    PRIMARY KEY (record_id, codec)
);

CREATE TABLE history_tracks (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id      BIGINT NOT NULL REFERENCES history_sessions (id) ON DELETE CASCADE,
    title          TEXT   NOT NULL,
    artist         TEXT   NOT NULL,
    first_heard_at BIGINT NOT NULL,
    audio_micros   BIGINT NOT NULL DEFAULT 0  -- audio received while this was the track playing
);
CREATE INDEX history_tracks_by_record ON history_tracks (record_id, id);

CREATE TABLE history_listener_samples (
    record_id  BIGINT  NOT NULL REFERENCES history_sessions (id) ON DELETE CASCADE,
    sampled_at BIGINT  NOT NULL,  -- the start of the sampling interval: every node computes the same value
    listeners  INTEGER NOT NULL,
    seconds    INTEGER NOT NULL,  -- the interval the sample stands for
    PRIMARY KEY (record_id, sampled_at)
);
