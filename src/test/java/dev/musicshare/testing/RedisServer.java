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
    private final List<String> extraArgs;
    private Process process;

    private RedisServer(int port, Path dir, List<String> extraArgs) {
        this.port = port;
        this.dir = dir;
        this.extraArgs = extraArgs;
    }

    /**
     * Starts a server on a free port. Without the binary: fails under CI (CI=true), else skips the test loudly.
     */
    public static RedisServer start(String... extraArgs) {
        String binary = binary();
        if (binary == null) {
            String message = "redis-server not found: the Redis tests need it (" + INSTALL + ")";
            if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(message);
            System.err.println("SKIPPING: " + message);
            Assumptions.abort(message);
        }
        try {
            Path dir = Files.createTempDirectory(Path.of("target"), "redis-");
            RedisServer server = new RedisServer(freePort(), dir, List.of(extraArgs));
            server.launch();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
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

    /** Starts the server again on the same port (empty: it keeps nothing on disk). */
    public void restart() {
        kill();
        launch();
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
        List<String> command = new ArrayList<>(List.of(binary(), "--port", "" + port, "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toAbsolutePath().toString()));
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
        for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (new File(candidate).canExecute()) return candidate;
        }
        for (String path : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(path, "redis-server");
            if (candidate.canExecute()) return candidate.getAbsolutePath();
        }
        return null;
    }

    private static int freePort() throws IOException {
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
