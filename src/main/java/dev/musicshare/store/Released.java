package dev.musicshare.store;

import java.util.List;

/**
 * Chunks a release made available to listeners, in order.
 *
 * @param chunks    the newly released chunks
 * @param holdUntil when the next hole will be skipped (epoch millis), or 0 when nothing is held
 */
public record Released(List<StoredChunk> chunks, long holdUntil) {
    public static final Released NOTHING = new Released(List.of(), 0);
}
