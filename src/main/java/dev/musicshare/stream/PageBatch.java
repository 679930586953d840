package dev.musicshare.stream;

import java.nio.ByteBuffer;

/**
 * Ogg pages written once for every listener of a stream, in the two forms listeners take them: the array (for a
 * listener whose bytes get ICY blocks inserted, and for tests) and one read-only direct buffer that every other
 * listener writes through its own {@link #view()}, so thousands of listeners share one copy of the bytes and the
 * socket write needs no copy into a temporary direct buffer either.
 */
final class PageBatch {
    /** Marks the end of a listener's queue: the stream ended, complete the response. */
    static final PageBatch END = new PageBatch(new byte[0]);

    private final byte[] bytes;
    private final ByteBuffer shared;

    private PageBatch(byte[] bytes) {
        this.bytes = bytes;
        this.shared = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    }

    static PageBatch of(byte[] pages) {
        return new PageBatch(pages);
    }

    /** The pages; never modify the array. */
    byte[] bytes() {
        return bytes;
    }

    int length() {
        return bytes.length;
    }

    /** A view of the shared buffer with its own position, for one listener's write (the write consumes it). */
    ByteBuffer view() {
        return shared.duplicate();
    }
}
