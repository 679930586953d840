package dev.musicshare.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Runs one scenario against one server and formats results, side by side when there are two. */
public final class LoadTest {
    public enum Scenario { ingest, poll, push, connect }

    /**
     * What a scenario is asked to do. {@code metadataMillis} > 0 makes poll senders also post metadata (with a cover
     * of {@code thumbnailBytes}) at that interval and pollers also read it every {@code metadataPollMillis}, as the
     * desktop app and its receiver do. {@code backlog} is the connect scenario's buffer: chunks each connect reads.
     */
    public record Options(Scenario scenario, int seconds, int connections, int sessions, int listeners, int pollMillis,
            int chunkMillis, int sampleRate, int channels, int metadataMillis, int metadataPollMillis,
            int thumbnailBytes, int backlog) {}

    private LoadTest() {}

    public static Map<String, Double> run(String url, String token, long[] pids, Options options) throws Exception {
        ChunkFactory chunks = new ChunkFactory(options.chunkMillis(), options.sampleRate(), options.channels());
        int threads = switch (options.scenario()) {
            case ingest -> options.connections() + 4;
            case poll -> 64;
            case push -> 16;
            case connect -> options.listeners() + 4;
        };
        BenchTarget target = new BenchTarget(url, token, threads);
        ProcessUsage before = pids == null ? null : ProcessUsage.ofAll(pids);
        long began = System.nanoTime();
        BenchResult result = switch (options.scenario()) {
            case ingest -> IngestBench.run(target, options.connections(), options.seconds(), chunks);
            case poll -> PollBench.run(target, options, chunks);
            case push -> PushBench.run(target, options.listeners(), options.chunkMillis(), options.seconds(), chunks);
            case connect -> ConnectBench.run(target, options.listeners(), options.backlog(), options.seconds(), chunks);
        };
        if (pids != null) result.addUsage(before, ProcessUsage.ofAll(pids), (System.nanoTime() - began) / 1e9);
        result.put("chunk_json_bytes", chunks.size());
        return result.figures();
    }

    /** A table of figures; with two runs, their ratio (first / second) too. */
    public static String table(String scenario, String url, String compareUrl, List<Map<String, Double>> runs) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-24s %18s", scenario, shorten(url)));
        if (runs.size() > 1) out.append(String.format(Locale.ROOT, " %18s %10s", shorten(compareUrl), "ratio"));
        out.append('\n');
        List<String> names = new ArrayList<>(runs.get(0).keySet());
        for (String name : names) {
            double first = runs.get(0).getOrDefault(name, Double.NaN);
            out.append(String.format(Locale.ROOT, "%-24s %18.2f", name, first));
            if (runs.size() > 1) {
                double second = runs.get(1).getOrDefault(name, Double.NaN);
                out.append(String.format(Locale.ROOT, " %18.2f %10s", second,
                        second == 0 || Double.isNaN(second) ? "-" : String.format(Locale.ROOT, "%.2f", first / second)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String shorten(String url) {
        return url.length() > 18 ? url.substring(url.length() - 18) : url;
    }
}
