package dev.musicshare.share;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Who a listener is, for counting distinct listeners (DESIGN.md, "Listeners"): the id the client names itself with
 * ({@code X-Listener-Id}) when it sends one, else its address and User-Agent — the desktop receiver sends no id.
 *
 * @param value       the identity counted
 * @param displayName what the listener asked to be shown as ({@code X-Listener-Name}), or null
 */
public record ListenerId(String value, String displayName) {
    public static final int MAX_NAMED_LENGTH = 128;
    /** Long enough for a full name, short enough for "Alice, Bob and 3 others" on a phone. */
    public static final int MAX_DISPLAY_NAME_LENGTH = 40;
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\p{Cf}\\p{Zl}\\p{Zp}]");

    public ListenerId(String value) {
        this(value, null);
    }

    /**
     * The listener behind a request, the one reading of it for polling and push alike: {@code X-Listener-Id} (else
     * the {@code listenerId} query parameter, as browsers cannot set headers on EventSource or WebSocket), else the
     * address and User-Agent; shown as {@code X-Listener-Name} (else the {@code name} parameter; a header wins).
     *
     * @param header  looks up a request header by name
     * @param query   looks up a query parameter by name
     * @param address the client's address
     */
    public static ListenerId fromRequest(UnaryOperator<String> header, UnaryOperator<String> query, String address) {
        String named = header.apply("X-Listener-Id");
        ListenerId id = of(named != null ? named : query.apply("listenerId"), address, header.apply("User-Agent"));
        String nameHeader = header.apply("X-Listener-Name");
        return nameHeader != null ? id.withDisplayNameHeader(nameHeader) : id.withDisplayName(query.apply("name"));
    }

    public static ListenerId of(String named, String address, String userAgent) {
        if (named != null && !named.isBlank()) {
            if (named.length() > MAX_NAMED_LENGTH) {
                throw ShareException.invalid("X-Listener-Id must be at most " + MAX_NAMED_LENGTH + " characters");
            }
            return new ListenerId("id:" + named.trim());
        }
        return new ListenerId("addr:" + address + "|" + (userAgent == null ? "" : userAgent));
    }

    /**
     * As {@link #withDisplayName}, from an {@code X-Listener-Name} header: header values are Latin-1 on the wire,
     * so a name beyond ASCII is sent percent-encoded as UTF-8 ({@code Zo%C3%AB}); '+' stays a plus. Bytes that are
     * not UTF-8 ({@code %FF%FE}) are refused rather than shown as U+FFFD.
     *
     * @throws ShareException INVALID_REQUEST (400) for a malformed escape, bytes that are not UTF-8, or a name
     *                        {@link #withDisplayName} refuses
     */
    public ListenerId withDisplayNameHeader(String header) {
        if (header == null || header.indexOf('%') < 0) return withDisplayName(header);
        return withDisplayName(percentDecodeUtf8(header));
    }

    /** Percent-decodes to bytes and reads them as strict UTF-8 (URLDecoder would turn bad bytes into U+FFFD). */
    private static String percentDecodeUtf8(String encoded) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int low = high >= 0 ? Character.digit(encoded.charAt(i + 2), 16) : -1;
                if (low < 0) throw ShareException.invalid("X-Listener-Name has a malformed percent-encoding");
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c > 0xFF) {
                // header values arrive as Latin-1, one char per byte; anything wider was not sent on the wire
                throw ShareException.invalid("X-Listener-Name is not valid percent-encoded UTF-8");
            } else {
                // an unescaped byte is kept as a byte, so raw UTF-8 mixed with escapes still decodes
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ShareException.invalid("X-Listener-Name is not valid percent-encoded UTF-8");
        }
    }

    /**
     * The same listener shown as {@code rawName} (absent or blank: no name). Runs of spaces become one; control
     * characters (tabs and line breaks too, checked before spaces are folded), invisible formatting characters and
     * U+FFFD (what a query decoder leaves of bytes that were not UTF-8) are refused, so a name cannot disguise
     * itself, break a line or show as "��".
     *
     * @throws ShareException INVALID_REQUEST (400) for such a character or a name longer than
     *                        {@value #MAX_DISPLAY_NAME_LENGTH} code points
     */
    public ListenerId withDisplayName(String rawName) {
        if (rawName == null || rawName.isBlank()) return this;
        if (CONTROL.matcher(rawName).find()) {
            throw ShareException.invalid("X-Listener-Name must not contain control or formatting characters");
        }
        if (rawName.indexOf('\uFFFD') >= 0) {
            throw ShareException.invalid("X-Listener-Name is not valid UTF-8");
        }
        String name = rawName.strip().replaceAll("\\s+", " ");
        if (name.codePointCount(0, name.length()) > MAX_DISPLAY_NAME_LENGTH) {
            throw ShareException.invalid("X-Listener-Name must be at most " + MAX_DISPLAY_NAME_LENGTH
                    + " characters, was " + name.codePointCount(0, name.length()));
        }
        return new ListenerId(value, name);
    }
}
