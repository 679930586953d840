package dev.musicshare.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One Redis command over a fresh connection, for fixtures that ask servers and sentinels about the topology (no
 * client library, no threads left behind). Replies come back as String (simple and bulk), Long, List or null.
 */
public final class Resp {
    private Resp() {}

    /** A Redis error reply ({@code -ERR …}, {@code -MOVED …}). */
    public static final class ErrorReply extends IllegalStateException {
        ErrorReply(String message) {
            super(message);
        }
    }

    /**
     * Sends {@code args} as one command to 127.0.0.1:{@code port} and reads the reply.
     *
     * @throws ErrorReply when Redis answers with an error
     * @throws IllegalStateException when nothing answers within 5 s
     */
    public static Object call(int port, String... args) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            StringBuilder command = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                command.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg)
                        .append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(command.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException("no answer on port " + port + " to " + args[0], e);
        }
    }

    /** {@link #call} whose reply is text (a bulk or simple string). */
    public static String text(int port, String... args) {
        return (String) call(port, args);
    }

    /** The value of {@code field} in an INFO section ("role", "master_link_status"), or null. */
    public static String info(int port, String section, String field) {
        for (String line : text(port, "INFO", section).split("\r\n")) {
            if (line.startsWith(field + ":")) return line.substring(field.length() + 1);
        }
        return null;
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        return switch (type) {
            case '+' -> line;
            case '-' -> throw new ErrorReply(line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) yield null;
                byte[] bytes = in.readNBytes(length);
                line(in);
                yield new String(bytes, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(line);
                if (count < 0) yield null;
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    try {
                        items.add(read(in));
                    } catch (ErrorReply error) {
                        items.add(error);
                    }
                }
                yield items;
            }
            default -> throw new IOException("not a RESP reply: " + (char) type + line);
        };
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c == -1) throw new IOException("connection closed mid-reply");
            if (c != '\r') line.append((char) c);
        }
        return line.toString();
    }
}
