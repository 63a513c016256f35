package dev.trainyard.bench;

import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST from its IDX files (gzipped or plain) in {@code FASHION_MNIST_DIR},
 * default {@code /usr/share/datasets/fashion-mnist} (Debian package
 * {@code dataset-fashion-mnist}). Pixels become floats 0..255, as the peer's
 * {@code astype(np.float32)}.
 */
final class FashionMnist {

    static final String DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";

    record Splits(Dataset train, Dataset test) {
    }

    private FashionMnist() {
    }

    /**
     * Both splits with examples shaped {@code exampleShape}, e.g. (784) or (1, 28, 28).
     */
    static Splits load(Shape exampleShape) throws IOException {
        Path dir = Path.of(System.getenv().getOrDefault("FASHION_MNIST_DIR", DEFAULT_DIR));
        return new Splits(read(dir, "train", exampleShape), read(dir, "t10k", exampleShape));
    }

    private static Dataset read(Path dir, String prefix, Shape exampleShape) throws IOException {
        byte[] images = idx(dir, prefix + "-images-idx3-ubyte", 3);
        byte[] labels = idx(dir, prefix + "-labels-idx1-ubyte", 1);
        int n = labels.length;
        int width = exampleShape.size();
        if (images.length != n * width) {
            throw new IOException(prefix + ": " + images.length + " pixels for " + n + " labels of " + exampleShape);
        }
        float[] x = new float[images.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = images[i] & 0xFF;
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = labels[i];
        }
        return new Dataset(Tensor.wrap(x, exampleShape.withBatch(n)), y, 10);
    }

    /** The payload of an unsigned-byte IDX file of {@code rank} dimensions. */
    private static byte[] idx(Path dir, String name, int rank) throws IOException {
        Path gz = dir.resolve(name + ".gz");
        Path plain = dir.resolve(name);
        Path file = Files.exists(gz) ? gz : plain;
        if (!Files.exists(file)) {
            throw new IOException("missing " + name + "(.gz) under " + dir
                    + "; install the Debian package dataset-fashion-mnist or set FASHION_MNIST_DIR");
        }
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(
                        new BufferedInputStream(file == gz ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16))) {
            int magic = in.readInt();
            if (magic != (0x0800 | rank)) {
                throw new IOException(file + ": IDX magic " + Integer.toHexString(magic)
                        + ", expected unsigned bytes of rank " + rank);
            }
            long size = 1;
            for (int d = 0; d < rank; d++) {
                size *= in.readInt();
            }
            byte[] data = new byte[(int) size];
            in.readFully(data);
            return data;
        }
    }

}
