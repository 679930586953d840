package dev.musicshare.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * SHOUTcast/Icecast in-band metadata for one listener that asked for it ({@code Icy-MetaData: 1}): after every
 * {@link #INTERVAL} bytes of audio comes one metadata block, a length byte (in 16-byte units) and the text padded
 * with zeros, {@code StreamTitle='Artist - Title';}. A block with the new title is sent once after each change;
 * the blocks in between are a single zero byte, as Icecast does.
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
    private volatile String currentTitle;

    IcyMetadata(String title) {
        this.currentTitle = title;
    }

    /** The title to announce in the next block (called by the session, on any thread). */
    void title(String title) {
        this.currentTitle = title;
    }

    /** Writes {@code bytes} with metadata blocks inserted at every interval boundary. */
    void write(OutputStream out, byte[] bytes) throws IOException {
        int offset = 0;
        while (offset < bytes.length) {
            int run = Math.min(untilNextBlock, bytes.length - offset);
            out.write(bytes, offset, run);
            offset += run;
            untilNextBlock -= run;
            if (untilNextBlock == 0) {
                out.write(nextBlock());
                untilNextBlock = INTERVAL;
            }
        }
    }

    byte[] nextBlock() {
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
