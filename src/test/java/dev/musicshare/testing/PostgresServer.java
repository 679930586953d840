package dev.musicshare.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server that the tests own, from Debian's binaries ({@code /usr/lib/postgresql/<n>/bin}): its
 * own cluster under {@code target/}, a free port, loopback only, no fsync. Tests never touch a PostgreSQL they did
 * not start (the machine's own on 5432 holds someone's data). PostgreSQL refuses to run as root, so under root the
 * binaries run as the {@code postgres} user ({@code runuser -u postgres --}) in a folder that user owns.
 */
public final class PostgresServer implements AutoCloseable {
    private static final String INSTALL = "apt-get install -y postgresql";
    private static final AtomicInteger databases = new AtomicInteger();
    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;
    private boolean closed;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Creates and starts a cluster. Without the binaries: fails under CI (CI=true), else skips the test loudly. */
    public static PostgresServer start() {
        Path bin = binaries();
        if (bin == null) {
            String message = "PostgreSQL binaries (initdb, pg_ctl) not found: the history tests need them (" + INSTALL
                    + ")";
            if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(message);
            System.err.println("SKIPPING: " + message);
            Assumptions.abort(message);
        }
        try {
            boolean root = "root".equals(System.getProperty("user.name"));
            Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "postgres-");
            if (root) {
                UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
            }
            PostgresServer server = new PostgresServer(bin, dir, freePort(), root);
            server.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U",
                    "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--no-locale"));
            server.startServer();
            // A test JVM stopped early (Ctrl-C, a killed build) does not leave a cluster running.
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-test-server-stop"));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot set up a PostgreSQL cluster under target/", e);
        }
    }

    public int port() {
        return port;
    }

    /** A new, empty database on this server, as a {@code postgresql://} URL (the form DATABASE_URL takes). */
    public String freshDatabaseUrl() {
        String name = "history_test_" + databases.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return "postgresql://postgres@127.0.0.1:" + port + "/" + name;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Stops the server at once (as a crash would, without a checkpoint); {@link #startServer()} brings it back. */
    public void stopServer() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w",
                "stop"));
    }

    public void startServer() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("postgres.log").toString(), "-w", "-t", "30", "-o",
                // fsync off is safe for a test's "crash" (the kernel keeps what was written); asynchronous commit
                // is not: an immediate stop would lose commits still in PostgreSQL's own WAL buffers.
                "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c fsync=off", "start"));
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            stopServer();
        } catch (IllegalStateException alreadyStopped) {
            // stopped by the test itself
        }
        deleteQuietly(dir);
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("commands.log").toFile())).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish within 60 s; see " + dir);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue()
                        + "); see " + dir.resolve("commands.log"));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path binaries() {
        File versions = new File("/usr/lib/postgresql");
        File[] installed = versions.listFiles();
        if (installed == null) return null;
        return java.util.Arrays.stream(installed).map(File::toPath).map(version -> version.resolve("bin"))
                .filter(bin -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
                .max(Comparator.comparing(bin -> Integer.parseInt(bin.getParent().getFileName().toString()
                        .replaceAll("\\D", "0"))))
                .orElse(null);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // left under target/, removed by the next clean
        }
    }
}
