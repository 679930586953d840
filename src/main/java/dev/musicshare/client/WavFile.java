package dev.musicshare.client;

import java.io.BufferedInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * WAV files: reads 16- and 24-bit integer PCM and 32-bit float (plain or WAVE_FORMAT_EXTENSIBLE) as float samples;
 * writes 32-bit float, which keeps the server's samples bit for bit.
 */
public final class WavFile {
    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_FLOAT = 3;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    private WavFile() {}

    /** Opens a WAV file as a source; the header is checked at once. */
    public static AudioSource open(Path path) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        try {
            return new Reader(in, path.toString());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Samples in, one float32 WAV out; {@link #close} writes the final sizes into the header. */
    public static final class Writer implements AutoCloseable {
        private final Path path;
        private final DataOutputStream out;
        private final int sampleRate;
        private final int channels;
        private long dataBytes;

        public Writer(Path path, int sampleRate, int channels) throws IOException {
            this.path = path;
            this.sampleRate = sampleRate;
            this.channels = channels;
            this.out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(path), 1 << 16));
            out.write(header(0));
        }

        public int sampleRate() {
            return sampleRate;
        }

        public int channels() {
            return channels;
        }

        /** Writes raw little-endian float32 sample bytes, as the server carries them. */
        public void writeRaw(byte[] littleEndianFloats) throws IOException {
            out.write(littleEndianFloats);
            dataBytes += littleEndianFloats.length;
        }

        @Override
        public void close() throws IOException {
            out.close();
            try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
                file.seek(0);
                file.write(header(dataBytes));
            }
        }

        private byte[] header(long dataLength) {
            ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
            header.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) (36 + dataLength))
                    .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                    .putShort((short) FORMAT_FLOAT).putShort((short) channels).putInt(sampleRate)
                    .putInt(sampleRate * channels * 4).putShort((short) (channels * 4)).putShort((short) 32)
                    .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) dataLength);
            return header.array();
        }
    }

    /** Writes a whole WAV file in one go (any of the formats this class reads); for tests and tools. */
    public static void write(OutputStream out, int format, int bitsPerSample, int sampleRate, int channels,
            byte[] data) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        int blockAlign = channels * bitsPerSample / 8;
        header.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + data.length)
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) format).putShort((short) channels).putInt(sampleRate)
                .putInt(sampleRate * blockAlign).putShort((short) blockAlign).putShort((short) bitsPerSample)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(data.length);
        out.write(header.array());
        out.write(data);
    }

    public static final int PCM = FORMAT_PCM;
    public static final int FLOAT = FORMAT_FLOAT;

    private static final class Reader implements AudioSource {
        private final InputStream in;
        private final int sampleRate;
        private final int channels;
        private final int bytesPerSample;
        private final boolean floating;
        private final double durationSeconds;
        private long bytesLeft;
        private byte[] buffer = new byte[0];

        Reader(InputStream in, String name) throws IOException {
            this.in = in;
            byte[] riff = readFully(12);
            if (!ascii(riff, 0, "RIFF") || !ascii(riff, 8, "WAVE")) throw new IOException(name + " is not a WAV file");
            int format = -1;
            int rate = 0;
            int channelCount = 0;
            int bits = 0;
            for (;;) {
                ByteBuffer chunk = ByteBuffer.wrap(readFully(8)).order(ByteOrder.LITTLE_ENDIAN);
                String id = new String(chunk.array(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII);
                long size = Integer.toUnsignedLong(chunk.getInt(4));
                if (id.equals("fmt ")) {
                    ByteBuffer fmt = ByteBuffer.wrap(readFully((int) size)).order(ByteOrder.LITTLE_ENDIAN);
                    format = Short.toUnsignedInt(fmt.getShort(0));
                    channelCount = Short.toUnsignedInt(fmt.getShort(2));
                    rate = fmt.getInt(4);
                    bits = Short.toUnsignedInt(fmt.getShort(14));
                    if (format == FORMAT_EXTENSIBLE && size >= 26) format = Short.toUnsignedInt(fmt.getShort(24));
                    if ((size & 1) == 1) readFully(1);
                } else if (id.equals("data")) {
                    if (format < 0) throw new IOException(name + ": data before fmt");
                    bytesLeft = size;
                    break;
                } else {
                    skipFully(size + (size & 1)); // LIST, fact, …: chunks are padded to even sizes
                }
            }
            boolean supported = (format == FORMAT_PCM && (bits == 16 || bits == 24))
                    || (format == FORMAT_FLOAT && bits == 32);
            if (!supported) {
                throw new IOException(name + ": unsupported WAV format " + format + " with " + bits
                        + " bits; use 16- or 24-bit PCM or 32-bit float");
            }
            if (channelCount < 1 || rate < 1) throw new IOException(name + ": no channels or no sample rate");
            this.sampleRate = rate;
            this.channels = channelCount;
            this.bytesPerSample = bits / 8;
            this.floating = format == FORMAT_FLOAT;
            this.durationSeconds = (double) bytesLeft / (bytesPerSample * channels) / sampleRate;
        }

        @Override
        public int sampleRate() {
            return sampleRate;
        }

        @Override
        public int channels() {
            return channels;
        }

        @Override
        public double durationSeconds() {
            return durationSeconds;
        }

        @Override
        public int read(float[] samples, int frames) throws IOException {
            int frameBytes = bytesPerSample * channels;
            int wanted = (int) Math.min((long) frames * frameBytes, bytesLeft / frameBytes * frameBytes);
            if (buffer.length < wanted) buffer = new byte[wanted];
            int got = in.readNBytes(buffer, 0, wanted);
            int whole = got / frameBytes;
            bytesLeft = got < wanted ? 0 : bytesLeft - got;
            ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, whole * frameBytes).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < whole * channels; i++) samples[i] = sample(bytes, i * bytesPerSample);
            return whole;
        }

        private float sample(ByteBuffer bytes, int offset) {
            if (floating) return bytes.getFloat(offset);
            if (bytesPerSample == 2) return bytes.getShort(offset) / 32768f;
            int value = (bytes.get(offset) & 0xFF) | (bytes.get(offset + 1) & 0xFF) << 8 | bytes.get(offset + 2) << 16;
            return value / 8388608f;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        private byte[] readFully(int length) throws IOException {
            byte[] bytes = in.readNBytes(length);
            if (bytes.length < length) throw new EOFException("WAV file ends inside its header");
            return bytes;
        }

        private void skipFully(long length) throws IOException {
            in.skipNBytes(length);
        }

        private static boolean ascii(byte[] bytes, int offset, String text) {
            return new String(bytes, offset, 4, java.nio.charset.StandardCharsets.US_ASCII).equals(text);
        }
    }
}
