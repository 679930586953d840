package dev.musicshare.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster the tests own: three masters with one replica each ({@code redis-cli --cluster create …
 * --cluster-replicas 1}), six {@code redis-server --cluster-enabled yes} processes on free ports (and free bus
 * ports) under {@code target/}. A node is failed after 1 s without answers, so a killed master's replica takes
 * over within a few seconds. One cluster serves the whole test JVM ({@link #shared}); a test that kills a master
 * brings it back as a replica afterwards ({@link #restore}).
 */
public final class RedisCluster implements AutoCloseable {
    private static final String INSTALL_CLI = "apt-get install -y redis-tools";
    private static final Duration READY = Duration.ofSeconds(60);
    private static RedisCluster shared;

    private final List<RedisServer> nodes = new ArrayList<>();

    private RedisCluster() {}

    /** One cluster for this test JVM, started on first use and killed when the JVM exits. */
    public static synchronized RedisCluster shared() {
        if (shared == null) {
            shared = start();
            RedisCluster started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "redis-cluster-stop"));
        }
        return shared;
    }

    /** Starts six nodes, joins them into three masters with a replica each, and waits until the cluster is whole. */
    public static RedisCluster start() {
        String cli = RedisServer.executable("redis-cli");
        RedisServer.requireBinary("redis-cli", cli, INSTALL_CLI);
        RedisCluster cluster = new RedisCluster();
        try {
            for (int i = 0; i < 6; i++) {
                cluster.nodes.add(RedisServer.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "1000", "--cluster-port", "" + RedisServer.freePort()));
            }
            List<String> create = new ArrayList<>(List.of(cli, "--cluster", "create"));
            for (RedisServer node : cluster.nodes) create.add("127.0.0.1:" + node.port());
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            run(create, cluster.nodes.get(0).dir().resolve("cluster-create.log"));
            cluster.awaitWhole();
            return cluster;
        } catch (IOException e) {
            cluster.close();
            throw new IllegalStateException("cannot start a Redis Cluster", e);
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}: three seed nodes, as an operator lists them. */
    public String url() {
        StringBuilder url = new StringBuilder("redis-cluster://");
        for (int i = 0; i < 3; i++) url.append(i == 0 ? "" : ",").append("127.0.0.1:").append(nodes.get(i).port());
        return url.toString();
    }

    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** The nodes that are masters now (and running). */
    public List<RedisServer> masters() {
        List<RedisServer> masters = new ArrayList<>();
        for (RedisServer node : nodes) {
            if (node.isRunning() && "master".equals(Resp.info(node.port(), "replication", "role"))) masters.add(node);
        }
        return masters;
    }

    /** The master that owns {@code key}'s slot now (its hash tag decides, as for every key). */
    public RedisServer masterOf(String key) {
        return masterOfSlot(slotOf(key));
    }

    /** The master that owns {@code slot} now. */
    public RedisServer masterOfSlot(long slot) {
        return masterOfSlot(slot, anyRunning());
    }

    /** The master that owns {@code slot} as {@code asked} sees it. */
    private RedisServer masterOfSlot(long slot, RedisServer asked) {
        for (String line : clusterNodes(asked)) {
            String[] fields = line.split(" ");
            if (!fields[2].contains("master") || fields[2].contains("fail")) continue;
            for (int i = 8; i < fields.length; i++) {
                String range = fields[i];
                if (range.startsWith("[")) continue; // a slot being migrated
                String[] bounds = range.split("-");
                long from = Long.parseLong(bounds[0]);
                long to = bounds.length == 1 ? from : Long.parseLong(bounds[1]);
                if (slot >= from && slot <= to) return byAddress(fields[1]);
            }
        }
        throw new IllegalStateException("no master owns slot " + slot);
    }

    /** The slot a key (or channel) hashes to: its hash tag's, when it has one. */
    public long slotOf(String key) {
        return (Long) Resp.call(anyRunning().port(), "CLUSTER", "KEYSLOT", key);
    }

    /**
     * Moves one slot, with its keys, from the master that owns it to {@code to}, as {@code redis-cli --cluster
     * reshard} does: IMPORTING on the target, MIGRATING on the source, MIGRATE of every key in the slot, then every
     * master is told the new owner (the source last but one, so it answers ASK, then MOVED). The source ends the
     * sharded subscriptions of the slot (an unsolicited SUNSUBSCRIBE to their clients).
     */
    public void moveSlot(long slot, RedisServer to) {
        RedisServer from = masterOfSlot(slot);
        if (from == to) return;
        String fromId = Resp.text(from.port(), "CLUSTER", "MYID");
        String toId = Resp.text(to.port(), "CLUSTER", "MYID");
        Resp.call(to.port(), "CLUSTER", "SETSLOT", "" + slot, "IMPORTING", fromId);
        Resp.call(from.port(), "CLUSTER", "SETSLOT", "" + slot, "MIGRATING", toId);
        while (true) {
            @SuppressWarnings("unchecked")
            List<Object> keys = (List<Object>) Resp.call(from.port(), "CLUSTER", "GETKEYSINSLOT", "" + slot, "100");
            if (keys.isEmpty()) break;
            List<String> migrate = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", "" + to.port(), "", "0", "5000",
                    "KEYS"));
            keys.forEach(key -> migrate.add((String) key));
            Resp.call(from.port(), migrate.toArray(String[]::new));
        }
        Resp.call(to.port(), "CLUSTER", "SETSLOT", "" + slot, "NODE", toId);
        Resp.call(from.port(), "CLUSTER", "SETSLOT", "" + slot, "NODE", toId);
        for (RedisServer master : masters()) {
            if (master != to && master != from) Resp.call(master.port(), "CLUSTER", "SETSLOT", "" + slot, "NODE", toId);
        }
        RedisSentinel.await(READY, "every node to see slot " + slot + " on " + to.port(), () -> {
            for (RedisServer node : nodes) {
                if (node.isRunning() && masterOfSlot(slot, node) != to) return false;
            }
            return true;
        });
    }

    /** Deletes every key on every master (replicas follow). */
    public void flush() {
        for (RedisServer master : masters()) Resp.call(master.port(), "FLUSHALL");
    }

    /** Kills {@code master} with SIGKILL, as a crash would; returns without waiting for its replica to take over. */
    public void kill(RedisServer master) {
        master.kill();
    }

    /** Waits until another node serves the killed master's slots and the cluster answers again (state ok). */
    public void awaitFailover(RedisServer killed, Duration within) {
        RedisSentinel.await(within, "a replica to take over from " + killed.port(), () -> {
            for (RedisServer node : nodes) {
                if (node == killed || !node.isRunning()) continue;
                if (!"ok".equals(clusterInfo(node, "cluster_state"))) return false;
            }
            return masters().size() == 3;
        });
    }

    /**
     * Starts a killed node again (its nodes.conf makes it rejoin; the cluster makes it a replica of the node that
     * took over) and waits until the cluster is whole: three masters, each with a replica in sync.
     */
    public void restore(RedisServer killed) {
        killed.restart();
        awaitWhole();
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }

    private void awaitWhole() {
        RedisSentinel.await(READY, "the Redis Cluster to be whole (see target/redis-*/redis.log)", () -> {
            int masters = 0;
            int replicasInSync = 0;
            for (RedisServer node : nodes) {
                if (!"ok".equals(clusterInfo(node, "cluster_state"))) return false;
                String role = Resp.info(node.port(), "replication", "role");
                if ("master".equals(role)) masters++;
                else if ("up".equals(Resp.info(node.port(), "replication", "master_link_status"))) replicasInSync++;
                // Every node must see every other as healthy, or a later failover vote can stall.
                for (String line : clusterNodes(node)) if (line.split(" ")[2].contains("fail")) return false;
            }
            return masters == 3 && replicasInSync == 3;
        });
    }

    private RedisServer anyRunning() {
        return nodes.stream().filter(RedisServer::isRunning).findFirst().orElseThrow();
    }

    private RedisServer byAddress(String address) {
        int port = Integer.parseInt(address.substring(address.indexOf(':') + 1, address.indexOf('@')));
        return nodes.stream().filter(node -> node.port() == port).findFirst().orElseThrow();
    }

    private static List<String> clusterNodes(RedisServer node) {
        return List.of(Resp.text(node.port(), "CLUSTER", "NODES").split("\n"));
    }

    private static String clusterInfo(RedisServer node, String field) {
        for (String line : Resp.text(node.port(), "CLUSTER", "INFO").split("\r\n")) {
            if (line.startsWith(field + ":")) return line.substring(field.length() + 1);
        }
        return null;
    }

    private static void run(List<String> command, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("redis-cli --cluster create did not finish; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating the cluster", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("redis-cli --cluster create failed (" + process.exitValue() + "); see " + log);
        }
    }
}
