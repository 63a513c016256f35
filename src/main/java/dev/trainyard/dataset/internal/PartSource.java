package dev.trainyard.dataset.internal;

import dev.trainyard.dataset.UploadPart;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;

/**
 * An upload part as parsers read it. {@link #open()} gives the content, gunzipped when
 * the part starts with the gzip magic and guarded against decompression bombs;
 * {@link #openArchive()} the raw bytes for a ZIP. Both feed the upload's digest, so a
 * parser opens each part once, in order, and closes it before opening the next. Read
 * errors (corrupt gzip, truncated data) surface as {@link InvalidDatasetException}s
 * naming the part.
 */
final class PartSource {

    private static final int BUFFER = 1 << 16;

    private final UploadPart part;

    private final MessageDigest digest;

    private final DatasetProperties limits;

    public PartSource(UploadPart part, MessageDigest digest, DatasetProperties limits) {
        this.part = part;
        this.digest = digest;
        this.limits = limits;
    }

    public String name() {
        return part.name();
    }

    DatasetProperties limits() {
        return limits;
    }

    /** The part's content: plain, or gunzipped if it is gzip. */
    InputStream open() {
        HashingInputStream raw = hashed();
        BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER);
        try {
            if (!isGzip(buffered)) {
                return new Translating(buffered, part.name(), "Unreadable part");
            }
            GZIPInputStream gunzip = new GZIPInputStream(buffered, BUFFER);
            return new Translating(
                    new BufferedInputStream(new InflationGuard(gunzip, raw::count, limits, part.name()), BUFFER),
                    part.name(), "Corrupt gzip data");
        }
        catch (IOException e) {
            closeQuietly(buffered);
            throw corrupt(part.name(), "Corrupt gzip data", e);
        }
    }

    /**
     * The raw bytes with their count, for a ZIP archive read with
     * {@link java.util.zip.ZipInputStream}.
     */
    HashingInputStream openArchive() {
        return hashed();
    }

    /**
     * Up to {@code n} leading bytes of the content (gunzipped if gzip), read without
     * touching the digest; used to detect the format.
     */
    byte[] peek(int n) {
        try (InputStream raw = new BufferedInputStream(part.open(), BUFFER)) {
            InputStream in = isGzip(raw) ? new GZIPInputStream(raw) : raw;
            return in.readNBytes(n);
        }
        catch (IOException e) {
            throw corrupt(part.name(), "Corrupt gzip data", e);
        }
    }

    private HashingInputStream hashed() {
        try {
            return new HashingInputStream(part.open(), digest);
        }
        catch (IOException e) {
            throw corrupt(part.name(), "Unreadable part", e);
        }
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    static InvalidDatasetException corrupt(String part, String title, IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new InvalidDatasetException(part, title, "Part '" + part + "' cannot be read: " + reason + ".", e);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        }
        catch (IOException ignored) {
            // the original failure is what the client needs to hear about
        }
    }

    /**
     * Turns read failures into problem details, so parsers deal with bad content only.
     */
    private static final class Translating extends FilterInputStream {

        private final String part;

        private final String title;

        Translating(InputStream in, String part, String title) {
            super(in);
            this.part = part;
            this.title = title;
        }

        @Override
        public int read() {
            try {
                return in.read();
            }
            catch (IOException e) {
                throw corrupt(part, title, e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) {
            try {
                return in.read(b, off, len);
            }
            catch (IOException e) {
                throw corrupt(part, title, e);
            }
        }

        @Override
        public void close() {
            try {
                in.close();
            }
            catch (IOException e) {
                throw corrupt(part, title, e);
            }
        }

    }

}
