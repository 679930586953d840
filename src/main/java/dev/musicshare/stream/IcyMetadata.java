package dev.musicshare.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * SHOUTcast/Icecast in-band metadata for one listener that asked for it ({@code Icy-MetaData: 1}): after every
 * {@link #INTERVAL} bytes of audio comes one metadata block, a length byte (in 16-byte units) and the text padded
 * with zeros, {@code StreamTitle='Artist - Title';}. A block with the new title is sent once after each change;
 * the blocks in between are a single zero byte, as Icecast does. The title comes with the pages
 * ({@link PageBatch#title()}): a block announces a new title once the audio of that title has begun, never before
 * (at most one interval, about a second at 128 kbps, after its first page).
 *
 * <p>Not thread-safe: one listener's writer uses it.
 */
final class IcyMetadata {
    /** Bytes of audio between blocks; the value Icecast uses by default. */
    static final int INTERVAL = 16_000;
    /** A block's length byte counts 16-byte units: at most 255 × 16 bytes of text. */
    private static final int MAX_TEXT = 255 * 16;

    private int untilNextBlock = INTERVAL;
    private String sentTitle;
    private String currentTitle;
    private boolean started;

    /** Writes a batch's pages with metadata blocks inserted at every interval boundary. */
    void write(OutputStream out, PageBatch pages) throws IOException {
        if (!started) { // the listener's first pages: the title they start in is the one to announce
            started = true;
            currentTitle = pages.startTitle();
        }
        write(out, pages.bytes(), 0, pages.titleOffset());
        currentTitle = pages.title();
        write(out, pages.bytes(), pages.titleOffset(), pages.length());
    }

    /** Writes {@code bytes[from, to)} with metadata blocks inserted at every interval boundary. */
    private void write(OutputStream out, byte[] bytes, int from, int to) throws IOException {
        int offset = from;
        while (offset < to) {
            int run = Math.min(untilNextBlock, to - offset);
            out.write(bytes, offset, run);
            offset += run;
            untilNextBlock -= run;
            if (untilNextBlock == 0) {
                out.write(nextBlock());
                untilNextBlock = INTERVAL;
            }
        }
    }

    private byte[] nextBlock() {
        String title = currentTitle;
        if (title == null || title.equals(sentTitle)) return new byte[1];
        sentTitle = title;
        return block(title);
    }

    /** A metadata block announcing {@code title}; quotes inside the title are kept (players read to "';"). */
    static byte[] block(String title) {
        byte[] text = ("StreamTitle='" + title + "';").getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, MAX_TEXT);
        int units = (length + 15) / 16;
        byte[] block = new byte[1 + units * 16];
        block[0] = (byte) units;
        System.arraycopy(text, 0, block, 1, length);
        return block;
    }
}
