package dev.musicshare.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A Sentinel setup the tests own: a master, one replica and three sentinels ({@code redis-server --sentinel}), all
 * on free ports under {@code target/}. Failover is quick (a master is down after 2 s without answers). One setup
 * serves the whole test JVM ({@link #shared}); a test that kills the master restores the shape afterwards
 * ({@link #restore}), so the next test finds a master with a replica again.
 */
public final class RedisSentinel implements AutoCloseable {
    /** The master's name in the sentinels' configuration: {@code ?sentinelMasterId=} of the URL. */
    public static final String MASTER_NAME = "music-share";
    private static final Duration READY = Duration.ofSeconds(30);
    private static RedisSentinel shared;

    private final List<RedisServer> dataNodes = new ArrayList<>();
    private final List<RedisServer> sentinels = new ArrayList<>();

    private RedisSentinel() {}

    /** One setup for this test JVM, started on first use and killed when the JVM exits. */
    public static synchronized RedisSentinel shared() {
        if (shared == null) {
            shared = start();
            RedisSentinel started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "redis-sentinel-stop"));
        }
        return shared;
    }

    /** Starts a master, a replica and three sentinels, and waits until every sentinel knows the whole setup. */
    public static RedisSentinel start() {
        RedisSentinel setup = new RedisSentinel();
        try {
            RedisServer master = RedisServer.start();
            setup.dataNodes.add(master);
            RedisServer replica = RedisServer.start("--replicaof", "127.0.0.1", "" + master.port());
            setup.dataNodes.add(replica);
            String configuration = "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 2\n"
                    // 2 s, not 1: at load 20 on 2 cores the leader sentinel once found a master it had promoted
                    // 1.0 s before "down" (it was syncing the restored replica) and failed over again, back to the
                    // node just restarted: 20 s of 503 for a WAIT sender. Real deployments use 5-30 s.
                    + "sentinel down-after-milliseconds " + MASTER_NAME + " 2000\n"
                    + "sentinel failover-timeout " + MASTER_NAME + " 4000\n"
                    + "sentinel parallel-syncs " + MASTER_NAME + " 1\n"
                    + "sentinel known-replica " + MASTER_NAME + " 127.0.0.1 " + replica.port() + "\n";
            // Each sentinel starts knowing the others (their ids and ports), as a restarted sentinel does from the
            // file it rewrote: left to find each other, they wait for hello messages, sent every 2 s.
            int[] ports = new int[3];
            String[] ids = new String[3];
            for (int i = 0; i < 3; i++) {
                ports[i] = RedisServer.freePort();
                ids[i] = sentinelId();
            }
            for (int i = 0; i < 3; i++) {
                StringBuilder own = new StringBuilder(configuration).append("sentinel myid ").append(ids[i]).append('\n');
                for (int j = 0; j < 3; j++) {
                    if (j == i) continue;
                    own.append("sentinel known-sentinel ").append(MASTER_NAME).append(" 127.0.0.1 ").append(ports[j])
                            .append(' ').append(ids[j]).append('\n');
                }
                setup.sentinels.add(RedisServer.startSentinel(ports[i], own.toString()));
            }
            setup.awaitReady();
            return setup;
        } catch (IOException e) {
            setup.close();
            throw new IllegalStateException("cannot start a Sentinel setup", e);
        } catch (RuntimeException | Error e) {
            setup.close();
            throw e;
        }
    }

    /** A sentinel's run id: 40 hex digits, as Redis makes them. */
    private static String sentinelId() {
        byte[] random = new byte[20];
        new java.security.SecureRandom().nextBytes(random);
        return java.util.HexFormat.of().formatHex(random);
    }

    /** {@code redis-sentinel://127.0.0.1:p1,…/?sentinelMasterId=music-share}: what {@code REDIS_URL} is set to. */
    public String url() {
        StringBuilder url = new StringBuilder("redis-sentinel://");
        for (int i = 0; i < sentinels.size(); i++) {
            url.append(i == 0 ? "" : ",").append("127.0.0.1:").append(sentinels.get(i).port());
        }
        return url.append("/?sentinelMasterId=").append(MASTER_NAME).toString();
    }

    /** The data node the sentinels name as master now. */
    public RedisServer master() {
        int port = masterPort();
        return dataNodes.stream().filter(node -> node.port() == port).findFirst()
                .orElseThrow(() -> new IllegalStateException("the sentinels name an unknown master on " + port));
    }

    /** The data node that is not the master. */
    public RedisServer replica() {
        RedisServer master = master();
        return dataNodes.stream().filter(node -> node != master).findFirst().orElseThrow();
    }

    public List<RedisServer> sentinels() {
        return List.copyOf(sentinels);
    }

    /** Deletes every key (on the master; the replica follows). */
    public void flush() {
        Resp.call(master().port(), "FLUSHALL");
    }

    /**
     * Kills the master with SIGKILL, as a crash would (a SIGTERM'd master first waits for its replica), and returns
     * it without waiting for the failover: the caller watches what its clients see meanwhile.
     */
    public RedisServer killMaster() {
        RedisServer master = master();
        master.kill();
        return master;
    }

    /**
     * Freezes the master (SIGSTOP) and returns it at once: its clients' connections stay open, unanswered, while the
     * sentinels find it down and promote the replica. {@link #thaw} brings it back, to be demoted.
     */
    public RedisServer freezeMaster() {
        RedisServer master = master();
        master.freeze();
        return master;
    }

    /**
     * Lets a frozen former master run again (SIGCONT): it wakes up still believing it is the master. The sentinels
     * would demote it only 8 s later (and close its clients' connections then); here it is demoted at once, as an
     * operator would, with a plain {@code REPLICAOF} that leaves its clients connected — so a client still on it is
     * answered READONLY. Waits until it is a replica of the promoted master, in sync.
     */
    public void thaw(RedisServer frozen) {
        frozen.thaw();
        RedisServer master = master();
        Resp.call(frozen.port(), "REPLICAOF", "127.0.0.1", "" + master.port());
        // The sentinels' links to it survived the freeze, so they would read its new role only at their next INFO,
        // up to 10 s away; closing those links (only theirs: named sentinel-…) makes them reconnect and read it now.
        for (String client : ((String) Resp.call(frozen.port(), "CLIENT", "LIST")).split("\n")) {
            if (!client.contains(" name=sentinel-")) continue;
            String id = client.replaceAll("^id=(\\d+) .*$", "$1").trim();
            Resp.call(frozen.port(), "CLIENT", "KILL", "ID", id);
        }
        awaitReady();
    }

    /** Waits until the sentinels have promoted a node other than {@code killed} and it answers as master. */
    public RedisServer awaitFailover(RedisServer killed, Duration within) {
        await(within, "the sentinels to promote the replica of " + killed.port(), () -> {
            int port = masterPort();
            return port != killed.port() && "master".equals(Resp.info(port, "replication", "role"));
        });
        return master();
    }

    /**
     * Brings a killed node back as a replica of the current master and waits until it is in sync and every
     * sentinel counts it as a healthy replica again: the setup has its shape back for the next test.
     */
    public void restore(RedisServer killed) {
        RedisServer master = master();
        killed.restart("--replicaof", "127.0.0.1", "" + master.port());
        awaitReady();
    }

    @Override
    public void close() {
        sentinels.forEach(RedisServer::close);
        dataNodes.forEach(RedisServer::close);
    }

    private int masterPort() {
        for (RedisServer sentinel : sentinels) {
            if (!sentinel.isRunning()) continue;
            try {
                @SuppressWarnings("unchecked")
                List<Object> address = (List<Object>) Resp.call(sentinel.port(), "SENTINEL",
                        "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
                if (address != null) return Integer.parseInt((String) address.get(1));
            } catch (IllegalStateException unanswered) {
                // ask the next sentinel
            }
        }
        throw new IllegalStateException("no sentinel names a master");
    }

    /**
     * Every sentinel knows the two others, up, and one replica that is up and in sync with the master it names.
     */
    private void awaitReady() {
        await(READY, "the Sentinel setup to be ready (see target/redis-*/redis.log)", () -> {
            int masterPort = masterPort();
            for (RedisServer sentinel : sentinels) {
                List<Map<String, String>> replicas = entries(sentinel, "REPLICAS");
                if (replicas.size() != 1) return false;
                Map<String, String> replica = replicas.get(0);
                if (!"slave".equals(replica.get("flags")) || !"ok".equals(replica.get("master-link-status"))) {
                    return false;
                }
                List<Map<String, String>> peers = entries(sentinel, "SENTINELS");
                if (peers.size() != sentinels.size() - 1) return false;
                // Known from its configuration, a peer counts as down until it first answers (a second at most).
                for (Map<String, String> peer : peers) if (!"sentinel".equals(peer.get("flags"))) return false;
                if (masterPort(sentinel) != masterPort) return false;
            }
            return true;
        });
    }

    private static int masterPort(RedisServer sentinel) {
        @SuppressWarnings("unchecked")
        List<Object> address = (List<Object>) Resp.call(sentinel.port(), "SENTINEL", "GET-MASTER-ADDR-BY-NAME",
                MASTER_NAME);
        return Integer.parseInt((String) address.get(1));
    }

    /** {@code SENTINEL REPLICAS|SENTINELS name} as one map of fields per entry. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, String>> entries(RedisServer sentinel, String what) {
        List<Map<String, String>> entries = new ArrayList<>();
        for (Object entry : (List<Object>) Resp.call(sentinel.port(), "SENTINEL", what, MASTER_NAME)) {
            List<Object> fields = (List<Object>) entry;
            Map<String, String> map = new java.util.HashMap<>();
            for (int i = 0; i + 1 < fields.size(); i += 2) map.put((String) fields.get(i), (String) fields.get(i + 1));
            entries.add(map);
        }
        return entries;
    }

    static void await(Duration within, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        IllegalStateException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) return;
            } catch (IllegalStateException | ClassCastException | NullPointerException notYet) {
                last = notYet instanceof IllegalStateException e ? e : new IllegalStateException(notYet);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
        throw new IllegalStateException("timed out after " + within.toSeconds() + " s waiting for " + what, last);
    }
}
