package dev.musicshare.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.musicshare.bench.LoadTest;
import dev.musicshare.bench.LoadTest.Scenario;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code music-share bench}: drives any server speaking the Music Share API (this one or the seed's) with a
 * scenario and reports throughput, latency, loss and, given the server's PID, its CPU and peak memory. With
 * {@code --compare-url} the same scenario runs against a second server right after, and the ratios are printed.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Load-tests a Music Share server: ingest (flat out), poll (real-time senders and pollers), push (SSE listeners) or connect (SSE listeners joining over and over).")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, description = "Base URL of the server, e.g. http://127.0.0.1:5000")
    String url;
    @Option(names = "--token", defaultValue = "${env:BEARER_TOKEN}", description = "Bearer token (env BEARER_TOKEN); required.")
    String token;
    @Option(names = "--pid", split = ",", description = "PID(s) of the server, for its CPU seconds and peak RSS.")
    long[] pids;
    @Option(names = "--compare-url", description = "A second server to run the same scenario against.")
    String compareUrl;
    @Option(names = "--compare-pid", split = ",", description = "PID(s) of the second server.")
    long[] comparePids;
    @Option(names = "--scenario", required = true, description = "ingest, poll, push or connect.")
    Scenario scenario;
    @Option(names = "--seconds", defaultValue = "10", description = "How long the load runs (default ${DEFAULT-VALUE}).")
    int seconds;
    @Option(names = "--connections", defaultValue = "8", description = "ingest: concurrent senders, one session each.")
    int connections;
    @Option(names = "--sessions", defaultValue = "1", description = "poll: sessions, each with a real-time sender.")
    int sessions;
    @Option(names = "--listeners", defaultValue = "10",
            description = "poll: pollers per session; push: SSE listeners; connect: listeners connecting in a loop.")
    int listeners;
    @Option(names = "--poll-ms", defaultValue = "250", description = "poll: interval between a poller's polls.")
    int pollMillis;
    @Option(names = "--chunk-ms", defaultValue = "100", description = "Audio per chunk (and real-time pace).")
    int chunkMillis;
    @Option(names = "--sample-rate", defaultValue = "44100", description = "Audio sample rate in Hz (default ${DEFAULT-VALUE}).")
    int sampleRate;
    @Option(names = "--channels", defaultValue = "2", description = "Audio channels (default ${DEFAULT-VALUE}).")
    int channels;
    @Option(names = "--metadata-ms", defaultValue = "0",
            description = "poll: senders also post metadata this often (the desktop app: 250); 0 for none.")
    int metadataMillis;
    @Option(names = "--metadata-poll-ms", defaultValue = "500",
            description = "poll, with --metadata-ms: pollers also read metadata this often (default ${DEFAULT-VALUE}).")
    int metadataPollMillis;
    @Option(names = "--thumbnail-kb", defaultValue = "30", description = "Cover art size in metadata posts (KB).")
    int thumbnailKb;
    @Option(names = "--backlog", defaultValue = "5",
            description = "connect: buffered chunks each connect reads before it counts (default ${DEFAULT-VALUE}).")
    int backlog;
    @Option(names = "--json", description = "Also write the results to this file as JSON.")
    File json;

    @Override
    public Integer call() throws Exception {
        if (token == null || token.isBlank()) throw new IllegalArgumentException("--token or BEARER_TOKEN is required");
        TokenCheck.require(url, token);
        if (compareUrl != null) TokenCheck.require(compareUrl, token);
        LoadTest.Options options = new LoadTest.Options(scenario, seconds, connections, sessions, listeners, pollMillis,
                chunkMillis, sampleRate, channels, metadataMillis, metadataPollMillis, thumbnailKb * 1024, backlog);
        List<Map<String, Double>> results = new ArrayList<>();
        results.add(LoadTest.run(url, token, pids, options));
        if (compareUrl != null) results.add(LoadTest.run(compareUrl, token, comparePids, options));
        System.out.println(LoadTest.table(scenario.name(), url, compareUrl, results));
        if (json != null) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode out = mapper.createObjectNode().put("scenario", scenario.name());
            ArrayNode runs = out.putArray("runs");
            runs.add(mapper.valueToTree(Map.of("url", url, "figures", results.get(0))));
            if (compareUrl != null) runs.add(mapper.valueToTree(Map.of("url", compareUrl, "figures", results.get(1))));
            mapper.writerWithDefaultPrettyPrinter().writeValue(json, out);
        }
        return 0;
    }
}
