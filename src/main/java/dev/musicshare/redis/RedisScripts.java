package dev.musicshare.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The store's Lua scripts (resources under {@code /redis}), run by digest. A Redis that does not know a script (one
 * restarted, or on a cluster a master that never ran it: a promoted replica, a node added) answers NOSCRIPT;
 * {@link #run} then sends the script itself once with EVAL, which runs it on the very node that refused it (the
 * one owning the keys' slot) and leaves it in that node's script cache, so later runs by digest succeed there. A
 * SCRIPT LOAD would go to whichever node the client picks, not necessarily that one. The store recovers without a
 * restart of ours either way.
 *
 * <p>A line {@code --#include NAME} is replaced by {@code /redis/lib/NAME.lua} when the script is read: EVAL
 * scripts cannot call one another, and a rule several scripts apply (recording listeners, listing chunks, the
 * metadata a reader gets) is written once. Each script Redis runs is still whole and self-contained, so it can run
 * on any node of a cluster without a Redis Function library being loaded everywhere first.
 */
final class RedisScripts {
    enum Script {
        START, CREATE, METADATA, AUDIO, READ_METADATA, READ_AUDIO, CATCHUP, LISTENERS, STOP, TIMELINE, NAMES,
        LEASE_ACQUIRE, LEASE_RENEW, LEASE_RELEASE, RECORDING_PROGRESS;

        final String source = withIncludes(read("/redis/" + name().toLowerCase(Locale.ROOT).replace('_', '-') + ".lua"));
    }

    private static final Pattern INCLUDE = Pattern.compile("(?m)^--#include ([a-z-]+)$");

    private final Supplier<RedisClusterAsyncCommands<byte[], byte[]>> connections;
    private final ConcurrentHashMap<Script, String> digests = new ConcurrentHashMap<>();

    /** @param connections the connection each run goes over (its retry too) */
    RedisScripts(Supplier<RedisClusterAsyncCommands<byte[], byte[]>> connections) {
        this.connections = connections;
    }

    <T> CompletableFuture<T> run(Script script, ScriptOutputType type, byte[][] keys, byte[]... args) {
        return run(connections.get(), script, type, keys, args);
    }

    /** Runs {@code script} over {@code redis}, a connection the caller chose (its retry goes there too). */
    <T> CompletableFuture<T> run(RedisClusterAsyncCommands<byte[], byte[]> redis, Script script, ScriptOutputType type,
            byte[][] keys, byte[]... args) {
        String digest = digests.computeIfAbsent(script, s -> redis.digest(s.source));
        CompletableFuture<T> first = redis.<T>evalsha(digest, type, keys, args).toCompletableFuture();
        return first.handle((result, error) -> {
            if (error == null) return CompletableFuture.completedFuture(result);
            if (!isNoScript(error)) return CompletableFuture.<T>failedFuture(error);
            return redis.<T>eval(script.source, type, keys, args).toCompletableFuture();
        }).thenCompose(future -> future);
    }

    private static boolean isNoScript(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().startsWith("NOSCRIPT")) return true;
        }
        return false;
    }

    /** The script with each include replaced by the library file it names (libraries include nothing). */
    static String withIncludes(String source) {
        Matcher include = INCLUDE.matcher(source);
        StringBuilder out = new StringBuilder();
        while (include.find()) {
            include.appendReplacement(out, Matcher.quoteReplacement(read("/redis/lib/" + include.group(1) + ".lua")));
        }
        return include.appendTail(out).toString();
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
