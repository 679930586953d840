package dev.musicshare.store;

import java.util.Map;

/**
 * The result of a listener's metadata read.
 *
 * @param sessionFound false when no session holds the id
 * @param fields       the stored metadata fields, empty when none is stored (never sent, or expired)
 */
public record MetadataRead(boolean sessionFound, Map<String, String> fields) {
    public static final MetadataRead NO_SESSION = new MetadataRead(false, Map.of());
}
