package dev.musicshare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.musicshare.testing.AudioSamples;
import dev.musicshare.testing.Ffmpeg;
import dev.musicshare.testing.Signals;
import dev.musicshare.testing.StreamClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Titles reach players: ICY blocks for those that ask, chained OpusTags for {@code ?chained=true}. On Redis a title
 * reaches the node's encoder as a store event (pub/sub; sharded pub/sub on a cluster), so this runs on every shape.
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "redis", "sentinel", "cluster"})
class StreamOggMetadataTest extends OpusApiTestBase {
    static final String ID = "515151";
    static final String STREAM = "/api/share/" + ID + "/stream.ogg?access_token=" + TOKEN;

    @Override
    String sessionId() {
        return ID;
    }

    @Test
    void a_player_sending_icy_metadata_reads_each_new_stream_title_and_the_audio_around_them_is_pure_ogg() {
        try (StreamClient player = StreamClient.open(server.port(), "GET", STREAM, "1.1", 0, "Icy-MetaData: 1")
                .readAll()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> player.bodyLength() > 0);
            assertThat(player.header("icy-metaint")).isEqualTo("16000");
            for (String title : List.of("One", "Two", "Three")) {
                metadata(title, "Band");
                postTone(2.0); // 2 s at 128 kbps: at least one 16,000-byte interval per title
            }
            api.postEmpty("/api/share/" + ID + "/stop");
            await().atMost(Duration.ofSeconds(10)).until(player::ended);

            List<String> titles = new ArrayList<>();
            byte[] ogg = splitIcy(player.body(), 16_000, titles);
            assertThat(titles).containsExactly("Band - One", "Band - Two", "Band - Three");
            assertThat(occurrences(ogg, "OpusHead")).isEqualTo(1);
            assertThat(Ffmpeg.decode(ogg, 2).length / 2).isBetween(6 * 48_000 - 960, 6 * 48_000 + 960);
        }
    }

    @Test
    void a_chained_stream_starts_a_new_link_with_the_title_in_its_tags_at_each_change() {
        try (StreamClient player = StreamClient.open(server.port(), "GET", STREAM + "&chained=true", "1.1", 0)
                .readAll()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> player.bodyLength() > 0);
            for (String title : List.of("One", "Two", "Three")) {
                metadata(title, "Band");
                postTone(0.5);
            }
            api.postEmpty("/api/share/" + ID + "/stop");
            await().atMost(Duration.ofSeconds(10)).until(player::ended);

            byte[] ogg = player.body();
            // The session had no title when the player joined: its first link is untitled.
            List<byte[]> links = links(ogg);
            assertThat(links).hasSize(4);
            List<String> titles = new ArrayList<>();
            for (byte[] link : links.subList(1, 4)) {
                JsonNode probe = Ffmpeg.probeJson(link);
                titles.add(probe.at("/streams/0/tags/title").asText() + " / " + probe.at("/streams/0/tags/artist").asText());
            }
            assertThat(titles).containsExactly("One / Band", "Two / Band", "Three / Band");
            // The chain as a whole is one playable stream: every link's audio, in order.
            assertThat(Ffmpeg.decode(ogg, 2).length / 2).isBetween(72_000 - 3 * 960, 72_000 + 3 * 960);
        }
    }

    @Test
    void a_title_posted_before_its_audio_starts_the_chained_link_where_its_timestamp_falls_in_the_audio() {
        try (StreamClient player = StreamClient.open(server.port(), "GET", STREAM + "&chained=true", "1.1", 0)
                .readAll()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> player.bodyLength() > 0);
            long start = System.currentTimeMillis();
            // Both titles come before any of their audio (as when the last chunks of a track are still held back):
            // "Two" belongs from 1 s into the audio on, by the sender's clock that the chunks carry too.
            metadata("One", "Band", start);
            metadata("Two", "Band", start + 1_000);
            postTone(2.0, start);
            api.postEmpty("/api/share/" + ID + "/stop");
            await().atMost(Duration.ofSeconds(10)).until(player::ended);

            List<byte[]> links = links(player.body());
            assertThat(links).hasSize(3);
            assertThat(Ffmpeg.probeJson(links.get(1)).at("/streams/0/tags/title").asText()).isEqualTo("One");
            assertThat(Ffmpeg.probeJson(links.get(2)).at("/streams/0/tags/title").asText()).isEqualTo("Two");
            // Each link ends on a page of its own holding the next title's first frame: one frame either way.
            assertThat(Ffmpeg.decode(links.get(1), 2).length / 2).as("samples titled One")
                    .isBetween(48_000 - 2 * 960, 48_000 + 2 * 960);
            assertThat(Ffmpeg.decode(links.get(2), 2).length / 2).as("samples titled Two")
                    .isBetween(48_000 - 2 * 960, 48_000 + 2 * 960);
        }
    }

    @Test
    void an_icy_title_is_announced_once_its_audio_has_begun_not_when_it_was_posted() {
        try (StreamClient player = StreamClient.open(server.port(), "GET", STREAM, "1.1", 0, "Icy-MetaData: 1")
                .readAll()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> player.bodyLength() > 0);
            long start = System.currentTimeMillis();
            metadata("One", "Band", start);
            metadata("Two", "Band", start + 2_000);
            postTone(4.0, start);
            api.postEmpty("/api/share/" + ID + "/stop");
            await().atMost(Duration.ofSeconds(10)).until(player::ended);

            List<String> titles = new ArrayList<>();
            List<Integer> offsets = new ArrayList<>();
            byte[] ogg = splitIcy(player.body(), 16_000, titles, offsets);
            assertThat(titles).containsExactly("Band - One", "Band - Two");
            // Audio before the block that announces "Two": at least its 2 s of "One" (granules count 48 kHz samples).
            assertThat(lastGranuleBefore(ogg, offsets.get(1)) - 312).as("samples before Two is announced")
                    .isGreaterThanOrEqualTo(2 * 48_000 - 960);
        }
    }

    private void metadata(String title, String artist, long timestamp) {
        expect(200, api.postJson("/api/share/" + ID + "/metadata", "{\"title\":\"" + title + "\",\"artist\":\""
                + artist + "\",\"timestamp\":" + timestamp + "}"));
    }

    /** A tone in 0.5 s chunks whose timestamps run from {@code start} (the sender's playback clock). */
    private void postTone(double seconds, long start) {
        float[] tone = Signals.sweep(RATE, 2, seconds);
        int frames = 22_050;
        for (int from = 0; from < tone.length / 2; from += frames) {
            int to = Math.min(from + frames, tone.length / 2);
            String chunk = AudioSamples.chunkJson(nextSequence++, Signals.base64(tone, from * 2, to * 2), RATE, 2);
            long timestamp = start + from * 1000L / RATE;
            expect(200, api.postJson("/api/share/" + ID + "/audio",
                    chunk.replaceFirst("\"timestamp\":\\d+", "\"timestamp\":" + timestamp)));
        }
    }

    /** The granule position of the last whole Ogg page that ends at or before {@code offset}. */
    static long lastGranuleBefore(byte[] ogg, int offset) {
        long granule = 0;
        int at = 0;
        while (at + 27 <= ogg.length) {
            int segments = ogg[at + 26] & 0xFF;
            int length = 27 + segments;
            for (int i = 0; i < segments; i++) length += ogg[at + 27 + i] & 0xFF;
            if (at + length > offset) break;
            long pageGranule = java.nio.ByteBuffer.wrap(ogg, at + 6, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .getLong();
            if (pageGranule > granule) granule = pageGranule;
            at += length;
        }
        return granule;
    }

    private void metadata(String title, String artist) {
        expect(200, api.postJson("/api/share/" + ID + "/metadata",
                "{\"title\":\"" + title + "\",\"artist\":\"" + artist + "\"}"));
    }

    private long nextSequence;

    private void postTone(double seconds) {
        float[] tone = Signals.sweep(RATE, 2, seconds);
        int frames = 22_050;
        for (int from = 0; from < tone.length / 2; from += frames) {
            int to = Math.min(from + frames, tone.length / 2);
            expect(200, api.postJson("/api/share/" + ID + "/audio", AudioSamples.chunkJson(nextSequence++,
                    Signals.base64(tone, from * 2, to * 2), RATE, 2)));
        }
    }

    /** Splits a chained Ogg stream at each beginning-of-stream page (header type bit 0x02, RFC 3533). */
    static List<byte[]> links(byte[] ogg) {
        List<byte[]> links = new ArrayList<>();
        int linkStart = 0;
        int at = 0;
        while (at + 27 <= ogg.length) {
            assertThat(new String(ogg, at, 4, StandardCharsets.US_ASCII)).isEqualTo("OggS");
            boolean beginning = (ogg[at + 5] & 0x02) != 0;
            if (beginning && at > linkStart) {
                links.add(java.util.Arrays.copyOfRange(ogg, linkStart, at));
                linkStart = at;
            }
            int segments = ogg[at + 26] & 0xFF;
            int length = 27 + segments;
            for (int i = 0; i < segments; i++) length += ogg[at + 27 + i] & 0xFF;
            at += length;
        }
        links.add(java.util.Arrays.copyOfRange(ogg, linkStart, ogg.length));
        return links;
    }

    static byte[] splitIcy(byte[] body, int interval, List<String> titles) {
        return splitIcy(body, interval, titles, new ArrayList<>());
    }

    /**
     * Removes the ICY blocks every {@code interval} bytes, collecting the StreamTitles they announce and where each
     * block stood in the audio bytes.
     */
    static byte[] splitIcy(byte[] body, int interval, List<String> titles, List<Integer> offsets) {
        ByteArrayOutputStream audio = new ByteArrayOutputStream();
        int at = 0;
        while (at < body.length) {
            int run = Math.min(interval, body.length - at);
            audio.write(body, at, run);
            at += run;
            if (at >= body.length) break;
            int length = (body[at] & 0xFF) * 16;
            String text = new String(body, at + 1, length, StandardCharsets.UTF_8).replace("\0", "");
            if (!text.isEmpty()) {
                assertThat(text).startsWith("StreamTitle='").endsWith("';");
                titles.add(text.substring("StreamTitle='".length(), text.length() - 2));
                offsets.add(audio.size());
            }
            at += 1 + length;
        }
        return audio.toByteArray();
    }
}
