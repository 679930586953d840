package dev.musicshare.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the WAV formats a user is likely to have, and writing float32 WAV that reads back bit for bit. */
class WavFileTest {
    @TempDir
    Path dir;

    @Test
    void sixteen_bit_pcm_is_scaled_to_floats() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 0).putShort((short) 16384).putShort((short) -32768).putShort((short) 32767);
        Path file = write(WavFile.PCM, 16, 22050, 2, data.array());
        try (AudioSource wav = WavFile.open(file)) {
            assertThat(wav.sampleRate()).isEqualTo(22050);
            assertThat(wav.channels()).isEqualTo(2);
            assertThat(wav.durationSeconds()).isEqualTo(2.0 / 22050);
            float[] samples = new float[4];
            assertThat(wav.read(samples, 10)).isEqualTo(2);
            assertThat(samples).containsExactly(0f, 0.5f, -1f, 32767f / 32768f);
            assertThat(wav.read(samples, 10)).isZero();
        }
    }

    @Test
    void twenty_four_bit_pcm_keeps_its_sign_and_precision() throws IOException {
        byte[] data = {0x00, 0x00, 0x40, /* 0x400000 = 0.5 */ (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, /* -1 */
            0x00, 0x00, (byte) 0x80 /* -1.0 */};
        Path file = write(WavFile.PCM, 24, 48000, 1, data);
        try (AudioSource wav = WavFile.open(file)) {
            float[] samples = new float[3];
            assertThat(wav.read(samples, 3)).isEqualTo(3);
            assertThat(samples).containsExactly(0.5f, -1f / 8388608f, -1f);
        }
    }

    @Test
    void float_wav_round_trips_bit_for_bit_and_skips_unknown_chunks() throws IOException {
        float[] original = {0.1f, -0.25f, Float.MIN_VALUE, 0.999f, -1f, 0.3333f};
        byte[] raw = Sharer.littleEndian(original, original.length);
        Path file = dir.resolve("float.wav");
        try (WavFile.Writer writer = new WavFile.Writer(file, 44100, 2)) {
            writer.writeRaw(raw);
        }
        try (AudioSource wav = WavFile.open(file)) {
            float[] samples = new float[6];
            assertThat(wav.read(samples, 3)).isEqualTo(3);
            assertThat(samples).containsExactly(original);
        }
        // The same data behind a LIST chunk of odd length (padded), as tagging tools write it.
        byte[] plain = Files.readAllBytes(file);
        ByteArrayOutputStream tagged = new ByteArrayOutputStream();
        tagged.write(plain, 0, 36);
        tagged.write(new byte[] {'L', 'I', 'S', 'T', 3, 0, 0, 0, 'a', 'b', 'c', 0});
        tagged.write(plain, 36, plain.length - 36);
        Path taggedFile = dir.resolve("tagged.wav");
        Files.write(taggedFile, tagged.toByteArray());
        try (AudioSource wav = WavFile.open(taggedFile)) {
            float[] samples = new float[6];
            assertThat(wav.read(samples, 3)).isEqualTo(3);
            assertThat(samples).containsExactly(original);
        }
    }

    @Test
    void unsupported_or_broken_files_are_refused_with_a_reason() throws IOException {
        Path eightBit = write(WavFile.PCM, 8, 8000, 1, new byte[4]);
        assertThatThrownBy(() -> WavFile.open(eightBit)).hasMessageContaining("unsupported WAV format 1 with 8 bits");
        Path notWav = dir.resolve("x.wav");
        Files.writeString(notWav, "ID3 this is an mp3");
        assertThatThrownBy(() -> WavFile.open(notWav)).hasMessageContaining("not a WAV file");
    }

    private Path write(int format, int bits, int rate, int channels, byte[] data) throws IOException {
        Path file = dir.resolve(format + "-" + bits + ".wav");
        try (OutputStream out = Files.newOutputStream(file)) {
            WavFile.write(out, format, bits, rate, channels, data);
        }
        return file;
    }
}
