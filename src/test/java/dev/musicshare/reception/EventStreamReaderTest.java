package dev.musicshare.reception;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event-stream format as the WHATWG HTML standard defines it, and as our server writes it. */
class EventStreamReaderTest {

    @Test
    void events_with_names_ids_and_data_as_the_server_writes_them() throws IOException {
        List<String> events = read("event: metadata\ndata: {\"title\":\"A\"}\n\n: heartbeat\n\n"
                + "event: audio\nid: 7\ndata: {\"sequenceNumber\":7}\n\n");
        assertThat(events).containsExactly("metadata|null|{\"title\":\"A\"}", "audio|7|{\"sequenceNumber\":7}");
    }

    @Test
    void crlf_line_ends_several_data_lines_and_one_optional_space() throws IOException {
        List<String> events = read("data:one\r\ndata:  two\r\n\r\ndata\n\nevent:x\n\n");
        assertThat(events).containsExactly("message|null|one\n two");
    }

    @Test
    void comments_and_unknown_fields_are_skipped_and_the_handler_may_stop() throws IOException {
        List<String> events = new ArrayList<>();
        int[] comments = {0};
        EventStreamReader.read(stream(": hi\nretry: 10\nsomething-long-and-unknown: x\ndata: a\n\ndata: b\n\ndata: c\n\n"),
                new EventStreamReader.Handler() {
                    @Override
                    public boolean onEvent(String name, String id, byte[] data, int length) {
                        events.add(new String(data, 0, length, StandardCharsets.UTF_8));
                        return events.size() < 2;
                    }

                    @Override
                    public boolean onComment() {
                        comments[0]++;
                        return true;
                    }
                });
        assertThat(events).containsExactly("a", "b");
        assertThat(comments[0]).isEqualTo(1);
    }

    @Test
    void a_data_line_longer_than_any_buffer_arrives_whole_across_reads() throws IOException {
        String big = "x".repeat(200_000);
        InputStream trickle = new ByteArrayInputStream(("event: audio\ndata: " + big + "\n\n")
                .getBytes(StandardCharsets.US_ASCII)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1000)); // a slow network: many short reads
            }
        };
        List<String> events = new ArrayList<>();
        EventStreamReader.read(trickle, (name, id, data, length) -> events.add(new String(data, 0, length,
                StandardCharsets.US_ASCII)));
        assertThat(events).containsExactly(big);
    }

    private static List<String> read(String text) throws IOException {
        List<String> events = new ArrayList<>();
        EventStreamReader.read(stream(text), (name, id, data, length) -> events.add(name + "|" + id + "|"
                + new String(data, 0, length, StandardCharsets.UTF_8)));
        return events;
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
