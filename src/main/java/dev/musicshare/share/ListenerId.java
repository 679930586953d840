package dev.musicshare.share;

/**
 * Who a listener is, for counting distinct listeners (DESIGN.md, "Listeners"): the id the client names itself with
 * ({@code X-Listener-Id}) when it sends one, else its address and User-Agent — the desktop receiver sends no id.
 */
public record ListenerId(String value) {
    public static final int MAX_NAMED_LENGTH = 128;

    public static ListenerId of(String named, String address, String userAgent) {
        if (named != null && !named.isBlank()) {
            if (named.length() > MAX_NAMED_LENGTH) {
                throw ShareException.invalid("X-Listener-Id must be at most " + MAX_NAMED_LENGTH + " characters");
            }
            return new ListenerId("id:" + named.trim());
        }
        return new ListenerId("addr:" + address + "|" + (userAgent == null ? "" : userAgent));
    }
}
