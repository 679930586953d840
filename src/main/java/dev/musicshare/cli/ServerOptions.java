package dev.musicshare.cli;

import dev.musicshare.client.RetryPolicy;
import dev.musicshare.client.ShareApi;
import picocli.CommandLine.Option;

/** Where the server is, how to get in, and how long to wait for it: the options every client command shares. */
final class ServerOptions {
    @Option(names = "--url", defaultValue = "http://localhost:5000", description = "Server base URL (default ${DEFAULT-VALUE}).")
    String url;
    @Option(names = "--token", defaultValue = "${env:BEARER_TOKEN}", description = "Bearer token (env BEARER_TOKEN); required.")
    String token;
    @Option(names = "--retries", defaultValue = "" + RetryPolicy.DEFAULT_RETRIES,
            description = "Retries of a request the server could not take, with a countdown (pauses of 1, 2, 4, 8, "
                    + "then 15 s; default ${DEFAULT-VALUE}, about 45 s in all; 0: none).")
    int retries;

    /** The API of one session on this server; refuses to go on without a token. */
    ShareApi api(String sessionId) {
        if (token == null || token.isBlank()) throw new IllegalArgumentException("--token or BEARER_TOKEN is required");
        if (retries < 0) throw new IllegalArgumentException("--retries must not be negative, was " + retries);
        return new ShareApi(url, token, sessionId).retrying(new RetryPolicy(retries, new RetryCountdown()));
    }
}
