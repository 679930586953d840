package dev.musicshare.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/** Why a request never got an answer, in a few words for people (the JDK's exceptions often carry no message). */
public final class ConnectionFailure {
    private ConnectionFailure() {}

    /** A short cause: "connection refused (is the server running?)", "unknown host", "no answer within 30 s", … */
    public static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ShareApi.ApiError api) return api.getMessage();
            if (cause instanceof HttpConnectTimeoutException) return "connection timed out";
            if (cause instanceof HttpTimeoutException) return "no answer in time";
            if (cause instanceof ConnectException) return "connection refused (is the server running?)";
            if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
                return "unknown host";
            }
            if (cause instanceof NoRouteToHostException) return "no route to host";
        }
        String message = failure.getMessage();
        return message != null && !message.isBlank() ? message : failure.getClass().getSimpleName();
    }

    /** True when the request cannot have reached the server, so that even a non-idempotent one may be repeated. */
    static boolean neverSent(IOException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException
                    || cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException
                    || cause instanceof NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }
}
