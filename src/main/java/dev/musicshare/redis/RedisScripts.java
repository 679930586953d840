package dev.musicshare.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The store's Lua scripts (resources under {@code /redis}), run by digest. A restarted Redis has forgotten them;
 * {@link #run} then loads the script again and retries once, so the store recovers without a restart of ours.
 */
final class RedisScripts {
    enum Script {

        START, CREATE, METADATA, AUDIO, READ, CATCHUP, LISTENERS, STOP, TIMELINE, NAMES;

        final String source = read("/redis/" + name().toLowerCase() + ".lua");
    }

    private final Supplier<RedisAsyncCommands<byte[], byte[]>> connections;
    private final ConcurrentHashMap<Script, String> digests = new ConcurrentHashMap<>();

    /** @param connections the connection each run goes over (its retry too) */
    RedisScripts(Supplier<RedisAsyncCommands<byte[], byte[]>> connections) {
        this.connections = connections;
    }

    <T> CompletableFuture<T> run(Script script, ScriptOutputType type, byte[][] keys, byte[]... args) {
        RedisAsyncCommands<byte[], byte[]> redis = connections.get();
        String digest = digests.computeIfAbsent(script, s -> redis.digest(s.source));
        CompletableFuture<T> first = redis.<T>evalsha(digest, type, keys, args).toCompletableFuture();
        return first.handle((result, error) -> {
            if (error == null) return CompletableFuture.completedFuture(result);
            if (!isNoScript(error)) return CompletableFuture.<T>failedFuture(error);
            return redis.scriptLoad(script.source).toCompletableFuture()
                    .thenCompose(loaded -> redis.<T>evalsha(loaded, type, keys, args).toCompletableFuture());
        }).thenCompose(future -> future);
    }

    private static boolean isNoScript(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().startsWith("NOSCRIPT")) return true;
        }
        return false;
    }

    private static String read(String resource) {
        try (InputStream in = RedisScripts.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing script " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
