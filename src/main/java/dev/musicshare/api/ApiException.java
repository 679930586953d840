package dev.musicshare.api;

/** A request refused by the HTTP layer itself (auth, body, content type), with its status and error code. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "INVALID_REQUEST", message);
    }
}
