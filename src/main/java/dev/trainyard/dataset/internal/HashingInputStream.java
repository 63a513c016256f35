package dev.trainyard.dataset.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * The raw bytes of an upload part: feeds every byte read to the dataset's digest and
 * counts them. Closing it reads what the parser left (a ZIP's central directory, a gzip
 * trailer) so the digest always covers the whole part.
 */
final class HashingInputStream extends FilterInputStream {

    private final MessageDigest digest;

    private long count;

    private boolean closed;

    HashingInputStream(InputStream in, MessageDigest digest) {
        super(in);
        this.digest = digest;
    }

    /** Raw bytes consumed so far. */
    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            digest.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            digest.update(b, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must still reach the digest.
        byte[] buffer = new byte[(int) Math.min(n, 8192)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            byte[] buffer = new byte[65536];
            while (read(buffer, 0, buffer.length) >= 0) {
                // drained into the digest
            }
        }
        finally {
            in.close();
        }
    }

}
