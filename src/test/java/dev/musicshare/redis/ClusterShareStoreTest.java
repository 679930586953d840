package dev.musicshare.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.musicshare.store.ShareStore;
import dev.musicshare.store.ShareStoreContract;
import dev.musicshare.store.StartOutcome;
import dev.musicshare.store.StoreSettings;
import dev.musicshare.store.WriteOutcome;
import dev.musicshare.testing.RedisCluster;
import dev.musicshare.testing.RedisServer;
import dev.musicshare.testing.Resp;
import org.junit.jupiter.api.Test;

/** The store contract on a 3-master Redis Cluster: each session's keys on the master of its slot, the registry on one. */
class ClusterShareStoreTest extends ShareStoreContract {
    @Override
    protected ShareStore createStore(StoreSettings settings) {
        return RedisTestStores.onCluster(settings);
    }

    @Test
    void a_master_that_forgot_the_scripts_runs_them_again_where_the_keys_are() {
        // A promoted replica or a restarted master knows none of our scripts: NOSCRIPT is answered by EVAL on it.
        store.start("765432", null, now);
        for (RedisServer master : RedisCluster.shared().masters()) Resp.call(master.port(), "SCRIPT", "FLUSH");
        assertThat(store.appendChunk("765432", chunk(0), 8, null, now).outcome()).isEqualTo(WriteOutcome.WRITTEN);
        assertThat(store.readChunks("765432", -1, "l", now).orElseThrow()).hasSize(1);
        assertThat(store.start("765431", null, now)).isEqualTo(StartOutcome.STARTED);
    }
}
