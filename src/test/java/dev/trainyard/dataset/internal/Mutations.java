package dev.trainyard.dataset.internal;

import java.util.Arrays;
import java.util.Random;

/** Damages valid files the way transfers and careless tools do, for robustness tests. */
public final class Mutations {

    private static final String CSV_BYTES = "0123456789,;\"\n\r\t .-eE";

    private Mutations() {
    }

    /**
     * One to four random mutations: flipped bytes, a cut, a truncation, inserted or
     * duplicated bytes.
     */
    public static byte[] mutate(byte[] valid, Random random) {
        byte[] b = valid.clone();
        int rounds = 1 + random.nextInt(4);
        for (int k = 0; k < rounds && b.length > 0; k++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> {
                    int n = 1 + random.nextInt(8);
                    for (int i = 0; i < n; i++) {
                        b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
                    }
                }
                case 1 -> b = Arrays.copyOf(b, at);
                case 2 -> {
                    int len = Math.min(b.length - at, 1 + random.nextInt(64));
                    byte[] cut = new byte[b.length - len];
                    System.arraycopy(b, 0, cut, 0, at);
                    System.arraycopy(b, at + len, cut, at, b.length - at - len);
                    b = cut;
                }
                case 3 -> {
                    byte[] noise = new byte[1 + random.nextInt(32)];
                    random.nextBytes(noise);
                    b = insert(b, at, noise);
                }
                case 4 -> b = insert(b, at, Arrays.copyOfRange(b, at, Math.min(b.length, at + 1 + random.nextInt(64))));
                default -> b[at] = (byte) CSV_BYTES.charAt(random.nextInt(CSV_BYTES.length()));
            }
        }
        return b;
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] out = new byte[b.length + what.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(b, at, out, at + what.length, b.length - at);
        return out;
    }

}
