package dev.musicshare.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's CPU time and peak memory, read from /proc (Linux): what a server spent on a benchmark run.
 *
 * @param cpuSeconds user + system CPU time so far
 * @param peakRssMb  peak resident set size (VmHWM) so far
 */
record ProcessUsage(double cpuSeconds, double peakRssMb) {
    private static final double CLOCK_TICKS = 100.0; // USER_HZ on Linux

    static ProcessUsage of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS;
            double rssMb = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) rssMb = Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
            return new ProcessUsage(cpu, rssMb);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read /proc for pid " + pid + ": " + e.getMessage(), e);
        }
    }

    /** The sum over several processes (gunicorn's workers, say). */
    static ProcessUsage ofAll(long[] pids) {
        double cpu = 0;
        double rss = 0;
        for (long pid : pids) {
            ProcessUsage usage = of(pid);
            cpu += usage.cpuSeconds();
            rss += usage.peakRssMb();
        }
        return new ProcessUsage(cpu, rss);
    }
}
