package dev.trainyard.dataset.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * Counts the bytes a decompressor (gzip or ZIP) hands out and stops a decompression bomb:
 * more than {@code maxUncompressedSize} in total, or, past 1 MiB, more than
 * {@code maxCompressionRatio} inflated bytes per compressed byte read from the upload.
 */
final class InflationGuard extends FilterInputStream {

    private static final long RATIO_CHECK_FLOOR = 1024 * 1024;

    private final LongSupplier compressedBytes;

    private final long maxBytes;

    private final int maxRatio;

    private final String part;

    private long inflated;

    InflationGuard(InputStream inflating, LongSupplier compressedBytes, DatasetProperties limits, String part) {
        super(inflating);
        this.compressedBytes = compressedBytes;
        this.maxBytes = limits.maxUncompressedSize().toBytes();
        this.maxRatio = limits.maxCompressionRatio();
        this.part = part;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        count(skipped);
        return skipped;
    }

    private void count(long n) {
        inflated += n;
        if (inflated > maxBytes) {
            throw new InvalidDatasetException(part, "Upload too large when decompressed", "Part '" + part
                    + "' decompresses to more than " + maxBytes + " bytes (trainyard.datasets.max-uncompressed-size).");
        }
        long compressed = Math.max(1, compressedBytes.getAsLong());
        if (inflated > RATIO_CHECK_FLOOR && inflated / compressed > maxRatio) {
            throw new InvalidDatasetException(part, "Suspicious compression ratio",
                    "Part '" + part + "' inflates " + compressed + " bytes to more than " + inflated
                            + ", a ratio above " + maxRatio + " (trainyard.datasets.max-compression-ratio);"
                            + " this looks like a decompression bomb.");
        }
    }

}
