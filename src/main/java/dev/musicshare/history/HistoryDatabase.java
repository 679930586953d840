package dev.musicshare.history;

import dev.musicshare.config.HistorySettings;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The history database: PostgreSQL when {@code DATABASE_URL} is set, else an embedded SQLite file
 * ({@code HISTORY_DIR/history.db}), behind a HikariCP pool, its schema migrated by Flyway from
 * {@code db/history/<vendor>}. Opening never waits for the database: the pool starts empty and
 * {@link #migrate()} is tried (and retried) by the history writer, so a database that is down at start-up only
 * delays history.
 */
final class HistoryDatabase implements AutoCloseable {
    /** A request or write waits at most this long for a connection; then it reports the database unavailable. */
    private static final long CONNECTION_TIMEOUT_MILLIS = 2_000;
    private static final int POSTGRESQL_POOL_SIZE = 4;
    /** SQLite allows one writer at a time; WAL lets the admin API read meanwhile. */
    private static final int SQLITE_POOL_SIZE = 2;

    private final HikariDataSource pool;
    private final String vendor;
    private final String description;

    private HistoryDatabase(HikariDataSource pool, String vendor, String description) {
        this.pool = pool;
        this.vendor = vendor;
        this.description = description;
    }

    static HistoryDatabase open(HistorySettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("history");
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        config.setValidationTimeout(1_000);
        config.setInitializationFailTimeout(-1); // start even when the database is down; history catches up
        if (settings.database() != null) {
            config.setJdbcUrl(settings.database().jdbcUrl());
            if (settings.database().user() != null) config.setUsername(settings.database().user());
            if (settings.database().password() != null) config.setPassword(settings.database().password());
            config.setMaximumPoolSize(POSTGRESQL_POOL_SIZE);
            config.setMinimumIdle(1);
            // Fail fast on an unreachable or hung server rather than hold the writer for the driver's defaults.
            config.addDataSourceProperty("connectTimeout", "2");
            config.addDataSourceProperty("socketTimeout", "10");
            config.addDataSourceProperty("ApplicationName", "music-share");
            return new HistoryDatabase(new HikariDataSource(config), "postgresql", "postgresql");
        }
        Path file = settings.directory().resolve("history.db").toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("HISTORY_DIR " + settings.directory() + " cannot be created", e);
        }
        config.setJdbcUrl("jdbc:sqlite:" + file);
        config.setMaximumPoolSize(SQLITE_POOL_SIZE);
        config.setMinimumIdle(1);
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "NORMAL"); // with WAL: durable at each checkpoint, fast commits
        config.addDataSourceProperty("busy_timeout", "5000");
        config.addDataSourceProperty("foreign_keys", "true");
        return new HistoryDatabase(new HikariDataSource(config), "sqlite", "sqlite " + file);
    }

    DataSource dataSource() {
        return pool;
    }

    /** "postgresql" or "sqlite /path/history.db" (never credentials). */
    String description() {
        return description;
    }

    boolean embedded() {
        return vendor.equals("sqlite");
    }

    /**
     * Brings the schema up to date and returns its version; throws when the database cannot be reached. A database
     * that already holds other tables (the deployment's PostgreSQL may) is baselined at version 0 first.
     */
    String migrate() {
        var result = Flyway.configure().dataSource(pool).locations("classpath:db/history/" + vendor)
                .table("history_schema_version").baselineOnMigrate(true).baselineVersion("0").load().migrate();
        return result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
    }

    @Override
    public void close() {
        pool.close();
    }
}
