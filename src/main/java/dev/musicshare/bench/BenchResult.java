package dev.musicshare.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** One scenario's figures against one server, in the order they are reported. */
final class BenchResult {
    private final String scenario;
    private final String target;
    private final Map<String, Double> figures = new LinkedHashMap<>();

    BenchResult(String scenario, String target) {
        this.scenario = scenario;
        this.target = target;
    }

    BenchResult put(String name, double value) {
        figures.put(name, value);
        return this;
    }

    String scenario() {
        return scenario;
    }

    String target() {
        return target;
    }

    Map<String, Double> figures() {
        return figures;
    }

    void addUsage(ProcessUsage before, ProcessUsage after, double seconds) {
        put("server_cpu_seconds", after.cpuSeconds() - before.cpuSeconds());
        put("server_cpu_cores", (after.cpuSeconds() - before.cpuSeconds()) / seconds);
        put("server_peak_rss_mb", after.peakRssMb());
    }
}
