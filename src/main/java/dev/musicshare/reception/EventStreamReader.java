package dev.musicshare.reception;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a {@code text/event-stream} (WHATWG HTML, "Server-sent events") and hands on each event as it completes.
 * Lines end with LF or CRLF; a value loses one leading space; several {@code data} lines are joined with LF; comment
 * lines (a leading ':', our heartbeats) and unknown fields are skipped; an event without data is not handed on.
 *
 * <p>Data is handed on as bytes, not text: an audio event's data line is some 47 KB of JSON, and decoding it to a
 * string would cost a load test more CPU than the server spends sending it. A reader that wants the JSON parses the
 * bytes itself (Jackson reads a byte range directly).
 */
public final class EventStreamReader {
    /** What is done with each event. */
    public interface Handler {
        /**
         * @param name   the event type ({@code message} when the stream named none)
         * @param id     the event's {@code id} field, or null when it had none (our audio events carry their
         *               sequence number there)
         * @param data   the data, in {@code data[0..length)}; valid only during the call
         * @param length bytes of data
         * @return false to stop reading
         */
        boolean onEvent(String name, String id, byte[] data, int length) throws IOException;

        /** A comment line (our heartbeat, every 15 s by default); false to stop reading. */
        default boolean onComment() {
            return true;
        }
    }

    /** Field names are short words; a longer one is not ours and its line is skipped. */
    private static final int MAX_FIELD_BYTES = 16;
    /** Event names and ids are short; a longer value is cut here (data has no such limit). */
    private static final int MAX_VALUE_BYTES = 256;
    private static final byte[] DATA = bytes("data");
    private static final byte[] EVENT = bytes("event");
    private static final byte[] ID = bytes("id");

    private enum Target { DATA, VALUE, SKIP }

    private final Handler handler;
    private final byte[] field = new byte[MAX_FIELD_BYTES];
    private int fieldLength;
    private boolean fieldTooLong;
    private final byte[] value = new byte[MAX_VALUE_BYTES];
    private int valueLength;
    private byte[] data = new byte[8192];
    private int dataLength;
    private boolean hasData;
    private boolean lineEmpty = true;
    private boolean inValue;
    private boolean skipSpace;
    private Target target = Target.SKIP;
    private String eventName;
    private String eventId;

    private EventStreamReader(Handler handler) {
        this.handler = handler;
    }

    /** Reads {@code in} until it ends or the handler says stop; does not close it. */
    public static void read(InputStream in, Handler handler) throws IOException {
        new EventStreamReader(handler).consume(in);
    }

    private void consume(InputStream in) throws IOException {
        byte[] buffer = new byte[1 << 16];
        for (int read; (read = in.read(buffer)) != -1; ) {
            int i = 0;
            while (i < read) {
                byte b = buffer[i];
                if (b == '\n') {
                    if (!endLine()) return;
                    i++;
                } else if (b == '\r') {
                    i++;
                } else if (inValue && !skipSpace && target == Target.DATA) {
                    i = appendDataRun(buffer, i, read); // the long lines: copied in one go
                } else {
                    take(b);
                    i++;
                }
            }
        }
    }

    private void take(byte b) {
        lineEmpty = false;
        if (!inValue) {
            if (b == ':') startValue();
            else if (fieldLength < MAX_FIELD_BYTES) field[fieldLength++] = b;
            else fieldTooLong = true;
        } else if (skipSpace) {
            skipSpace = false;
            if (b != ' ') take(b);
        } else if (target == Target.DATA) {
            ensureData(1);
            data[dataLength++] = b;
        } else if (target == Target.VALUE && valueLength < MAX_VALUE_BYTES) {
            value[valueLength++] = b;
        }
    }

    /** Appends data bytes up to the end of the line (or of what was read) and returns where it stopped. */
    private int appendDataRun(byte[] buffer, int from, int to) {
        lineEmpty = false;
        int end = from;
        while (end < to && buffer[end] != '\n' && buffer[end] != '\r') end++;
        ensureData(end - from);
        System.arraycopy(buffer, from, data, dataLength, end - from);
        dataLength += end - from;
        return end;
    }

    private void startValue() {
        inValue = true;
        skipSpace = true;
        boolean comment = fieldLength == 0 && !fieldTooLong;
        if (comment || fieldTooLong) {
            target = Target.SKIP;
        } else if (fieldIs(DATA)) {
            target = Target.DATA;
            if (hasData) {
                ensureData(1);
                data[dataLength++] = '\n';
            }
            hasData = true;
        } else {
            target = fieldIs(EVENT) || fieldIs(ID) ? Target.VALUE : Target.SKIP;
        }
    }

    /** False when the handler asked to stop. */
    private boolean endLine() throws IOException {
        if (lineEmpty) return dispatch();
        boolean comment = inValue && fieldLength == 0 && !fieldTooLong;
        if (!inValue) startValue(); // a field name alone: its value is empty
        if (target == Target.VALUE) {
            String text = new String(value, 0, valueLength, StandardCharsets.UTF_8);
            if (fieldIs(EVENT)) eventName = text;
            else eventId = text;
        }
        resetLine();
        return !comment || handler.onComment();
    }

    private boolean dispatch() throws IOException {
        boolean goOn = true;
        if (hasData && dataLength > 0) {
            goOn = handler.onEvent(eventName == null || eventName.isEmpty() ? "message" : eventName, eventId, data,
                    dataLength);
        }
        eventName = null;
        eventId = null;
        dataLength = 0;
        hasData = false;
        resetLine();
        return goOn;
    }

    private void resetLine() {
        fieldLength = 0;
        fieldTooLong = false;
        valueLength = 0;
        lineEmpty = true;
        inValue = false;
        skipSpace = false;
        target = Target.SKIP;
    }

    private boolean fieldIs(byte[] name) {
        return Arrays.equals(field, 0, fieldLength, name, 0, name.length);
    }

    private void ensureData(int more) {
        if (dataLength + more > data.length) data = Arrays.copyOf(data, Math.max(data.length * 2, dataLength + more));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
