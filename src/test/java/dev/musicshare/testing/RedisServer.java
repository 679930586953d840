package dev.musicshare.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} process that the tests own: a free port, no persistence, its own directory. Tests never
 * touch a Redis they did not start (a developer's Redis holds their data).
 */
public final class RedisServer implements AutoCloseable {
    private static final String INSTALL = "apt-get install -y redis-server";
    private final int port;
    private final Path dir;
    private final Path configFile;
    private volatile List<String> extraArgs;
    private Process process;

    private RedisServer(int port, Path dir, Path configFile, List<String> extraArgs) {
        this.port = port;
        this.dir = dir;
        this.configFile = configFile;
        this.extraArgs = extraArgs;
    }

    /**
     * Starts a server on a free port. Without the binary: fails under CI (CI=true), else skips the test loudly.
     */
    public static RedisServer start(String... extraArgs) {
        requireBinary("redis-server", binary(), INSTALL);
        try {
            Path dir = Files.createTempDirectory(Path.of("target"), "redis-");
            RedisServer server = new RedisServer(freePort(), dir, null, List.of(extraArgs));
            server.launch();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
    }

    /**
     * Starts a sentinel ({@code redis-server sentinel.conf --sentinel}) on {@code port} (chosen beforehand with
     * {@link #freePort}, since its peers' configurations name it), watching what {@code configuration} names; the
     * sentinel rewrites that file as it learns the topology, so each has its own.
     */
    public static RedisServer startSentinel(int port, String configuration) {
        requireBinary("redis-server", binary(), INSTALL);
        try {
            Path dir = Files.createTempDirectory(Path.of("target"), "redis-sentinel-");
            Path config = dir.resolve("sentinel.conf");
            Files.writeString(config, configuration);
            RedisServer server = new RedisServer(port, dir, config, List.of("--sentinel"));
            server.launch();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a sentinel", e);
        }
    }

    /** Without the binary: fails under CI (CI=true), else skips the test loudly, naming the package to install. */
    static void requireBinary(String name, String path, String install) {
        if (path != null) return;
        String message = name + " not found: the Redis tests need it (" + install + ")";
        if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(message);
        System.err.println("SKIPPING: " + message);
        Assumptions.abort(message);
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills the server at once, as a crash would. */
    public void kill() {
        if (process == null) return;
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * Freezes the server (SIGSTOP), as a stalled host would: its connections stay open and nothing answers on them,
     * unlike a crash, which closes them. {@link #thaw} lets it carry on where it stopped.
     */
    public void freeze() {
        signal("STOP");
    }

    /** Lets a frozen server run again (SIGCONT). */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        if (process == null) throw new IllegalStateException("redis-server on " + port + " is not running");
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, "" + process.pid()).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal redis-server on " + port, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted signalling redis-server on " + port, e);
        }
    }

    /** Starts the server again on the same port (empty: it keeps nothing on disk). */
    public void restart() {
        kill();
        launch();
    }

    /** Starts the server again on the same port and in the same directory, with other extra arguments. */
    public void restart(String... newExtraArgs) {
        kill();
        extraArgs = List.of(newExtraArgs);
        launch();
    }

    /** Whether the process is running (not killed, not exited). */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The directory it runs in (its log, a cluster node's nodes.conf). */
    public Path dir() {
        return dir;
    }

    /** Deletes every key: a clean slate between tests. */
    public void flush() {
        send("FLUSHALL");
    }

    /** Sends one inline command and returns the first line of the reply. */
    public String send(String command) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') if (c != '\r') line.append((char) c);
            return line.toString();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server on " + port + " did not answer " + command, e);
        }
    }

    /** Sends one inline command whose reply is a bulk string, and returns that string. */
    public String sendBulk(String command) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            StringBuilder header = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') if (c != '\r') header.append((char) c);
            int length = Integer.parseInt(header.substring(1));
            return new String(in.readNBytes(length), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("redis-server on " + port + " did not answer " + command, e);
        }
    }

    @Override
    public void close() {
        kill();
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(binary()));
        if (configFile != null) command.add(configFile.toAbsolutePath().toString());
        command.addAll(List.of("--port", "" + port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", dir.toAbsolutePath().toString()));
        // A data node serves a replica's first sync at once. Redis 7 waits 5 s by default (repl-diskless-sync-delay)
        // for more replicas to share one transfer: every Sentinel setup and cluster paid it on start-up, and every
        // failover test again when it brought the killed node back as a replica.
        if (configFile == null) command.addAll(List.of("--repl-diskless-sync-delay", "0"));
        command.addAll(extraArgs);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                if (send("PING").equals("+PONG")) return;
            } catch (IllegalStateException notYet) {
                sleep(20);
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port + "; see " + dir);
    }

    private static String binary() {
        return executable("redis-server");
    }

    /** Where {@code name} is installed ({@code /usr/bin}, {@code /usr/local/bin} or on PATH), or null. */
    static String executable(String name) {
        for (String candidate : List.of("/usr/bin/" + name, "/usr/local/bin/" + name)) {
            if (new File(candidate).canExecute()) return candidate;
        }
        for (String path : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(path, name);
            if (candidate.canExecute()) return candidate.getAbsolutePath();
        }
        return null;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
