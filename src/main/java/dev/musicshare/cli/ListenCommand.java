package dev.musicshare.cli;

import dev.musicshare.client.Listener;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code music-share listen}: the reference listener. Follows a session by push (default; {@code --codec opus} for
 * Opus frames), polling, or {@code --stream} (the Ogg Opus stream media players get), prints the track and, with
 * {@code --lyrics}, each lyric line as its audio arrives; {@code --out} saves the audio as a float32 WAV (Opus is
 * decoded with Concentus, at 48 kHz). Ends with a report of what arrived, the bytes received per second of audio,
 * what was missed and what came twice; the exit code is 3 when chunks were missed after the first one received (a
 * late join is not a miss), so scripts can check a deployment end to end.
 */
@Command(name = "listen", mixinStandardHelpOptions = true,
        description = "Listens to a Music Share session by push (SSE, PCM or Opus), polling or stream.ogg; reports "
                + "gaps and bytes per second; can save a WAV.")
final class ListenCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", description = "Server base URL (or --url).")
    String positionalUrl;
    @Parameters(index = "1", arity = "0..1", description = "6-digit session id (or --session).")
    String positionalSession;
    @Mixin
    ServerOptions server;
    @Option(names = "--session", description = "6-digit session id.")
    String session;
    @Option(names = "--push", description = "Receive by Server-Sent Events (the default).")
    boolean push;
    @Option(names = "--poll", description = "Receive by polling, as the desktop receiver does.")
    boolean poll;
    @Option(names = "--stream", description = "Receive stream.ogg, the Ogg Opus stream media players get.")
    boolean stream;
    @Option(names = "--codec", defaultValue = "pcm", description = "Push audio as pcm (the sender's chunks) or opus "
            + "(decoded here; about 30 times fewer bytes). Default ${DEFAULT-VALUE}.")
    String codec;
    @Option(names = "--poll-ms", defaultValue = "400", description = "Polling interval (default ${DEFAULT-VALUE}).")
    int pollMillis;
    @Option(names = "--out", description = "Write the received audio to this WAV file (32-bit float).")
    Path out;
    @Option(names = "--lyrics", description = "Print synced lyric lines in time with the audio.")
    boolean lyrics;
    @Option(names = "--seconds", defaultValue = "0", description = "Give up after this long (0: until the session ends).")
    double seconds;

    @Override
    public Integer call() throws Exception {
        if ((push ? 1 : 0) + (poll ? 1 : 0) + (stream ? 1 : 0) > 1) {
            throw new IllegalArgumentException("choose one of --push, --poll and --stream");
        }
        if (!codec.equals("pcm") && !codec.equals("opus")) {
            throw new IllegalArgumentException("--codec must be pcm or opus, was " + codec);
        }
        if (!codec.equals("pcm") && (poll || stream)) {
            throw new IllegalArgumentException("--codec applies to push; polling is PCM and --stream is Opus");
        }
        if (positionalUrl != null) server.url = positionalUrl;
        if (positionalSession != null) session = positionalSession;
        if (session == null) throw new IllegalArgumentException("the session id is required (listen URL SESSION)");
        Listener.Mode mode = poll ? Listener.Mode.POLL : stream ? Listener.Mode.STREAM : Listener.Mode.PUSH;
        long deadline = seconds > 0 ? System.nanoTime() + (long) (seconds * 1e9) : Long.MAX_VALUE;
        dev.musicshare.client.ShareApi api = server.api(session);
        System.out.println("Media players (VLC, mpv, a browser) can open " + api.playlistUrl());
        Listener.Report report = new Listener(api, mode, codec, pollMillis, out, lyrics, System.out::println)
                .run(deadline);
        if (mode == Listener.Mode.STREAM) {
            System.out.printf("Ended: %s. Received %.1f s of Opus audio (%d bytes of packets)%n", report.endedBecause(),
                    report.seconds(), report.audioBytes());
        } else {
            System.out.printf("Ended: %s. Received %d chunks (%.1f s, %d bytes%s), %d metadata updates, missed %d, "
                    + "duplicates %d%n", report.endedBecause(), report.chunks(), report.seconds(),
                    report.audioBytes(), codec.equals("opus") ? " of Opus packets" : "", report.metadataUpdates(),
                    report.missed(), report.duplicates());
        }
        if (mode != Listener.Mode.POLL) {
            System.out.printf("Bytes received: %d, %d per second of audio%n", report.bytesReceived(),
                    report.bytesPerSecond());
        }
        for (long[] gap : report.gaps()) System.out.println("  missed sequence " + gap[0] + "–" + gap[1]);
        if (report.chunks() > 0) {
            System.out.printf("Arrival after the sender's timestamp, for chunks sent after joining (not the buffer "
                    + "sent on joining): median %d ms, max %d ms; %d later than %d ms (on two machines this also "
                    + "measures how far apart their clocks are)%n", report.medianDelayMillis(),
                    report.maxDelayMillis(), report.lateChunks(), Listener.LATE_MILLIS);
        }
        if (out != null) System.out.println("Audio written to " + out);
        return report.missed() > 0 ? 3 : 0;
    }
}
