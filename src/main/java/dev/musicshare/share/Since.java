package dev.musicshare.share;

import java.util.Optional;

/**
 * Where a listener's catch-up starts: the buffered chunks whose sequence number is above {@code value}; -1 asks for
 * the whole buffer. The one reading of the {@code since} query parameter (polling, SSE, WebSocket) and of the SSE
 * {@code Last-Event-ID} header.
 *
 * @param value -1, or the last sequence number the listener already has
 */
public record Since(long value) {
    public static final Since WHOLE_BUFFER = new Since(-1);

    public Since {
        if (value < -1) throw ShareException.invalid(message("" + value));
    }

    /**
     * The {@code since} query parameter: absent or empty means the whole buffer.
     *
     * @throws ShareException (invalid) when it is not -1 or a sequence number
     */
    public static Since parse(String raw) {
        if (raw == null || raw.isBlank()) return WHOLE_BUFFER;
        try {
            return new Since(Long.parseLong(raw.trim()));
        } catch (NumberFormatException e) {
            throw ShareException.invalid(message(raw));
        }
    }

    /**
     * The SSE {@code Last-Event-ID} header: the id of the last event the client received, which for us is an audio
     * chunk's sequence number, so the stream resumes after it. Anything else (absent, not a number, negative) is
     * ignored rather than refused: an {@code EventSource} that is refused stops for good, while ignoring the header
     * only costs a replay (WHATWG HTML, "Server-sent events": the id is whatever the server last sent).
     */
    public static Optional<Since> lastEventId(String raw) {
        if (raw == null || raw.isBlank()) return Optional.empty();
        try {
            long id = Long.parseLong(raw.trim());
            return id >= 0 ? Optional.of(new Since(id)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Where an SSE stream resumes: a usable {@code Last-Event-ID} wins over the URL's {@code since}, because an
     * {@code EventSource} reconnects to the URL it was opened with (often {@code since=-1}) and adds the header.
     */
    public static Since forEventStream(String sinceParameter, String lastEventId) {
        return lastEventId(lastEventId).orElseGet(() -> parse(sinceParameter));
    }

    private static String message(String raw) {
        return "since must be an integer: -1 (the whole buffer) or a sequence number, was \"" + raw + "\"";
    }
}
