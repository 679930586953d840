package dev.musicshare.cli;

import dev.musicshare.bench.HistoryBench;
import dev.musicshare.config.DatabaseUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code music-share bench-history}: the session-history write load of N desktop-app sessions in real time, against
 * the embedded SQLite file or a PostgreSQL (DATABASE_URL), without HTTP. bench/history.sh runs it on both.
 */
@Command(name = "bench-history", mixinStandardHelpOptions = true,
        description = "Measures session history's write load: N sessions sending as the desktop app does, in real time.")
final class HistoryBenchCommand implements Callable<Integer> {
    @Option(names = "--sessions", defaultValue = "50", description = "Live sessions (default ${DEFAULT-VALUE}).")
    int sessions;
    @Option(names = "--seconds", defaultValue = "60", description = "How long (default ${DEFAULT-VALUE}).")
    int seconds;
    @Option(names = "--listeners", defaultValue = "5", description = "Pollers per session (default ${DEFAULT-VALUE}).")
    int listeners;
    @Option(names = "--track-seconds", defaultValue = "180", description = "A new track this often (default ${DEFAULT-VALUE}).")
    int trackSeconds;
    @Option(names = "--sample-seconds", defaultValue = "60", description = "Listener samples this often (default ${DEFAULT-VALUE}).")
    int sampleSeconds;
    @Option(names = "--database-url", description = "PostgreSQL (as DATABASE_URL); unset: SQLite in --history-dir.")
    String databaseUrl;
    @Option(names = "--history-dir", description = "The SQLite file's folder (default: a new temporary folder).")
    Path historyDir;

    @Override
    public Integer call() throws Exception {
        if (sessions < 1 || seconds < 1 || trackSeconds < 1 || sampleSeconds < 1 || listeners < 0) {
            throw new IllegalArgumentException("--sessions, --seconds, --track-seconds and --sample-seconds must be "
                    + "at least 1, --listeners at least 0");
        }
        Path directory = historyDir != null ? historyDir : Files.createTempDirectory("music-share-history-bench-");
        Map<String, Double> figures = HistoryBench.run(new HistoryBench.Options(sessions, seconds, listeners,
                trackSeconds, sampleSeconds, databaseUrl == null ? null : DatabaseUrl.parse(databaseUrl), directory));
        System.out.println("bench-history on " + (databaseUrl == null ? "sqlite in " + directory : "postgresql"));
        figures.forEach((name, value) -> System.out.printf("%-32s %14.3f%n", name, value));
        return 0;
    }
}
