package dev.musicshare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.musicshare.client.ConnectionFailure;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code music-share recordings list|get}: the server's finished recordings ({@code GET /api/recordings}), and one
 * of them saved to a file.
 *
 * <pre>
 * music-share recordings list --url http://localhost:5000 --token $TOKEN [--session 123456] [--json]
 * music-share recordings get 123456-20261129100000-01 --token $TOKEN [--out song.opus] [--lyrics]
 * </pre>
 */
@Command(name = "recordings", mixinStandardHelpOptions = true,
        description = "List the server's recordings, or save one (Ogg Opus, and its LRC lyrics).",
        subcommands = {RecordingsCommand.List.class, RecordingsCommand.Get.class})
final class RecordingsCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List finished recordings, newest first.")
    static final class List implements java.util.concurrent.Callable<Integer> {
        @Mixin
        ServerOptions server;
        @Option(names = "--session", description = "Only this 6-digit session's recordings.")
        String session;
        @Option(names = "--json", description = "Print the server's JSON as it is.")
        boolean json;

        @Override
        public Integer call() throws IOException, InterruptedException {
            String query = session == null ? "" : "?sessionId=" + URLEncoder.encode(session, StandardCharsets.UTF_8);
            byte[] reply = send(server, "/api/recordings" + query);
            if (json) {
                System.out.println(new String(reply, StandardCharsets.UTF_8));
                return 0;
            }
            print(JSON.readTree(reply), System.out);
            return 0;
        }

        static void print(JsonNode body, PrintStream out) {
            if (body.get("total").asInt() == 0) {
                out.println("no recordings");
                return;
            }
            out.printf("%-28s %-20s %8s %9s  %s%n", "ID", "STARTED (UTC)", "LENGTH", "SIZE", "ARTIST - TITLE");
            for (JsonNode recording : body.get("recordings")) {
                double seconds = recording.get("durationSeconds").asDouble();
                String started = recording.get("startedAt").asText().replace('T', ' ').replaceAll("\\.\\d+Z$|Z$", "");
                String name = text(recording, "artist") + " - " + text(recording, "title");
                double missed = recording.path("missedSecondsBefore").asDouble();
                if (missed > 0) name += String.format(Locale.ROOT, "  (part %d, %.1f s missed before it)",
                        recording.get("part").asInt(), missed);
                out.printf(Locale.ROOT, "%-28s %-20s %5d:%02d %8.1fk  %s%n", recording.get("id").asText(), started,
                        (long) seconds / 60, (long) seconds % 60, recording.get("bytes").asLong() / 1024.0, name);
            }
        }

        private static String text(JsonNode node, String field) {
            return node.hasNonNull(field) ? node.get(field).asText() : "?";
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Save a recording to a file.")
    static final class Get implements java.util.concurrent.Callable<Integer> {
        @Mixin
        ServerOptions server;
        @Parameters(paramLabel = "ID", description = "The recording's id, as list prints it.")
        String id;
        @Option(names = "--out", description = "File to write (default: <ID>.opus in the current folder).")
        Path out;
        @Option(names = "--lyrics", description = "Also save its synced lyrics beside it (<file>.lrc), if it has any.")
        boolean lyrics;

        @Override
        public Integer call() throws IOException, InterruptedException {
            if (!id.matches("[0-9]{6}-[0-9]{14}-[0-9]{2,4}(-[0-9]{1,3})?")) {
                throw new IllegalArgumentException("a recording id looks like 123456-20261129100000-01, was \"" + id
                        + "\"");
            }
            Path target = out != null ? out : Path.of(id + ".opus");
            Path part = target.resolveSibling(target.getFileName() + ".part");
            byte[] audio = send(server, "/api/recordings/" + id); // a few MB per track at most
            try {
                Files.write(part, audio);
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (java.nio.file.FileSystemException e) {
                Files.deleteIfExists(part);
                throw new IOException("cannot save " + target + ": " + whyNot(target, e), e);
            }
            System.out.println("saved " + target + " (" + Files.size(target) + " bytes)");
            if (lyrics) {
                Path lrc = target.resolveSibling(target.getFileName().toString().replaceAll("\\.opus$", "") + ".lrc");
                try {
                    Files.write(lrc, send(server, "/api/recordings/" + id + "/lyrics"));
                    System.out.println("saved " + lrc);
                } catch (IllegalArgumentException e) { // 404: the track had no synced lyrics
                    System.out.println("no lyrics saved: " + e.getMessage());
                }
            }
            return 0;
        }
    }

    /** Why a file could not be written, in words (the exception's own message is only the path). */
    private static String whyNot(Path target, java.nio.file.FileSystemException e) {
        Path folder = target.toAbsolutePath().getParent();
        if (e instanceof java.nio.file.NoSuchFileException && folder != null && !Files.isDirectory(folder)) {
            return "the folder " + (target.getParent() != null ? target.getParent() : folder) + " does not exist";
        }
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        return e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
    }

    /** A GET with the token; an answer other than 2xx is one line naming the status and the server's words. */
    private static byte[] send(ServerOptions server, String path) throws IOException, InterruptedException {
        if (server.token == null || server.token.isBlank()) {
            throw new IllegalArgumentException("--token or BEARER_TOKEN is required");
        }
        String url = server.url.replaceAll("/+$", "") + path;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + server.token).GET().build();
        HttpResponse<byte[]> reply;
        try {
            reply = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IOException("cannot reach " + server.url + ": " + ConnectionFailure.describe(e), e);
        }
        if (reply.statusCode() / 100 != 2) {
            String error;
            try {
                error = JSON.readTree(reply.body()).path("error").asText("");
            } catch (IOException e) {
                error = "";
            }
            throw new IllegalArgumentException(url + " answered " + reply.statusCode()
                    + (error.isEmpty() ? "" : ": " + error));
        }
        return reply.body();
    }
}
