package dev.musicshare.store;

import java.time.Duration;

/**
 * The limits and lifetimes a store enforces. They are the domain's rules, but a store must apply them inside its
 * atomic operations (a Lua script in Redis), so they are handed down as plain values. Their defaults (the seed's
 * values) live in the settings table, {@code dev.musicshare.config.Setting}.
 *
 * @param maxSessions        live (active) sessions allowed at once, across every node sharing the store
 * @param sessionTimeout     idle time after which an active session expires; refreshed by every sender request
 * @param metadataTtl        how long metadata lives after its last update
 * @param audioBufferChunks  newest chunks kept per session
 * @param audioBufferDuration most audio kept per session, summed over the chunks' own durations
 * @param reorderWindow      how long chunks after a missing sequence number are held back before the hole is skipped
 * @param audioTtl           how long the audio buffer lives after the last chunk
 * @param stopGrace          how long a stopped session stays readable
 * @param listenerWindow     a listener counts while it was seen within this window
 */
public record StoreSettings(
        int maxSessions,
        Duration sessionTimeout,
        Duration metadataTtl,
        int audioBufferChunks,
        Duration audioBufferDuration,
        Duration reorderWindow,
        Duration audioTtl,
        Duration stopGrace,
        Duration listenerWindow) {

    public StoreSettings {
        if (maxSessions < 1) throw new IllegalArgumentException("maxSessions must be at least 1, was " + maxSessions);
        if (audioBufferChunks < 1) {
            throw new IllegalArgumentException("audioBufferChunks must be at least 1, was " + audioBufferChunks);
        }
        requirePositive("sessionTimeout", sessionTimeout);
        requirePositive("audioBufferDuration", audioBufferDuration);
        if (reorderWindow == null || reorderWindow.isNegative()) {
            throw new IllegalArgumentException("reorderWindow must not be negative, was " + reorderWindow);
        }
        requirePositive("metadataTtl", metadataTtl);
        requirePositive("audioTtl", audioTtl);
        requirePositive("stopGrace", stopGrace);
        requirePositive("listenerWindow", listenerWindow);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
