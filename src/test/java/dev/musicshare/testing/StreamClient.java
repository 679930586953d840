package dev.musicshare.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A media player's view of an HTTP audio stream, over a raw socket so that the test controls the protocol version,
 * the request headers and how fast the body is read. Reads on a thread of its own into memory (de-chunking an
 * HTTP/1.1 body), until the server ends the response or the test closes the client.
 */
public final class StreamClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final Thread reader;
    private int status;
    private volatile boolean ended;

    private StreamClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.reader = new Thread(this::read, "stream-client");
    }

    /**
     * Sends {@code METHOD path HTTP/version} with the given extra header lines and starts reading.
     *
     * @param receiveBuffer the socket's receive buffer in bytes (small, for a slow reader), or 0 for the default
     */
    public static StreamClient open(int port, String method, String path, String version, int receiveBuffer,
            String... headerLines) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/" + version + "\r\n");
            request.append("Host: 127.0.0.1:").append(port).append("\r\n");
            for (String line : headerLines) request.append(line).append("\r\n");
            request.append("\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new StreamClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts reading the body as fast as it comes. */
    public StreamClient readAll() {
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    /** Reads only the status line and headers, leaving the body unread (a player that stopped reading). */
    public StreamClient readHeadersOnly() {
        try {
            readHead();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public synchronized int status() {
        return status;
    }

    /** A response header, by case-insensitive name; null when absent. */
    public synchronized String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The body received so far (de-chunked). */
    public synchronized byte[] body() {
        return body.toByteArray();
    }

    public synchronized int bodyLength() {
        return body.size();
    }

    /** True once the server ended the response (end of a close-delimited body, or the last chunk). */
    public boolean ended() {
        return ended;
    }

    /** Reads and discards whatever is buffered, then reports whether the server has closed the connection. */
    public boolean drainAndCheckClosed() {
        try {
            socket.setSoTimeout(200);
            byte[] buffer = new byte[65_536];
            while (true) {
                if (in.read(buffer) < 0) return true;
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private void read() {
        try {
            readHead();
            boolean chunked = "chunked".equalsIgnoreCase(header("Transfer-Encoding"));
            if (chunked) readChunks();
            else readUntilClose();
        } catch (IOException e) {
            // the test closed the socket, or the server reset it
        } finally {
            ended = true;
        }
    }

    private void readHead() throws IOException {
        String statusLine = line();
        synchronized (this) {
            status = Integer.parseInt(statusLine.split(" ")[1]);
        }
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            synchronized (this) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
    }

    private void readChunks() throws IOException {
        while (true) {
            String sizeLine = line();
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) return;
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) return;
            synchronized (this) {
                body.write(chunk, 0, chunk.length);
            }
            line(); // the CRLF after the chunk
        }
    }

    private void readUntilClose() throws IOException {
        byte[] buffer = new byte[16_384];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            synchronized (this) {
                body.write(buffer, 0, read);
            }
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) throw new IOException("connection closed in the response head");
            if (b != '\r') line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
