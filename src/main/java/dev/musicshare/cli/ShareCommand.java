package dev.musicshare.cli;

import dev.musicshare.client.AudioSource;
import dev.musicshare.client.ShareApi;
import dev.musicshare.client.Sharer;
import dev.musicshare.client.ToneSource;
import dev.musicshare.client.WavFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code music-share share}: the reference sender. Streams a WAV file or a tone in real time with its metadata,
 * synced lyrics and cover art, then stops the session (also on Ctrl-C).
 *
 * <pre>
 * music-share share --url http://localhost:5000 --token Token --wav song.wav --title Song --artist Me \
 *     --lyrics song.lrc --cover cover.jpg
 * </pre>
 */
@Command(name = "share", mixinStandardHelpOptions = true,
        description = "Shares a WAV file or a tone to a Music Share server in real time, with metadata.")
final class ShareCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Option(names = "--session", description = "6-digit session id (default: a random one, printed).")
    String session;

    @ArgGroup(exclusive = true)
    Input input = new Input();

    static final class Input {
        @Option(names = "--wav", description = "WAV file: 16- or 24-bit PCM or 32-bit float, any rate and channels.")
        Path wav;
        @Option(names = "--tone", description = "Share a sine tone of this frequency in Hz (the default: 440).")
        Double tone;
    }

    @Option(names = "--seconds", defaultValue = "0",
            description = "Send this much audio, then stop (0: the whole file; a tone: endless).")
    double seconds;
    @Option(names = "--sample-rate", defaultValue = "44100", description = "Tone sample rate (default ${DEFAULT-VALUE}).")
    int sampleRate;
    @Option(names = "--channels", defaultValue = "2", description = "Tone channels (default ${DEFAULT-VALUE}).")
    int channels;
    @Option(names = "--title", defaultValue = "Unknown", description = "Track title sent in metadata (default ${DEFAULT-VALUE}).")
    String title;
    @Option(names = "--artist", defaultValue = "Unknown", description = "Artist sent in metadata (default ${DEFAULT-VALUE}).")
    String artist;
    @Option(names = "--lyrics", description = "Lyrics file: LRC ([mm:ss.xx] tags) for synced lyrics, or plain text.")
    Path lyrics;
    @Option(names = "--cover", description = "Cover art: a JPEG or PNG file.")
    Path cover;
    @Option(names = "--chunk-ms", defaultValue = "100", description = "Audio per chunk (default ${DEFAULT-VALUE}).")
    int chunkMillis;
    @Option(names = "--metadata-ms", defaultValue = "1000", description = "Metadata interval (default ${DEFAULT-VALUE}; 0: none).")
    int metadataMillis;
    @Option(names = "--keep", description = "Leave the session running at the end instead of stopping it.")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        String id = session != null ? session : String.valueOf(100_000 + new SecureRandom().nextInt(899_999));
        Sharer.Track track = new Sharer.Track(title, artist,
                lyrics == null ? null : withoutByteOrderMark(Files.readString(readable(lyrics, "--lyrics"),
                        StandardCharsets.UTF_8)),
                cover == null ? null : Files.readAllBytes(readable(cover, "--cover")));
        if (input.wav != null) readable(input.wav, "--wav");
        AtomicBoolean running = new AtomicBoolean(true);
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            running.set(false); // Ctrl-C: finish the chunk in flight, stop the session, then exit
            try {
                main.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try (AudioSource source = openSource()) {
            ShareApi api = server.api(id);
            // The link with its listener token, so listeners need no token of their own; the shared token is never
            // printed. A server too old to give one gets the bare page's address.
            Sharer sharer = new Sharer(api, source, track, chunkMillis, metadataMillis, System.out::println)
                    .onProgress(progressLine()).onStarted(() -> System.out.println("Listen at " + (api.listenUrl() != null
                            ? api.listenUrl() : server.url.replaceAll("/+$", "") + "/listen/" + id)));
            Sharer.Result result = sharer.run(running::get, !keep);
            if (System.console() != null) System.out.println();
            System.out.printf("Sent %d chunks (%.1f s of audio, %d bytes) and %d metadata updates%n",
                    result.chunks(), (double) result.frames() / source.sampleRate(), result.audioBytes(),
                    result.metadataPosts());
            if (result.stopAnswer() != null) System.out.println("Stopped: " + result.stopAnswer());
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
        }
        return 0;
    }

    /**
     * On a terminal, one line rewritten in place four times a second; otherwise (a log file, a pipe) a plain line
     * every ten seconds.
     */
    private static Sharer.Progress progressLine() {
        boolean terminal = System.console() != null;
        long every = terminal ? 250_000_000L : 10_000_000_000L;
        long[] next = {System.nanoTime() + every};
        return (sent, total, chunks, listeners) -> {
            if (System.nanoTime() < next[0]) return;
            next[0] = System.nanoTime() + every;
            String line = String.format("%s / %s  chunks %d  listeners %d", clock(sent),
                    total > 0 ? clock(total) : "live", chunks, listeners);
            if (terminal) System.out.print("\r" + line + "   ");
            else System.out.println(line);
        };
    }

    private static String clock(double seconds) {
        long whole = (long) seconds;
        return String.format("%d:%02d", whole / 60, whole % 60);
    }

    /** --seconds counts audio, not wall time, so that {@code --seconds 5} sends exactly five seconds. */
    private AudioSource openSource() throws java.io.IOException {
        // A tone with --seconds has a length, so listeners see a progress bar; without, it is a live stream.
        if (input.wav == null) {
            return new ToneSource(input.tone == null ? 440 : input.tone, sampleRate, channels, Math.max(0, seconds));
        }
        AudioSource file = WavFile.open(input.wav);
        return seconds > 0 ? file.limitedTo(seconds) : file;
    }

    /** The file, or a refusal naming the option and the full path it was looked for at. */
    static Path readable(Path file, String option) {
        Path full = file.toAbsolutePath().normalize();
        if (!Files.exists(full)) throw new IllegalArgumentException(option + " file not found: " + full);
        if (Files.isDirectory(full)) throw new IllegalArgumentException(option + " is a folder, not a file: " + full);
        if (!Files.isReadable(full)) throw new IllegalArgumentException(option + " file is not readable: " + full);
        return full;
    }

    /** A UTF-8 byte-order mark is an encoding's signature, not part of the lyrics listeners are sent. */
    static String withoutByteOrderMark(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
