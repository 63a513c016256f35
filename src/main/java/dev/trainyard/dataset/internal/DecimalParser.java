package dev.trainyard.dataset.internal;

import java.nio.charset.StandardCharsets;

/**
 * Parses a decimal number written in ASCII ({@code [+-]digits[.digits][(e|E)[+-]digits]},
 * surrounding blanks allowed) to the nearest float, without creating a String in the
 * common cases.
 *
 * <p>
 * Fast path (Clinger): a mantissa below 2^24 scaled by 10^k, |k| <= 10, is one exact
 * float multiplied or divided by another, so a single IEEE operation rounds it correctly.
 * Everything else goes through {@link Float#parseFloat}, which also rounds correctly; the
 * grammar is checked first, so words such as NaN, Infinity or 0x1p3 are never accepted.
 */
final class DecimalParser {

    /** Returned for text that is not a decimal number. */
    static final float INVALID = Float.NaN;

    private static final float[] POWERS = { 1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f };

    private DecimalParser() {
    }

    /**
     * The value of {@code length} bytes at {@code offset}: a float (infinite if out of
     * the float range), or {@link #INVALID} if the text is not a decimal number.
     */
    static float parse(byte[] text, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end && isBlank(text[i])) {
            i++;
        }
        while (end > i && isBlank(text[end - 1])) {
            end--;
        }
        int start = i;
        boolean negative = false;
        if (i < end && (text[i] == '+' || text[i] == '-')) {
            negative = text[i] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int significant = 0;
        int scale = 0;
        while (i < end && isDigit(text[i])) {
            if (significant < 18) {
                mantissa = mantissa * 10 + (text[i] - '0');
                if (mantissa != 0) {
                    significant++;
                }
            }
            else {
                scale++;
            }
            digits++;
            i++;
        }
        if (i < end && text[i] == '.') {
            i++;
            while (i < end && isDigit(text[i])) {
                if (significant < 18) {
                    mantissa = mantissa * 10 + (text[i] - '0');
                    if (mantissa != 0) {
                        significant++;
                    }
                    scale--;
                }
                digits++;
                i++;
            }
        }
        if (digits == 0) {
            return INVALID;
        }
        int exponent = 0;
        if (i < end && (text[i] == 'e' || text[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < end && (text[i] == '+' || text[i] == '-')) {
                negativeExponent = text[i] == '-';
                i++;
            }
            int exponentDigits = 0;
            while (i < end && isDigit(text[i])) {
                exponent = Math.min(exponent * 10 + (text[i] - '0'), 100_000);
                exponentDigits++;
                i++;
            }
            if (exponentDigits == 0) {
                return INVALID;
            }
            exponent = negativeExponent ? -exponent : exponent;
        }
        if (i != end) {
            return INVALID;
        }
        int power = scale + exponent;
        float value;
        if (mantissa == 0) {
            value = 0f;
        }
        else if (significant < 18 && mantissa < (1L << 24) && power >= -10 && power <= 10) {
            value = power >= 0 ? mantissa * POWERS[power] : mantissa / POWERS[-power];
        }
        else if (significant < 18 && power == 0) {
            value = (float) mantissa;
        }
        else {
            return Float.parseFloat(new String(text, start, end - start, StandardCharsets.ISO_8859_1));
        }
        return negative ? -value : value;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

}
