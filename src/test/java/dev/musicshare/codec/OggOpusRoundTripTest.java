package dev.musicshare.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.musicshare.testing.Ffmpeg;
import dev.musicshare.testing.Signals;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The encoder and the Ogg writer, judged by libopus through ffmpeg. */
class OggOpusRoundTripTest {
    private static final int RATE = 44_100;

    @BeforeEach
    void needsFfmpeg() {
        Ffmpeg.require();
    }

    @Test
    void a_sweep_in_irregular_chunks_decodes_aligned_with_its_source_and_of_the_same_length() throws Exception {
        float[] source = Signals.sweep(RATE, 2, 3.0);
        int[] chunkFrames = {4_410, 22_050, 1_631, 4_410, 17, 22_050};
        byte[] ogg = encode(source, 2, chunkFrames, -1);

        float[] decoded = Ffmpeg.decode(ogg, 2);
        float[] reference = Signals.at48k(source, RATE, 2);
        assertThat(decoded.length / 2).isBetween(reference.length / 2 - 2, reference.length / 2 + 2);
        int length = reference.length - 4_800 * 2; // the codec's edges aside
        double correlation = Signals.correlation(decoded, 0, reference, length);
        assertThat(correlation).as("correlation at lag 0").isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void a_skipped_chunk_becomes_silence_of_its_length() throws Exception {
        float[] source = Signals.sweep(RATE, 2, 1.0);
        // Ten chunks of 0.1 s; the fourth (sequence 3) is never fed.
        byte[] ogg = encode(source, 2, new int[] {4_410}, 3);

        float[] decoded = Ffmpeg.decode(ogg, 2);
        assertThat(decoded.length / 2).isBetween(48_000 - 2, 48_000 + 2);
        float[] reference = Signals.at48k(source, RATE, 2);
        double holeEnergy = 0;
        double sourceEnergy = 0;
        for (int i = 2 * 14_400 + 2 * 960; i < 2 * 19_200 - 2 * 960; i++) {
            holeEnergy += decoded[i] * decoded[i];
            sourceEnergy += reference[i] * reference[i];
        }
        assertThat(holeEnergy).as("energy inside the hole (40 dB below the skipped audio's)")
                .isLessThan(sourceEnergy * 1e-4);
        int after = 2 * 19_200 + 2 * 960;
        double correlation = Signals.correlation(decoded, after, Arrays.copyOfRange(reference, after, reference.length),
                reference.length - after - 2 * 4_800);
        assertThat(correlation).as("audio after the hole stays on its time").isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void a_skipped_stretch_is_prebuilt_silence_that_decodes_cleanly_and_costs_no_encoder_frames() throws Exception {
        float[] source = Signals.sweep(RATE, 2, 2.0);
        OpusStreamEncoder encoder = new OpusStreamEncoder(2, 128_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OggOpusWriter ogg = new OggOpusWriter(out, 7, 2, encoder.preSkip(), RATE, StreamTags.NONE);
        // Twenty chunks of 0.1 s; chunks 5-14 (one second) are skipped the way an overloaded feed skips them.
        for (long sequence = 0; sequence < 20; sequence++) {
            if (sequence == 5) ogg.writeFrames(encoder.skipThrough(5, 14));
            if (sequence >= 5 && sequence <= 14) continue;
            float[] chunk = Arrays.copyOfRange(source, (int) sequence * 4_410 * 2, (int) (sequence + 1) * 4_410 * 2);
            ogg.writeFrames(encoder.encodeChunk(sequence, chunk, RATE, 2));
        }
        OpusStreamEncoder.Ending end = encoder.finish();
        ogg.finish(end.frames(), end.padding());
        long streamFrames = encoder.samplesEncoded() / OpusStreamEncoder.FRAME_SAMPLES;
        // One second of silence is 50 frames; at most the first (which flushes the look-ahead) and the resampler's
        // tail reach the encoder.
        assertThat(streamFrames - encoder.framesThroughEncoder()).as("silent frames not run through the encoder")
                .isGreaterThanOrEqualTo(47);

        byte[] bytes = out.toByteArray();
        assertThat(Ffmpeg.decodeLog(bytes)).as("ffmpeg's log decoding the stream").doesNotContainIgnoringCase("error");
        float[] decoded = Ffmpeg.decode(bytes, 2);
        assertThat(decoded.length / 2).isBetween(96_000 - 2, 96_000 + 2);
        // The codec rings for a frame or two around the audio; between that the prebuilt packets decode to zeros.
        double holeEnergy = 0;
        for (int i = 2 * 24_000 + 2 * 3 * 960; i < 2 * 72_000 - 2 * 2 * 960; i++) holeEnergy += decoded[i] * decoded[i];
        assertThat(holeEnergy).as("energy of the decoded stretch after the codec's ringing").isZero();
        float[] reference = Signals.at48k(source, RATE, 2);
        int after = 2 * 72_000 + 2 * 960;
        double correlation = Signals.correlation(decoded, after, Arrays.copyOfRange(reference, after, reference.length),
                reference.length - after - 2 * 4_800);
        assertThat(correlation).as("audio after the stretch stays on its time").isGreaterThanOrEqualTo(0.99);
        double beforeCorrelation = Signals.correlation(decoded, 0, reference, 2 * 24_000 - 2 * 960);
        assertThat(beforeCorrelation).as("audio before the stretch keeps its tail").isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void chunks_skipped_before_the_first_one_encoded_keep_their_time_at_the_head_of_the_stream() throws Exception {
        float[] source = Signals.sweep(RATE, 2, 1.0);
        OpusStreamEncoder encoder = new OpusStreamEncoder(2, 128_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OggOpusWriter ogg = new OggOpusWriter(out, 9, 2, encoder.preSkip(), RATE, StreamTags.NONE);
        // A cold encoder on an overloaded node: chunks 0-2 are skipped (two gaps) before chunk 3 is taken.
        ogg.writeFrames(encoder.skipThrough(0, 1));
        ogg.writeFrames(encoder.skipThrough(2, 2));
        for (long sequence = 3; sequence < 10; sequence++) {
            float[] chunk = Arrays.copyOfRange(source, (int) sequence * 4_410 * 2, (int) (sequence + 1) * 4_410 * 2);
            ogg.writeFrames(encoder.encodeChunk(sequence, chunk, RATE, 2));
            assertThat(encoder.lastChunkStart()).as("chunk %d's place in the stream", sequence)
                    .isEqualTo(sequence * 4_800);
        }
        OpusStreamEncoder.Ending end = encoder.finish();
        ogg.finish(end.frames(), end.padding());

        float[] decoded = Ffmpeg.decode(out.toByteArray(), 2);
        assertThat(decoded.length / 2).as("as long as the ten chunks").isBetween(48_000 - 2, 48_000 + 2);
        float[] reference = Signals.at48k(source, RATE, 2);
        int after = 2 * 14_400 + 2 * 960;
        double correlation = Signals.correlation(decoded, after, Arrays.copyOfRange(reference, after, reference.length),
                reference.length - after - 2 * 4_800);
        assertThat(correlation).as("the audio after the skipped head stays on its time").isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void mono_stays_mono_and_the_tags_are_what_ffprobe_reads() throws Exception {
        OpusStreamEncoder encoder = new OpusStreamEncoder(1, 64_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] cover = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1, 2, 3};
        OggOpusWriter ogg = new OggOpusWriter(out, 1234, 1, encoder.preSkip(), RATE,
                new StreamTags("Première", "Ärtist", cover, "image/jpeg"));
        ogg.writeFrames(encoder.encodeChunk(0, Signals.sine(RATE, 440, 22_050, 0.5), RATE, 1));
        OpusStreamEncoder.Ending end = encoder.finish();
        ogg.finish(end.frames(), end.padding());

        JsonNode probe = new ObjectMapper().readTree(Ffmpeg.probe(out.toByteArray()));
        JsonNode stream = probe.get("streams").get(0);
        assertThat(stream.get("codec_name").asText()).isEqualTo("opus");
        assertThat(stream.get("channels").asInt()).isEqualTo(1);
        JsonNode tags = stream.has("tags") ? stream.get("tags") : probe.get("format").get("tags");
        assertThat(tags.get("TITLE") != null ? tags.get("TITLE").asText() : tags.get("title").asText())
                .isEqualTo("Première");
        assertThat(Ffmpeg.decode(out.toByteArray(), 1).length).isBetween(22_050 * 48_000 / RATE - 2,
                22_050 * 48_000 / RATE + 2);
    }

    @Test
    void the_tags_carry_the_cover_as_a_flac_picture_block() {
        StreamTags tags = new StreamTags("t", "a", new byte[] {1, 2, 3}, "image/png");
        byte[] block = java.util.Base64.getDecoder().decode(tags.metadataBlockPicture());
        java.nio.ByteBuffer read = java.nio.ByteBuffer.wrap(block);
        assertThat(read.getInt()).isEqualTo(3); // front cover
        byte[] mime = new byte[read.getInt()];
        read.get(mime);
        assertThat(new String(mime)).isEqualTo("image/png");
        assertThat(read.getInt()).isZero(); // description
        read.position(read.position() + 16);
        assertThat(read.getInt()).isEqualTo(3);
        assertThat(tags.displayTitle()).isEqualTo("a - t");
    }

    /** Feeds {@code source} in chunks cycling through {@code chunkFrames}, leaving out chunk {@code skipped}. */
    private static byte[] encode(float[] source, int channels, int[] chunkFrames, long skipped) {
        OpusStreamEncoder encoder = new OpusStreamEncoder(channels, 128_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OggOpusWriter ogg = new OggOpusWriter(out, 42, channels, encoder.preSkip(), RATE, StreamTags.NONE);
        int frame = 0;
        int total = source.length / channels;
        for (long sequence = 0; frame < total; sequence++) {
            int frames = Math.min(chunkFrames[(int) (sequence % chunkFrames.length)], total - frame);
            float[] chunk = Arrays.copyOfRange(source, frame * channels, (frame + frames) * channels);
            frame += frames;
            if (sequence == skipped) continue;
            ogg.writeFrames(encoder.encodeChunk(sequence, chunk, RATE, channels));
        }
        OpusStreamEncoder.Ending end = encoder.finish();
        ogg.finish(end.frames(), end.padding());
        return out.toByteArray();
    }
}
