package dev.musicshare.share;

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
     * so a name beyond ASCII is sent percent-encoded as UTF-8 ({@code Zo%C3%AB}); '+' stays a plus.
     */
    public ListenerId withDisplayNameHeader(String header) {
        if (header == null || header.indexOf('%') < 0) return withDisplayName(header);
        try {
            return withDisplayName(java.net.URLDecoder.decode(header.replace("+", "%2B"),
                    java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw ShareException.invalid("X-Listener-Name has a malformed percent-encoding");
        }
    }

    /**
     * The same listener shown as {@code rawName} (absent or blank: no name). Runs of spaces become one; control and
     * invisible formatting characters are refused, so a name cannot disguise itself or break a line.
     */
    public ListenerId withDisplayName(String rawName) {
        if (rawName == null || rawName.isBlank()) return this;
        String name = rawName.strip().replaceAll("\\s+", " ");
        if (CONTROL.matcher(name).find()) {
            throw ShareException.invalid("X-Listener-Name must not contain control or formatting characters");
        }
        if (name.codePointCount(0, name.length()) > MAX_DISPLAY_NAME_LENGTH) {
            throw ShareException.invalid("X-Listener-Name must be at most " + MAX_DISPLAY_NAME_LENGTH
                    + " characters, was " + name.codePointCount(0, name.length()));
        }
        return new ListenerId(value, name);
    }
}
