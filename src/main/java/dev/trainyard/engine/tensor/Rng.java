package dev.trainyard.engine.tensor;

import java.util.Arrays;

/**
 * A seeded pseudo-random generator (xoshiro256**, Blackman and Vigna 2018, seeded through
 * SplitMix64) whose whole state can be read and restored, so a checkpoint resumes the
 * same stream bit for bit. Gaussians come from the Box-Muller transform; its spare value
 * is part of the state. Not thread-safe: draw sequentially, or give each worker its own
 * generator.
 */
public final class Rng {

    /**
     * Length of {@link #state()}: four xoshiro words, the spare-gaussian flag and its
     * bits.
     */
    public static final int STATE_LONGS = 6;

    private long s0;

    private long s1;

    private long s2;

    private long s3;

    private boolean hasSpare;

    private double spare;

    public Rng(long seed) {
        long x = seed;
        x += 0x9E3779B97F4A7C15L;
        s0 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s1 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s2 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s3 = mix(x);
    }

    /** SplitMix64's output function; also a good way to derive independent seeds. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A generator for sub-stream {@code stream} of {@code seed} (e.g. initialization vs.
     * dropout masks).
     */
    public static Rng forStream(long seed, long stream) {
        return new Rng(mix(seed ^ mix(stream + 0x632BE59BD9B4E019L)));
    }

    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /**
     * Uniform in {@code [0, bound)}: 32 random bits scaled to the range (Lemire's
     * multiply-shift without rejection; a bias below {@code bound / 2^32}).
     */
    public int nextInt(int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * Standard normal by the Box-Muller transform; every second call returns the stored
     * spare.
     */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
        double u2 = nextDouble();
        double r = Math.sqrt(-2.0 * StrictMath.log(u1));
        double theta = 2.0 * Math.PI * u2;
        spare = r * Math.sin(theta);
        hasSpare = true;
        return r * Math.cos(theta);
    }

    /** The full state, {@link #STATE_LONGS} values; {@link #setState} restores it. */
    public long[] state() {
        return new long[] { s0, s1, s2, s3, hasSpare ? 1 : 0, Double.doubleToRawLongBits(spare) };
    }

    public void setState(long[] state) {
        if (state.length != STATE_LONGS) {
            throw new IllegalArgumentException("RNG state needs " + STATE_LONGS + " values, got " + state.length);
        }
        if ((state[0] | state[1] | state[2] | state[3]) == 0) {
            throw new IllegalArgumentException("RNG state " + Arrays.toString(state) + " is all zero");
        }
        s0 = state[0];
        s1 = state[1];
        s2 = state[2];
        s3 = state[3];
        hasSpare = state[4] != 0;
        spare = Double.longBitsToDouble(state[5]);
    }

}
