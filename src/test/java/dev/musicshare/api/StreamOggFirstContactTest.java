package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.testing.ApiClient;
import dev.musicshare.testing.ApiClient.Reply;
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

        ApiClient listener = api.withAuthorization("Bearer " + listenerToken);
        assertThat(expect(200, listener.get("/api/share/" + ID + "/stream.m3u")).text())
                .as("fetched with the listener token, the playlist still works and carries that token")
                .contains("/api/share/" + ID + "/stream.ogg?access_token=" + listenerToken + "\n");
        assertThat(listener.postEmpty("/api/share/" + ID + "/stop").status())
                .as("the playlist's token only listens").isEqualTo(403);
    }

    private static String playlistPath(Reply playlist) {
        Matcher url = PLAYLIST_URL.matcher(playlist.text());
        assertThat(url.find()).as(playlist.text()).isTrue();
        return url.group(1);
    }
}
