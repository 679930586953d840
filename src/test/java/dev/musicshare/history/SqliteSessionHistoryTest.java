package dev.musicshare.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Session history on the default: the embedded SQLite file in HISTORY_DIR. */
class SqliteSessionHistoryTest extends SessionHistoryContract {
    @Override
    Map<String, String> database() {
        try {
            return Map.of("HISTORY_DIR", Files.createTempDirectory(Path.of("target"), "history-").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
