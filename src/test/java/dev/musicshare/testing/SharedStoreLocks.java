package dev.musicshare.testing;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JVM's shared Redis setups as JUnit resource locks: a test class that uses one holds its lock for its whole run,
 * so when classes run concurrently no other class flushes that setup ({@link TestStores#environment} empties it
 * before every test), reuses its session ids, or kills its master meanwhile. Classes on different setups, or on
 * memory only, still run side by side.
 *
 * <p>Name a setup with {@code @ResourceLock(SharedStoreLocks.CLUSTER)}; or, on a class parameterised by store kind
 * ({@code @ParameterizedClass} with {@code @ValueSource}), with {@code @ResourceLock(providers =
 * SharedStoreLocks.class)}, which locks exactly the setups of the kinds it lists ("redis" or "single", "sentinel",
 * "cluster"). The annotation is inherited: {@code ApiTestBase} carries it for every API test class.
 */
public final class SharedStoreLocks implements ResourceLocksProvider {
    /** {@link SharedRedis}: the single redis-server. */
    public static final String SHARED_REDIS = "redis-shared";
    /** {@link RedisSentinel#shared()}: master, replica and three sentinels. */
    public static final String SENTINEL = "redis-sentinel";
    /** {@link RedisCluster#shared()}: three masters with a replica each. */
    public static final String CLUSTER = "redis-cluster";

    @Override
    public Set<Lock> provideForClass(Class<?> testClass) {
        Set<Lock> locks = new HashSet<>();
        ValueSource kinds = testClass.getAnnotation(ValueSource.class);
        if (kinds == null) return locks;
        for (String kind : kinds.strings()) {
            String setup = setupOf(kind);
            if (setup != null) locks.add(new Lock(setup));
        }
        return locks;
    }

    /** The shared setup a store kind runs on, or null for one that needs none ("memory"). */
    static String setupOf(String kind) {
        return switch (kind) {
            case "redis", "single" -> SHARED_REDIS;
            case "sentinel" -> SENTINEL;
            case "cluster" -> CLUSTER;
            default -> null;
        };
    }
}
