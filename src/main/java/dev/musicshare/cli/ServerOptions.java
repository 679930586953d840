package dev.musicshare.cli;

import dev.musicshare.client.ShareApi;
import picocli.CommandLine.Option;

/** Where the server is and how to get in: the options every client command shares. */
final class ServerOptions {
    @Option(names = "--url", defaultValue = "http://localhost:5000", description = "Server base URL (default ${DEFAULT-VALUE}).")
    String url;
    @Option(names = "--token", defaultValue = "${env:BEARER_TOKEN}", description = "Bearer token (env BEARER_TOKEN).")
    String token;

    /** The API of one session on this server; refuses to go on without a token. */
    ShareApi api(String sessionId) {
        if (token == null || token.isBlank()) throw new IllegalArgumentException("--token or BEARER_TOKEN is required");
        return new ShareApi(url, token, sessionId);
    }
}
