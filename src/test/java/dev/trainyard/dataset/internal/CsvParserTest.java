package dev.trainyard.dataset.internal;

import static dev.trainyard.dataset.internal.TestData.gzip;
import static dev.trainyard.dataset.internal.TestData.part;
import static dev.trainyard.dataset.internal.TestData.source;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class CsvParserTest {

    private static final CsvParser.Options DEFAULTS = new CsvParser.Options(null, true, (byte) ',');

    private static ParsedDataset parse(String csv, CsvParser.Options options, TestData.Sink sink) {
        return CsvParser.parse(source(part("file", csv)), options, sink);
    }

    @Test
    void readsFeaturesAndTheColumnNamedLabel() {
        TestData.Sink sink = new TestData.Sink();
        ParsedDataset parsed = parse("a,label,b\n1,cat,2.5\n-3,dog,4e-1\n0.125,cat,7\n", DEFAULTS, sink);
        assertThat(parsed.featureShape()).containsExactly(2);
        assertThat(parsed.encoding()).isEqualTo(FeatureEncoding.FLOAT32);
        assertThat(parsed.classes()).containsExactly("cat", "dog");
        assertThat(parsed.labels()).containsExactly(0, 1, 0);
        assertThat(sink.floats()).containsExactly(1f, 2.5f, -3f, 0.4f, 0.125f, 7f);
        assertThat(parsed.classCounts()).containsExactly(2, 1);
    }

    @Test
    void takesTheLastColumnWhenNoneIsNamedLabel() {
        TestData.Sink sink = new TestData.Sink();
        ParsedDataset parsed = parse("x,y,class\n1,2,10\n3,4,2\n5,6,10\n", DEFAULTS, sink);
        // integer labels in numeric order: 2 before 10
        assertThat(parsed.classes()).containsExactly("2", "10");
        assertThat(parsed.labels()).containsExactly(1, 0, 1);
        assertThat(sink.floats()).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
    }

    @Test
    void findsTheLabelColumnByNameOrIndex() {
        String csv = "y,x1,x2\nb,1,2\na,3,4\n";
        assertThat(parse(csv, new CsvParser.Options("y", true, (byte) ','), new TestData.Sink()).labels())
            .containsExactly(1, 0);
        TestData.Sink sink = new TestData.Sink();
        assertThat(parse(csv, new CsvParser.Options("0", true, (byte) ','), sink).classes()).containsExactly("a", "b");
        assertThat(sink.floats()).containsExactly(1f, 2f, 3f, 4f);
    }

    @Test
    void readsFilesWithoutHeader() {
        TestData.Sink sink = new TestData.Sink();
        ParsedDataset parsed = parse("1,2,0\n3,4,1\n", new CsvParser.Options(null, false, (byte) ','), sink);
        assertThat(parsed.examples()).isEqualTo(2);
        assertThat(sink.floats()).containsExactly(1f, 2f, 3f, 4f);
        assertThat(parse("0,1,2\n1,3,4\n", new CsvParser.Options("0", false, (byte) ','), new TestData.Sink()).labels())
            .containsExactly(0, 1);
    }

    @Test
    void handlesQuotesCrlfBomAndBlankLines() {
        TestData.Sink sink = new TestData.Sink();
        String csv = "\uFEFFf1;f2;label\r\n1.5;\"2\";\"big; \"\"red\"\"\"\r\n\r\n3;4;small\r\n";
        ParsedDataset parsed = parse(csv, new CsvParser.Options(null, true, (byte) ';'), sink);
        assertThat(parsed.classes()).containsExactly("big; \"red\"", "small");
        assertThat(sink.floats()).containsExactly(1.5f, 2f, 3f, 4f);

        TestData.Sink tabs = new TestData.Sink();
        parse("a\tb\tlabel\n1\t2\tx\n3\t4\ty", new CsvParser.Options(null, true, (byte) '\t'), tabs);
        assertThat(tabs.floats()).containsExactly(1f, 2f, 3f, 4f);
    }

    @Test
    void readsGzippedFiles() {
        TestData.Sink sink = new TestData.Sink();
        byte[] csv = gzip("a,label\n1,x\n2,y\n".getBytes(StandardCharsets.UTF_8));
        ParsedDataset parsed = CsvParser.parse(source(part("file", csv)), DEFAULTS, sink);
        assertThat(parsed.examples()).isEqualTo(2);
        assertThat(sink.floats()).containsExactly(1f, 2f);
    }

    @Test
    void namesRowColumnAndValueOfANonNumericFeature() {
        assertProblem(() -> parse("a,b,label\n1,2,x\n3,abc,y\n", DEFAULTS, new TestData.Sink()), "Non-numeric feature",
                3, 1);
        InvalidDatasetException e = catchProblem(
                () -> parse("a,b,label\n1,2,x\n3,abc,y\n", DEFAULTS, new TestData.Sink()));
        assertThat(e.properties()).containsEntry("columnName", "b")
            .containsEntry("value", "abc")
            .containsEntry("part", "file");
    }

    @Test
    void refusesNanInfinityAndOverflow() {
        assertProblem(() -> parse("a,label\nNaN,x\n", DEFAULTS, new TestData.Sink()), "Non-finite feature", 2, 0);
        assertProblem(() -> parse("a,label\n1,x\n-Infinity,y\n", DEFAULTS, new TestData.Sink()), "Non-finite feature",
                3, 0);
        assertProblem(() -> parse("a,label\n1e39,x\n", DEFAULTS, new TestData.Sink()), "Non-finite feature", 2, 0);
        assertProblem(() -> parse("a,label\n0x1p3,x\n", DEFAULTS, new TestData.Sink()), "Non-numeric feature", 2, 0);
    }

    @Test
    void refusesRaggedRowsAndEmptyValues() {
        assertProblem(() -> parse("a,b,label\n1,2,x\n3,4\n", DEFAULTS, new TestData.Sink()), "Ragged row", 3, 2);
        assertProblem(() -> parse("a,b,label\n1,2,x\n3,4,y,5\n", DEFAULTS, new TestData.Sink()), "Ragged row", 3, 3);
        assertProblem(() -> parse("a,b,label\n1,,x\n", DEFAULTS, new TestData.Sink()), "Missing feature", 2, 1);
        assertProblem(() -> parse("a,b,label\n1,2,\n", DEFAULTS, new TestData.Sink()), "Missing label", 2, 2);
    }

    @Test
    void refusesEmptyFilesUnknownLabelColumnsAndUnclosedQuotes() {
        assertThat(catchProblem(() -> parse("", DEFAULTS, new TestData.Sink())).title()).isEqualTo("Empty dataset");
        assertThat(catchProblem(() -> parse("\n\n", DEFAULTS, new TestData.Sink())).title()).isEqualTo("Empty dataset");
        InvalidDatasetException unknown = catchProblem(
                () -> parse("a,b\n1,2\n", new CsvParser.Options("target", true, (byte) ','), new TestData.Sink()));
        assertThat(unknown.title()).isEqualTo("Unknown label column");
        assertThat(unknown.detail()).contains("columns are a, b");
        assertThat(catchProblem(() -> parse("a,b\n1,\"2\n", DEFAULTS, new TestData.Sink())).title())
            .isEqualTo("Malformed CSV");
        assertThat(catchProblem(() -> parse("a\n1\n", DEFAULTS, new TestData.Sink())).title())
            .isEqualTo("Too few columns");
    }

    private static void assertProblem(ThrowingCallable call, String title, long row, int column) {
        InvalidDatasetException e = catchProblem(call);
        assertThat(e.title()).isEqualTo(title);
        assertThat(e.status().value()).isEqualTo(422);
        assertThat(e.properties()).containsEntry("row", row).containsEntry("column", column);
    }

    private static InvalidDatasetException catchProblem(ThrowingCallable call) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(t).isInstanceOf(InvalidDatasetException.class);
        return (InvalidDatasetException) t;
    }

}
