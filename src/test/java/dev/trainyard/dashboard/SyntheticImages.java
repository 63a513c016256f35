package dev.trainyard.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A small learnable image dataset in IDX format: 28×28 bytes in three classes (0: a
 * vertical bar, 1: a horizontal bar, 2: a square ring), at random places, over faint
 * noise. The same seed gives the same bytes.
 */
record SyntheticImages(byte[] images, byte[] labels, int[] classOf) {

    static final int SIDE = 28;

    static final int CLASSES = 3;

    static SyntheticImages generate(int count, long seed) {
        Random random = new Random(seed);
        ByteBuffer images = ByteBuffer.allocate(16 + count * SIDE * SIDE);
        images.putInt(0x00000803).putInt(count).putInt(SIDE).putInt(SIDE);
        ByteBuffer labels = ByteBuffer.allocate(8 + count);
        labels.putInt(0x00000801).putInt(count);
        int[] classOf = new int[count];
        for (int n = 0; n < count; n++) {
            int label = n % CLASSES;
            classOf[n] = label;
            labels.put((byte) label);
            int[][] pixels = new int[SIDE][SIDE];
            for (int[] row : pixels) {
                for (int x = 0; x < SIDE; x++) {
                    row[x] = random.nextInt(30);
                }
            }
            int a = 4 + random.nextInt(SIDE - 10);
            int b = 4 + random.nextInt(SIDE - 10);
            int bright = 180 + random.nextInt(76);
            for (int i = 3; i < SIDE - 3; i++) {
                for (int w = 0; w < 3; w++) {
                    switch (label) {
                        case 0 -> pixels[i][a + w] = bright;
                        case 1 -> pixels[a + w][i] = bright;
                        default -> {
                        }
                    }
                }
            }
            if (label == 2) {
                int r = 5 + random.nextInt(3);
                int cy = Math.min(SIDE - r - 2, Math.max(r + 1, a + 2));
                int cx = Math.min(SIDE - r - 2, Math.max(r + 1, b + 2));
                for (int y = cy - r; y <= cy + r; y++) {
                    for (int x = cx - r; x <= cx + r; x++) {
                        if (Math.abs(y - cy) >= r - 1 || Math.abs(x - cx) >= r - 1) {
                            pixels[y][x] = bright;
                        }
                    }
                }
            }
            for (int[] row : pixels) {
                for (int x = 0; x < SIDE; x++) {
                    images.put((byte) row[x]);
                }
            }
        }
        return new SyntheticImages(images.array(), labels.array(), classOf);
    }

    /** The raw value (0..255) of pixel {@code p} of example {@code n}. */
    int pixel(int n, int p) {
        return this.images[16 + n * SIDE * SIDE + p] & 0xff;
    }

    /**
     * Writes both files into a fresh temporary folder, named as Fashion-MNIST's are:
     * {images, labels}.
     */
    Path[] write(String prefix) {
        try {
            Path dir = Files.createTempDirectory("trainyard-dashboard");
            Path images = Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), this.images);
            Path labels = Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), this.labels);
            dir.toFile().deleteOnExit();
            images.toFile().deleteOnExit();
            labels.toFile().deleteOnExit();
            return new Path[] { images, labels };
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

}
