package dev.trainyard.dataset.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits CSV bytes (RFC 4180: quoted fields may hold delimiters, doubled quotes and line
 * breaks; CRLF or LF line ends) into fields, one at a time, into a reused buffer, so a
 * file of any length streams through in constant memory. Text is UTF-8; a leading
 * byte-order mark is skipped.
 */
final class CsvTokenizer {

    /** {@link #next()}: a field followed by more fields of the same record. */
    static final int FIELD = 0;

    /** {@link #next()}: the last field of a record. */
    static final int LAST = 1;

    /** {@link #next()}: no field, the input has ended. */
    static final int END = 2;

    private static final int MAX_FIELD = 1 << 20;

    private final InputStream in;

    private final byte delimiter;

    private final String part;

    private final byte[] buffer = new byte[1 << 16];

    private int position;

    private int limit;

    private boolean atEnd;

    private byte[] field = new byte[64];

    private int length;

    private boolean quoted;

    private long line = 1;

    private long recordLine = 1;

    private boolean atRecordStart = true;

    CsvTokenizer(InputStream in, byte delimiter, String part) throws IOException {
        this.in = in;
        this.delimiter = delimiter;
        this.part = part;
        fill();
        if (limit - position >= 3 && (buffer[0] & 0xff) == 0xEF && (buffer[1] & 0xff) == 0xBB
                && (buffer[2] & 0xff) == 0xBF) {
            position = 3;
        }
    }

    /** The bytes of the current field; valid until the next call of {@link #next()}. */
    byte[] field() {
        return field;
    }

    int length() {
        return length;
    }

    /** Whether the current field was quoted (so it is text, even if empty). */
    boolean quoted() {
        return quoted;
    }

    String text() {
        return new String(field, 0, length, StandardCharsets.UTF_8);
    }

    /** The 1-based line on which the current record starts. */
    long recordLine() {
        return recordLine;
    }

    /** Reads the next field: {@link #FIELD}, {@link #LAST} or {@link #END}. */
    int next() throws IOException {
        length = 0;
        quoted = false;
        if (atRecordStart) {
            recordLine = line;
        }
        int b = read();
        if (b < 0) {
            if (atRecordStart) {
                return END;
            }
            // A delimiter ended the previous field, so an empty last field follows.
            atRecordStart = true;
            return LAST;
        }
        atRecordStart = false;
        if (b == '"') {
            quoted = true;
            while (true) {
                b = read();
                if (b < 0) {
                    throw new InvalidDatasetException(part, "Malformed CSV",
                            "A quoted field starting on line " + recordLine + " is never closed.")
                        .with("row", recordLine);
                }
                if (b == '"') {
                    int after = read();
                    if (after == '"') {
                        append((byte) '"');
                        continue;
                    }
                    return endField(after);
                }
                if (b == '\n') {
                    line++;
                }
                append((byte) b);
            }
        }
        while (b >= 0 && b != delimiter && b != '\n') {
            append((byte) b);
            b = read();
        }
        if (b != delimiter && length > 0 && field[length - 1] == '\r') {
            length--;
        }
        return endOf(b);
    }

    private int endField(int after) {
        if (after == '\r') {
            after = read();
            if (after != '\n' && after >= 0) {
                throw unexpectedAfterQuote();
            }
        }
        if (after >= 0 && after != delimiter && after != '\n') {
            throw unexpectedAfterQuote();
        }
        return endOf(after);
    }

    private int endOf(int terminator) {
        if (terminator == delimiter) {
            return FIELD;
        }
        if (terminator == '\n') {
            line++;
        }
        atRecordStart = true;
        return LAST;
    }

    private InvalidDatasetException unexpectedAfterQuote() {
        return new InvalidDatasetException(part, "Malformed CSV",
                "Line " + line + " has characters after the closing quote of a field.")
            .with("row", line);
    }

    private void append(byte b) {
        if (length == field.length) {
            if (length >= MAX_FIELD) {
                throw new InvalidDatasetException(part, "Malformed CSV",
                        "A field on line " + recordLine + " is longer than " + MAX_FIELD + " bytes.")
                    .with("row", recordLine);
            }
            field = Arrays.copyOf(field, length * 2);
        }
        field[length++] = b;
    }

    private int read() {
        if (position == limit) {
            if (atEnd) {
                return -1;
            }
            try {
                fill();
            }
            catch (IOException e) {
                throw PartSource.corrupt(part, "Unreadable part", e);
            }
            if (position == limit) {
                return -1;
            }
        }
        return buffer[position++] & 0xff;
    }

    private void fill() throws IOException {
        position = 0;
        limit = 0;
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        }
        while (n == 0);
        if (n < 0) {
            atEnd = true;
        }
        else {
            limit = n;
        }
    }

}
