package dev.trainyard.dataset.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a CSV file of numeric features and one label column into float32 features
 * (streamed to the sink, one row at a time) and class labels. Rows and columns in errors:
 * the row is the 1-based line where the record starts (the header is line 1), the column
 * is 0-based. Blank lines are skipped; missing values are not supported.
 */
final class CsvParser {

    /**
     * @param labelColumn name or 0-based index of the label column; null for the column
     * named {@code label}, else the last
     * @param header whether the first line names the columns
     * @param delimiter {@code ,} {@code ;} or tab
     */
    public record Options(String labelColumn, boolean header, byte delimiter) {
    }

    private static final int MAX_COLUMNS = 1 << 20;

    private CsvParser() {
    }

    public static ParsedDataset parse(PartSource source, Options options, FeatureSink sink) {
        try (InputStream in = source.open()) {
            return parse(in, source.name(), options, sink);
        }
        catch (IOException e) {
            throw PartSource.corrupt(source.name(), "Unreadable part", e);
        }
    }

    static ParsedDataset parse(InputStream in, String part, Options options, FeatureSink sink) throws IOException {
        CsvTokenizer csv = new CsvTokenizer(in, options.delimiter(), part);
        List<String> first = readRecord(csv, part);
        if (first == null) {
            throw new InvalidDatasetException(part, "Empty dataset", "Part '" + part + "' holds no rows.");
        }
        int columns = first.size();
        if (columns < 2) {
            throw new InvalidDatasetException(part, "Too few columns",
                    "Line " + csv.recordLine() + " has " + columns
                            + " column; a dataset needs at least one feature column and a label column"
                            + " (is the delimiter right?).")
                .with("row", csv.recordLine());
        }
        List<String> names = options.header() ? first : null;
        int label = labelColumn(options.labelColumn(), names, columns, part);

        LabelCollector labels = new LabelCollector();
        float[] row = new float[columns - 1];
        if (!options.header()) {
            for (int c = 0, k = 0; c < columns; c++) {
                byte[] text = first.get(c).getBytes(StandardCharsets.UTF_8);
                if (c == label) {
                    labels.add(labelOf(first.get(c), csv.recordLine(), c, null, part));
                }
                else {
                    row[k++] = number(text, text.length, csv.recordLine(), c, null, part);
                }
            }
            sink.writeFloats(row, 0, row.length);
        }

        while (true) {
            int c = 0;
            int k = 0;
            String className = null;
            int state = csv.next();
            if (state == CsvTokenizer.END) {
                break;
            }
            if (state == CsvTokenizer.LAST && csv.length() == 0 && !csv.quoted()) {
                continue; // blank line
            }
            long line = csv.recordLine();
            while (true) {
                if (c >= columns) {
                    throw ragged(part, line, columns, "more than " + columns, columns);
                }
                if (c == label) {
                    className = labelOf(csv.text(), line, c, names, part);
                }
                else {
                    row[k++] = number(csv.field(), csv.length(), line, c, names, part);
                }
                c++;
                if (state == CsvTokenizer.LAST) {
                    break;
                }
                state = csv.next();
            }
            if (c != columns) {
                throw ragged(part, line, columns, String.valueOf(c), c);
            }
            sink.writeFloats(row, 0, row.length);
            labels.add(className);
        }
        return labels.finish(new int[] { columns - 1 }, FeatureEncoding.FLOAT32);
    }

    /** The next non-blank record as strings, or null at the end of the input. */
    private static List<String> readRecord(CsvTokenizer csv, String part) throws IOException {
        while (true) {
            int state = csv.next();
            if (state == CsvTokenizer.END) {
                return null;
            }
            if (state == CsvTokenizer.LAST && csv.length() == 0 && !csv.quoted()) {
                continue;
            }
            List<String> fields = new ArrayList<>();
            fields.add(csv.text());
            while (state != CsvTokenizer.LAST) {
                state = csv.next();
                if (fields.size() == MAX_COLUMNS) {
                    throw new InvalidDatasetException(part, "Too many columns",
                            "Line " + csv.recordLine() + " has more than " + MAX_COLUMNS + " columns.")
                        .with("row", csv.recordLine());
                }
                fields.add(csv.text());
            }
            return fields;
        }
    }

    private static int labelColumn(String requested, List<String> names, int columns, String part) {
        if (requested == null || requested.isBlank()) {
            if (names != null) {
                for (int c = 0; c < columns; c++) {
                    if (names.get(c).strip().equals("label")) {
                        return c;
                    }
                }
            }
            return columns - 1;
        }
        String wanted = requested.strip();
        if (names != null) {
            for (int c = 0; c < columns; c++) {
                if (names.get(c).strip().equals(wanted)) {
                    return c;
                }
            }
        }
        if (wanted.matches("\\d{1,9}") && Integer.parseInt(wanted) < columns) {
            return Integer.parseInt(wanted);
        }
        String known = names == null ? "the file has no header, so give a 0-based index below " + columns
                : "columns are " + abbreviate(String.join(", ", names), 200) + ", or a 0-based index below " + columns;
        throw new InvalidDatasetException(part, "Unknown label column",
                "There is no label column '" + abbreviate(wanted, 80) + "': " + known + ".")
            .with("labelColumn", abbreviate(wanted, 80));
    }

    private static String labelOf(String text, long line, int column, List<String> names, String part) {
        String label = text.strip();
        if (label.isEmpty()) {
            throw cellError(part, "Missing label",
                    "The label in line " + line + ", column " + column + columnName(names, column) + " is empty.", line,
                    column, names);
        }
        return label;
    }

    private static float number(byte[] text, int length, long line, int column, List<String> names, String part) {
        float value = DecimalParser.parse(text, 0, length);
        if (Float.isFinite(value)) {
            return value;
        }
        String shown = abbreviate(new String(text, 0, length, StandardCharsets.UTF_8), 40);
        String where = "line " + line + ", column " + column + columnName(names, column);
        InvalidDatasetException error;
        if (Float.isInfinite(value) || isNonFiniteWord(shown)) {
            error = cellError(part, "Non-finite feature",
                    "The value '" + shown + "' in " + where + " is not a finite float32 number.", line, column, names);
        }
        else if (shown.isBlank()) {
            error = cellError(part, "Missing feature", "The feature in " + where + " is empty.", line, column, names);
        }
        else {
            error = cellError(part, "Non-numeric feature",
                    "The value '" + shown + "' in " + where + " is not a number.", line, column, names);
        }
        throw error.with("value", shown);
    }

    private static boolean isNonFiniteWord(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("+") || t.startsWith("-")) {
            t = t.substring(1);
        }
        return t.equals("nan") || t.equals("inf") || t.equals("infinity");
    }

    private static InvalidDatasetException cellError(String part, String title, String detail, long line, int column,
            List<String> names) {
        InvalidDatasetException error = new InvalidDatasetException(part, title, detail).with("row", line)
            .with("column", column);
        if (names != null) {
            error.with("columnName", abbreviate(names.get(column), 80));
        }
        return error;
    }

    /** {@code column}: the first column that is missing or extra. */
    private static InvalidDatasetException ragged(String part, long line, int columns, String found, int column) {
        return new InvalidDatasetException(part, "Ragged row",
                "Line " + line + " has " + found + " columns; the first row has " + columns + ".")
            .with("row", line)
            .with("column", column);
    }

    private static String columnName(List<String> names, int column) {
        return names == null ? "" : " ('" + abbreviate(names.get(column), 80) + "')";
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }

}
