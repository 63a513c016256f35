package dev.trainyard.prediction.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast path for prediction request bodies, which are mostly numbers: reads the common
 * shape straight from the bytes, without a token per number, and gives up (returns
 * {@code null}) on anything else, which Jackson then reads with its full rules and error
 * messages.
 *
 * <p>
 * Accepted: one JSON object with at most one each of {@code instances} (an array of
 * arrays of numbers), {@code mcDropoutSamples} (an int or null), {@code seed} (a long or
 * null) and, for ensembles, {@code method} (a string without escapes, or null), in any
 * order, with any JSON whitespace. The instances come out as one float32 array
 * ({@link RawInstances}), each value the float of the double Jackson reads, bit for bit:
 * an integer token becomes {@code (double) long} as Jackson's {@code getDoubleValue()}
 * gives it (so {@code -0} is {@code 0.0}); a token with a fraction or exponent becomes
 * the correctly rounded double, by Clinger's exact fast path when its digits fit (at most
 * 15 significant digits and a power of ten up to 22, where one IEEE multiplication or
 * division of two exact doubles is correctly rounded) and by {@link Double#parseDouble}
 * otherwise. Given up on: unknown or repeated keys, escapes in keys or strings,
 * {@code NaN} and {@code Infinity}, numbers beyond float32 (their 422 names the double),
 * numbers with more than 18 digits before the point, other value types, malformed JSON,
 * trailing content.
 */
final class PredictionBodyReader {

    /** The members read; absent ones are null. */
    record Body(RawInstances instances, Integer mcDropoutSamples, Long seed, String method) {
    }

    private static final byte[] INSTANCES = ascii("instances");

    private static final byte[] MC_DROPOUT_SAMPLES = ascii("mcDropoutSamples");

    private static final byte[] SEED = ascii("seed");

    private static final byte[] METHOD = ascii("method");

    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    /**
     * Thrown to give up; preallocated and without a stack trace, so giving up is cheap.
     */
    private static final class GiveUp extends RuntimeException {

        private static final GiveUp INSTANCE = new GiveUp();

        private GiveUp() {
            super(null, null, false, false);
        }

    }

    private final byte[] in;

    private int pos;

    /** Every row's values, as float32, one after another. */
    private float[] values;

    private int valueCount;

    private PredictionBodyReader(byte[] in) {
        this.in = in;
    }

    /**
     * Reads a prediction body, or returns null when Jackson has to; {@code method} only
     * where {@code withMethod} (ensemble predictions).
     */
    static Body read(byte[] body, boolean withMethod) {
        try {
            return new PredictionBodyReader(body).body(withMethod);
        }
        catch (GiveUp e) {
            return null;
        }
    }

    private Body body(boolean withMethod) {
        whitespace();
        expect('{');
        whitespace();
        RawInstances instances = null;
        Integer samples = null;
        Long seed = null;
        String method = null;
        boolean seenInstances = false, seenSamples = false, seenSeed = false, seenMethod = false;
        if (peek() == '}') {
            throw GiveUp.INSTANCE;
        }
        while (true) {
            expect('"');
            if (key(INSTANCES) && !seenInstances) {
                seenInstances = true;
                colon();
                instances = instances();
            }
            else if (key(MC_DROPOUT_SAMPLES) && !seenSamples) {
                seenSamples = true;
                colon();
                samples = nullOr() ? null : Math.toIntExact(integer(Integer.MAX_VALUE));
            }
            else if (key(SEED) && !seenSeed) {
                seenSeed = true;
                colon();
                seed = nullOr() ? null : integer(Long.MAX_VALUE);
            }
            else if (withMethod && key(METHOD) && !seenMethod) {
                seenMethod = true;
                colon();
                method = nullOr() ? null : string();
            }
            else {
                throw GiveUp.INSTANCE;
            }
            whitespace();
            int c = next();
            if (c == '}') {
                break;
            }
            if (c != ',') {
                throw GiveUp.INSTANCE;
            }
            whitespace();
        }
        whitespace();
        if (pos != in.length || instances == null) {
            throw GiveUp.INSTANCE;
        }
        return new Body(instances, samples, seed, method);
    }

    /** After the opening quote: true and past the closing quote when the key is name. */
    private boolean key(byte[] name) {
        int end = pos + name.length;
        if (end < in.length && in[end] == '"' && Arrays.equals(in, pos, end, name, 0, name.length)) {
            pos = end + 1;
            return true;
        }
        return false;
    }

    private void colon() {
        whitespace();
        expect(':');
        whitespace();
    }

    /**
     * The rows, read straight into one float array sized by the commas left in the body
     * (at least the values to come, and exactly them for a body of one row and no other
     * member); gives up on a value whose float is not finite, which Jackson's reading
     * then reports by its double.
     */
    private RawInstances instances() {
        expect('[');
        whitespace();
        int commas = 0;
        for (int i = pos; i < in.length; i++) {
            if (in[i] == ',') {
                commas++;
            }
        }
        values = new float[commas + 1];
        int[] lengths = new int[4];
        int count = 0;
        if (peek() == ']') {
            pos++;
            return RawInstances.packed(new float[0], new int[0]);
        }
        while (true) {
            if (count == lengths.length) {
                lengths = Arrays.copyOf(lengths, 2 * count);
            }
            lengths[count++] = row();
            whitespace();
            int c = next();
            if (c == ']') {
                return RawInstances.packed(values, Arrays.copyOf(lengths, count));
            }
            if (c != ',') {
                throw GiveUp.INSTANCE;
            }
            whitespace();
        }
    }

    /** Reads one row into {@link #values}; its length. */
    private int row() {
        expect('[');
        whitespace();
        if (peek() == ']') {
            pos++;
            return 0;
        }
        int start = valueCount;
        while (true) {
            float v = (float) number();
            if (!Float.isFinite(v) || valueCount == values.length) {
                throw GiveUp.INSTANCE;
            }
            values[valueCount++] = v;
            whitespace();
            int c = next();
            if (c == ']') {
                return valueCount - start;
            }
            if (c != ',') {
                throw GiveUp.INSTANCE;
            }
            whitespace();
        }
    }

    /** A JSON number (RFC 8259 grammar) as the double Jackson reads from it. */
    private double number() {
        // the common case first: a positive integer of up to 9 digits, then a separator
        int p = pos;
        int end = Math.min(in.length, p + 9);
        if (p < end && in[p] >= '1' && in[p] <= '9') {
            int value = in[p++] - '0';
            while (p < end && in[p] >= '0' && in[p] <= '9') {
                value = value * 10 + (in[p++] - '0');
            }
            if (p < in.length) {
                byte c = in[p];
                if (c == ',' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    pos = p;
                    return value;
                }
            }
        }
        int start = pos;
        boolean negative = peek() == '-';
        if (negative) {
            pos++;
        }
        long mantissa = 0;
        int digits = 0;
        int c = peek();
        if (c == '0') {
            pos++;
        }
        else if (c >= '1' && c <= '9') {
            while ((c = peek()) >= '0' && c <= '9') {
                if (++digits > 18) {
                    throw GiveUp.INSTANCE;
                }
                mantissa = mantissa * 10 + (c - '0');
                pos++;
            }
        }
        else {
            throw GiveUp.INSTANCE;
        }
        c = peek();
        if (c != '.' && c != 'e' && c != 'E') {
            // an integer token: Jackson's getDoubleValue() of its long (so -0 is 0.0)
            return (double) (negative ? -mantissa : mantissa);
        }
        int exponent = 0;
        if (c == '.') {
            pos++;
            int fraction = pos;
            while ((c = peek()) >= '0' && c <= '9') {
                if (mantissa == 0 && c == '0') {
                    exponent--; // leading zeros of 0.000x are not significant
                }
                else {
                    digits++;
                    if (digits <= 18) {
                        mantissa = mantissa * 10 + (c - '0');
                        exponent--;
                    }
                }
                pos++;
            }
            if (pos == fraction) {
                throw GiveUp.INSTANCE;
            }
        }
        c = peek();
        if (c == 'e' || c == 'E') {
            pos++;
            c = peek();
            boolean negativeExponent = c == '-';
            if (c == '-' || c == '+') {
                pos++;
            }
            int e = 0;
            int exponentStart = pos;
            while ((c = peek()) >= '0' && c <= '9') {
                e = Math.min(e * 10 + (c - '0'), 100_000);
                pos++;
            }
            if (pos == exponentStart) {
                throw GiveUp.INSTANCE;
            }
            exponent += negativeExponent ? -e : e;
        }
        double value;
        if (digits <= 15 && exponent >= -22 && exponent <= 22) {
            value = exponent < 0 ? mantissa / POWERS_OF_TEN[-exponent] : mantissa * POWERS_OF_TEN[exponent];
            return negative ? -value : value;
        }
        return Double.parseDouble(new String(in, start, pos - start, StandardCharsets.ISO_8859_1));
    }

    /**
     * An integer token within [-max - 1, max], accumulated negatively as Long.parseLong
     * does.
     */
    private long integer(long max) {
        boolean negative = peek() == '-';
        if (negative) {
            pos++;
        }
        int c = peek();
        if (c < '0' || c > '9' || (c == '0' && pos + 1 < in.length && in[pos + 1] >= '0' && in[pos + 1] <= '9')) {
            throw GiveUp.INSTANCE;
        }
        long limit = negative ? -max - 1 : -max;
        long multiplyMin = limit / 10;
        long result = 0;
        while ((c = peek()) >= '0' && c <= '9') {
            int digit = c - '0';
            if (result < multiplyMin || result * 10 < limit + digit) {
                throw GiveUp.INSTANCE;
            }
            result = result * 10 - digit;
            pos++;
        }
        if (c == '.' || c == 'e' || c == 'E') {
            throw GiveUp.INSTANCE;
        }
        return negative ? result : -result;
    }

    /** A string of printable ASCII without escapes. */
    private String string() {
        expect('"');
        int start = pos;
        int c;
        while ((c = next()) != '"') {
            if (c < 0x20 || c > 0x7e || c == '\\') {
                throw GiveUp.INSTANCE;
            }
        }
        return new String(in, start, pos - 1 - start, StandardCharsets.US_ASCII);
    }

    /** True, and past it, when the next value is the literal null. */
    private boolean nullOr() {
        if (pos + 4 <= in.length && in[pos] == 'n' && in[pos + 1] == 'u' && in[pos + 2] == 'l' && in[pos + 3] == 'l') {
            pos += 4;
            return true;
        }
        return false;
    }

    private void whitespace() {
        while (pos < in.length) {
            byte c = in[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private int peek() {
        return pos < in.length ? in[pos] : -1;
    }

    private int next() {
        if (pos >= in.length) {
            throw GiveUp.INSTANCE;
        }
        return in[pos++];
    }

    private void expect(char c) {
        if (next() != c) {
            throw GiveUp.INSTANCE;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

}
