package dev.musicshare.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the bytes read from the network across a listener's connections (what its report calls bytes received). */
final class ByteCounter {
    private final AtomicLong bytes = new AtomicLong();

    long bytes() {
        return bytes.get();
    }

    /** {@code in}, counting every byte read from it. */
    InputStream counting(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) bytes.incrementAndGet();
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) bytes.addAndGet(n);
                return n;
            }
        };
    }
}
