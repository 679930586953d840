package dev.musicshare.stream;

import java.nio.ByteBuffer;

/**
 * Ogg pages written once for every listener of a stream, in the two forms listeners take them: the array (for a
 * listener whose bytes get ICY blocks inserted, and for tests) and one read-only direct buffer that every other
 * listener writes through its own {@link #view()}, so thousands of listeners share one copy of the bytes and the
 * socket write needs no copy into a temporary direct buffer either.
 *
 * <p>A batch also says which title its audio belongs to, for listeners that read ICY metadata: {@code startTitle}
 * up to byte {@code titleOffset}, {@code title} from there on. A title change thus travels with the pages of the audio
 * it belongs to, at the page where that audio's presentation starts, not when the sender posted it.
 */
final class PageBatch {
    /** Marks the end of a listener's queue: the stream ended, complete the response. */
    static final PageBatch END = new PageBatch(new byte[0], null, null, 0);

    private final byte[] bytes;
    private final ByteBuffer shared;
    private final String startTitle;
    private final String title;
    private final int titleOffset;

    private PageBatch(byte[] bytes, String startTitle, String title, int titleOffset) {
        this.bytes = bytes;
        this.shared = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
        this.startTitle = startTitle;
        this.title = title;
        this.titleOffset = titleOffset;
    }

    /** Pages whose audio all belongs to {@code title} (null: none known). */
    static PageBatch of(byte[] pages, String title) {
        return new PageBatch(pages, title, title, 0);
    }

    /** Pages whose audio belongs to {@code startTitle} up to byte {@code titleOffset}, then to {@code title}. */
    static PageBatch of(byte[] pages, String startTitle, String title, int titleOffset) {
        if (titleOffset < 0 || titleOffset > pages.length) {
            throw new IllegalArgumentException("titleOffset must be between 0 and " + pages.length + ", was "
                    + titleOffset);
        }
        return new PageBatch(pages, startTitle, title, titleOffset);
    }

    /** The pages; never modify the array. */
    byte[] bytes() {
        return bytes;
    }

    int length() {
        return bytes.length;
    }

    /** The title of the audio at the batch's start (null: none). */
    String startTitle() {
        return startTitle;
    }

    /** The title from {@link #titleOffset()} to the end (null: none). */
    String title() {
        return title;
    }

    /** Where {@link #title()} starts, in bytes from the batch's start (a page boundary). */
    int titleOffset() {
        return titleOffset;
    }

    /** A view of the shared buffer with its own position, for one listener's write (the write consumes it). */
    ByteBuffer view() {
        return shared.duplicate();
    }
}
