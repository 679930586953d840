package dev.musicshare.cli;

import dev.musicshare.client.ConnectionFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One request before a benchmark, so that an unreachable server or a wrong token is one clear line rather than
 * thousands of failed requests and a stack trace. It asks for the status of a session no one uses: any server
 * speaking the API (this one or the seed's) answers 404 to the right token and 401 to a wrong one.
 */
final class TokenCheck {
    private TokenCheck() {}

    static void require(String baseUrl, String token) throws IOException, InterruptedException {
        String url = baseUrl.replaceAll("/+$", "") + "/api/share/000000/status";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build();
        int status;
        try {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IOException("cannot reach " + baseUrl + ": " + ConnectionFailure.describe(e), e);
        }
        if (status == 401 || status == 403) {
            throw new IllegalArgumentException(baseUrl + " refused the token (HTTP " + status + "): pass the server's "
                    + "BEARER_TOKEN with --token");
        }
        if (status != 404 && status / 100 != 2) {
            throw new IOException(baseUrl + " does not answer like a Music Share server (HTTP " + status + " from "
                    + url + ")");
        }
    }
}
