package dev.trainyard.dataset.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads MNIST-style IDX files: an images part (magic 0x00000803: unsigned bytes, rank 3,
 * then N, H, W as big-endian int32 and N*H*W pixels) and a labels part (magic 0x00000801,
 * N, then N bytes). Pixels stream to the sink unchanged as uint8; examples are shaped (1,
 * H, W).
 */
final class IdxParser {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxParser() {
    }

    public static ParsedDataset parse(PartSource images, PartSource labels, FeatureSink sink) {
        int n;
        int height;
        int width;
        try (InputStream in = images.open()) {
            String part = images.name();
            expectMagic(readInt(in, part, "the magic number"), IMAGES_MAGIC, part);
            n = positive(readInt(in, part, "the image count"), part, "image count");
            height = positive(readInt(in, part, "the image height"), part, "image height");
            width = positive(readInt(in, part, "the image width"), part, "image width");
            long pixels = (long) n * height * width;
            if (pixels > Integer.MAX_VALUE - 8) {
                throw new InvalidDatasetException(part, "Dataset too large",
                        n + " images of " + height + "x" + width + " hold more than 2^31 values.");
            }
            copy(in, sink, pixels, part, n, height * width);
            expectEnd(in, part, n + " images of " + height + "x" + width);
        }
        catch (IOException e) {
            throw PartSource.corrupt(images.name(), "Unreadable part", e);
        }

        LabelCollector collector = new LabelCollector();
        try (InputStream in = labels.open()) {
            String part = labels.name();
            expectMagic(readInt(in, part, "the magic number"), LABELS_MAGIC, part);
            int count = readInt(in, part, "the label count");
            if (count != n) {
                throw new InvalidDatasetException(part, "Images and labels differ in number", "Part '" + part
                        + "' holds " + count + " labels but part '" + images.name() + "' holds " + n + " images.")
                    .with("images", n)
                    .with("labels", count);
            }
            String[] names = new String[256];
            byte[] block = new byte[1 << 16];
            int done = 0;
            while (done < n) {
                int r = in.read(block, 0, Math.min(block.length, n - done));
                if (r < 0) {
                    throw truncated(part, "labels", done, n);
                }
                for (int i = 0; i < r; i++) {
                    int value = block[i] & 0xff;
                    if (names[value] == null) {
                        names[value] = Integer.toString(value);
                    }
                    collector.add(names[value]);
                }
                done += r;
            }
            expectEnd(in, part, n + " labels");
        }
        catch (IOException e) {
            throw PartSource.corrupt(labels.name(), "Unreadable part", e);
        }
        return collector.finish(new int[] { 1, height, width }, FeatureEncoding.UINT8);
    }

    private static void copy(InputStream in, FeatureSink sink, long total, String part, int n, int perImage)
            throws IOException {
        byte[] block = new byte[1 << 16];
        long done = 0;
        while (done < total) {
            int r = in.read(block, 0, (int) Math.min(block.length, total - done));
            if (r < 0) {
                throw truncated(part, "images", (int) (done / perImage), n);
            }
            sink.writeBytes(block, 0, r);
            done += r;
        }
    }

    private static int readInt(InputStream in, String part, String what) throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length < 4) {
            throw new InvalidDatasetException(part, "Truncated IDX header",
                    "Part '" + part + "' ends before " + what + " of its IDX header.");
        }
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    private static void expectMagic(int magic, int expected, String part) {
        if (magic != expected) {
            String what = expected == IMAGES_MAGIC ? "images (unsigned bytes, rank 3)"
                    : "labels (unsigned bytes, rank 1)";
            throw new InvalidDatasetException(part, "Wrong IDX magic number", "Part '" + part + "' starts with "
                    + hex(magic) + "; IDX " + what + " start with " + hex(expected) + ".")
                .with("magic", hex(magic))
                .with("expectedMagic", hex(expected));
        }
    }

    private static int positive(int value, String part, String what) {
        if (value <= 0) {
            throw new InvalidDatasetException(part, "Invalid IDX header", "Part '" + part + "' declares an " + what
                    + " of " + Integer.toUnsignedString(value) + "; it must be positive and below 2^31.");
        }
        return value;
    }

    private static void expectEnd(InputStream in, String part, String expected) throws IOException {
        if (in.read() >= 0) {
            throw new InvalidDatasetException(part, "IDX size mismatch",
                    "Part '" + part + "' holds more data than its header declares (" + expected + ").");
        }
    }

    private static InvalidDatasetException truncated(String part, String what, int done, int n) {
        return new InvalidDatasetException(part, "IDX size mismatch",
                "Part '" + part + "' ends after " + done + " of the " + n + " " + what + " its header declares.")
            .with("example", done);
    }

    private static String hex(int value) {
        return String.format("0x%08X", value);
    }

}
