package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** HISTORY=off: sessions work as ever, no history database is created, and the history API says it is off. */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory"})
class HistoryOffTest extends ApiTestBase {
    static final Path FOLDER = Path.of("target", "history-off-" + System.nanoTime());

    @Override
    Map<String, String> extraEnvironment() {
        return Map.of("HISTORY", "off", "HISTORY_DIR", FOLDER.toString());
    }

    @Test
    void with_history_off_sessions_run_and_the_history_api_answers_404_history_off() {
        expect(200, start("818181"));
        expect(200, postChunk("818181", 0));
        expect(200, api.postEmpty("/api/share/818181/stop"));
        var reply = expect(404, api.get("/api/admin/sessions"));
        assertThat(reply.json().get("code").asText()).isEqualTo("HISTORY_OFF");
        assertThat(expect(404, api.get("/api/admin/sessions/1")).json().get("code").asText()).isEqualTo("HISTORY_OFF");
        assertThat(FOLDER).doesNotExist();
    }
}
