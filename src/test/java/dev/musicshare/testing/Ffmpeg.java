package dev.musicshare.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's ffmpeg/ffprobe as the independent judge of our Ogg Opus output. Without the binaries: fails under CI
 * (CI=true), else skips the test loudly, naming the install command.
 */
public final class Ffmpeg {
    private static final String INSTALL = "apt-get install -y ffmpeg";

    private Ffmpeg() {}

    /** Skips (or, under CI, fails) unless ffmpeg and ffprobe can be run. */
    public static void require() {
        if (Files.isExecutable(Path.of("/usr/bin/ffmpeg")) && Files.isExecutable(Path.of("/usr/bin/ffprobe"))) return;
        String message = "ffmpeg/ffprobe not found: the Opus tests decode with them (" + INSTALL + ")";
        if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(message);
        System.err.println("SKIPPING: " + message);
        Assumptions.abort(message);
    }

    /**
     * Decodes an Ogg Opus byte stream to interleaved float samples at 48 kHz with libopus (through ffmpeg), the
     * pre-skip removed as the RFC requires of a decoder.
     */
    public static float[] decode(byte[] ogg, int channels) {
        require();
        byte[] raw = run(ogg, "/usr/bin/ffmpeg", "-v", "error", "-i", "pipe:0", "-f", "f32le", "-ac", "" + channels,
                "-ar", "48000", "pipe:1");
        ByteBuffer buffer = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[] samples = new float[raw.length / Float.BYTES];
        for (int i = 0; i < samples.length; i++) samples[i] = buffer.getFloat();
        return samples;
    }

    /** ffprobe's JSON description (format and streams, with tags) of an Ogg stream. */
    public static String probe(byte[] ogg) {
        require();
        return new String(run(ogg, "/usr/bin/ffprobe", "-v", "error", "-show_format", "-show_streams",
                "-of", "json", "pipe:0"), StandardCharsets.UTF_8);
    }

    /** {@link #probe} parsed. */
    public static com.fasterxml.jackson.databind.JsonNode probeJson(byte[] ogg) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(probe(ogg));
        } catch (IOException e) {
            throw new IllegalStateException("ffprobe's JSON unreadable", e);
        }
    }

    /** What ffmpeg logs (verbose) while decoding the whole stream: chained links' metadata shows up here. */
    public static String decodeLog(byte[] ogg) {
        require();
        return new String(run(ogg, true, "/usr/bin/ffmpeg", "-v", "verbose", "-i", "pipe:0", "-f", "null", "-"),
                StandardCharsets.UTF_8);
    }

    private static byte[] run(byte[] input, String... command) {
        return run(input, false, command);
    }

    private static byte[] run(byte[] input, boolean stderr, String... command) {
        try {
            Path in = Files.createTempFile(Path.of("target"), "ogg-", ".opus");
            Files.write(in, input);
            List<String> args = new ArrayList<>(List.of(command));
            args.replaceAll(arg -> arg.equals("pipe:0") ? in.toString() : arg);
            Process process = new ProcessBuilder(args).redirectErrorStream(stderr).start();
            process.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errors = new Thread(() -> copy(process.getErrorStream(), err));
            errors.start();
            copy(process.getInputStream(), out);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command[0] + " did not finish within 60 s");
            }
            errors.join();
            Files.deleteIfExists(in);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command[0] + " failed (" + process.exitValue() + "): " + err);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            // the process ended; what was read is kept
        }
    }
}
