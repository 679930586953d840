package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.ApiClient.Reply;
import dev.musicshare.testing.Signals;
import dev.musicshare.testing.StreamClient;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a new user and a media player meet first on {@code stream.ogg} and {@code stream.m3u}, before and around the
 * audio: the playlist's token, HEAD, a session with no audio yet, a mistyped query. On the memory store only: the
 * store plays no part in these, and {@link StreamOggApiTest} covers the audio on every store.
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory"})
class StreamOggFirstContactTest extends OpusApiTestBase {
    static final String ID = "434343";
    private static final Pattern PLAYLIST_URL = Pattern.compile("(?m)^http://[^/]+(/\\S*)$");

    @Override
    String sessionId() {
        return ID;
    }

    @Test
    void a_playlist_fetched_with_the_shared_token_carries_the_sessions_listener_token_instead() {
        String listenerToken = expect(200, api.get("/api/share/" + ID + "/invite")).json().get("listenerToken").asText();

        Reply playlist = expect(200, api.get("/api/share/" + ID + "/stream.m3u?chained=true"));
        assertThat(playlist.text()).doesNotContain(TOKEN)
                .contains("/api/share/" + ID + "/stream.ogg?chained=true&access_token=" + listenerToken + "\n");
        String url = playlistPath(playlist);
        assertThat(expect(200, new ApiClient(server.port(), null).head(url)).header("Content-Type"))
                .isEqualTo("audio/ogg");
        assertThat(expect(200, api.head("/api/share/" + ID + "/stream.m3u?chained=true")).header("Content-Length"))
                .as("HEAD describes the playlist GET sends").isEqualTo("" + playlist.body().length);

        ApiClient listener = api.withAuthorization("Bearer " + listenerToken);
        assertThat(expect(200, listener.get("/api/share/" + ID + "/stream.m3u")).text())
                .as("fetched with the listener token, the playlist still works and carries that token")
                .contains("/api/share/" + ID + "/stream.ogg?access_token=" + listenerToken + "\n");
        assertThat(listener.postEmpty("/api/share/" + ID + "/stop").status())
                .as("the playlist's token only listens").isEqualTo(403);
    }

    @Test
    void head_describes_the_get_an_endless_chunked_stream_without_a_content_length() {
        postSignal(Signals.sweep(RATE, 2, 0.5), 2, 4_410, false);
        String stream = "/api/share/" + ID + "/stream.ogg?access_token=" + TOKEN;
        for (String version : List.of("1.1", "1.0")) {
            try (StreamClient get = StreamClient.open(server.port(), "GET", stream, version, 0, "Icy-MetaData: 1")
                    .readAll()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> get.bodyLength() > 0);
                StreamClient head = StreamClient.open(server.port(), "HEAD", stream, version, 0, "Icy-MetaData: 1")
                        .readHeadersOnly();
                head.close();
                assertThat(head.status()).isEqualTo(200);
                assertThat(head.header("Content-Length")).as("HTTP/" + version + ": GET's body is endless").isNull();
                for (String name : List.of("Content-Type", "Transfer-Encoding", "Accept-Ranges", "Cache-Control",
                        "icy-metaint", "icy-br", "icy-name", "Connection")) {
                    assertThat(head.header(name)).as("HTTP/" + version + " " + name).isEqualTo(get.header(name));
                }
            }
        }
    }

    private static String playlistPath(Reply playlist) {
        Matcher url = PLAYLIST_URL.matcher(playlist.text());
        assertThat(url.find()).as(playlist.text()).isTrue();
        return url.group(1);
    }
}
