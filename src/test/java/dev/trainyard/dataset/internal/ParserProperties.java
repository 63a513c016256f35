package dev.trainyard.dataset.internal;

import static dev.trainyard.dataset.internal.TestData.entries;
import static dev.trainyard.dataset.internal.TestData.gray;
import static dev.trainyard.dataset.internal.TestData.gzip;
import static dev.trainyard.dataset.internal.TestData.idxImages;
import static dev.trainyard.dataset.internal.TestData.idxLabels;
import static dev.trainyard.dataset.internal.TestData.part;
import static dev.trainyard.dataset.internal.TestData.png;
import static dev.trainyard.dataset.internal.TestData.rgb;
import static dev.trainyard.dataset.internal.TestData.source;
import static dev.trainyard.dataset.internal.TestData.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random and damaged files fed to every parser: each either yields a consistent dataset
 * or fails with an {@link InvalidDatasetException} (a 4xx problem); no other exception
 * ever escapes.
 */
class ParserProperties {

    private static final byte[] CSV = ("x1,x2,x3,label\n" + "1,2.5,-3e2,cat\n" + "0.25,\"7\",8,dog\n" + "4,5,6,cat\n"
            + "1e-3,2E+2,-0,\"bird, small\"\n")
        .getBytes(StandardCharsets.UTF_8);

    private static final byte[] IMAGES = idxImages(6, 3, 2);

    private static final byte[] LABELS = idxLabels(0, 1, 2, 0, 1, 2);

    private static final byte[] ZIP = zip(entries("a/1.png", png(gray(4, 4, 0)), "b/2.png", png(gray(4, 4, 50)),
            "b/3.png", png(rgb(4, 4, 9)), "c/4.png", png(gray(4, 4, 90))));

    @Property(tries = 400)
    void csvParsesOrRefusesWithAProblem(@ForAll("csvFiles") byte[] file, @ForAll boolean header,
            @ForAll("delimiters") byte delimiter) {
        TestData.Sink sink = new TestData.Sink();
        ParsedDataset parsed;
        try {
            parsed = CsvParser.parse(source(part("file", file)), new CsvParser.Options(null, header, delimiter), sink);
        }
        catch (InvalidDatasetException e) {
            assertThat(e.status().is4xxClientError()).isTrue();
            assertThat(e.properties()).containsEntry("part", "file");
            return;
        }
        assertThat(sink.floats().length).isEqualTo(parsed.examples() * parsed.featureShape()[0]);
        for (float v : sink.floats()) {
            assertThat(Float.isFinite(v)).isTrue();
        }
        assertLabelsConsistent(parsed);
    }

    @Property(tries = 300)
    void idxParsesOrRefusesWithAProblem(@ForAll("imageFiles") byte[] images, @ForAll("labelFiles") byte[] labels) {
        TestData.Sink sink = new TestData.Sink();
        ParsedDataset parsed;
        try {
            parsed = IdxParser.parse(source(part("images", images)), source(part("labels", labels)), sink);
        }
        catch (InvalidDatasetException e) {
            assertThat(e.status().is4xxClientError()).isTrue();
            assertThat(e.properties().get("part")).isIn("images", "labels");
            return;
        }
        int[] shape = parsed.featureShape();
        assertThat(sink.bytes.size()).isEqualTo(parsed.examples() * shape[0] * shape[1] * shape[2]);
        assertLabelsConsistent(parsed);
    }

    @Property(tries = 200)
    void imageZipsParseOrRefuseWithAProblem(@ForAll("zips") byte[] archive, @ForAll boolean resize) {
        TestData.Sink sink = new TestData.Sink();
        ImageZipParser.Options options = new ImageZipParser.Options(resize ? new ImageZipParser.Size(3, 5) : null);
        ParsedDataset parsed;
        try {
            parsed = ImageZipParser.parse(source(part("file", archive)), options, sink);
        }
        catch (InvalidDatasetException e) {
            assertThat(e.status().is4xxClientError()).isTrue();
            assertThat(e.properties()).containsEntry("part", "file");
            return;
        }
        int[] shape = parsed.featureShape();
        assertThat(sink.bytes.size()).isEqualTo(parsed.examples() * shape[0] * shape[1] * shape[2]);
        assertLabelsConsistent(parsed);
    }

    @Property(tries = 2000)
    void decimalsParseToTheNearestFloatLikeFloatParseFloat(@ForAll("decimals") String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        assertThat(DecimalParser.parse(bytes, 0, bytes.length)).isEqualTo(Float.parseFloat(text));
    }

    @Property(tries = 1000)
    void textThatIsNotADecimalNumberIsInvalid(@ForAll("words") String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        assertThat(DecimalParser.parse(bytes, 0, bytes.length)).isNaN();
    }

    private static void assertLabelsConsistent(ParsedDataset parsed) {
        for (int label : parsed.labels()) {
            assertThat(label).isBetween(0, parsed.classes().size() - 1);
        }
        assertThat(java.util.Arrays.stream(parsed.classCounts()).sum()).isEqualTo(parsed.examples());
    }

    @Provide
    Arbitrary<byte[]> csvFiles() {
        return Arbitraries.oneOf(mutated(CSV), mutated(gzip(CSV)), randomBytes(), Arbitraries.just(CSV),
                Arbitraries.just(gzip(CSV)));
    }

    @Provide
    Arbitrary<Byte> delimiters() {
        return Arbitraries.of((byte) ',', (byte) ';', (byte) '\t');
    }

    @Provide
    Arbitrary<byte[]> imageFiles() {
        return Arbitraries.oneOf(mutated(IMAGES), mutated(gzip(IMAGES)), randomBytes(), Arbitraries.just(IMAGES));
    }

    @Provide
    Arbitrary<byte[]> labelFiles() {
        return Arbitraries.oneOf(mutated(LABELS), mutated(gzip(LABELS)), randomBytes(), Arbitraries.just(LABELS));
    }

    @Provide
    Arbitrary<byte[]> zips() {
        return Arbitraries.oneOf(mutated(ZIP), mutated(ZIP), randomBytes(), Arbitraries.just(ZIP));
    }

    @Provide
    Arbitrary<String> decimals() {
        Arbitrary<String> fromFloats = Arbitraries.floats().map(f -> Float.isFinite(f) ? Float.toString(f) : "0");
        Arbitrary<String> fromDoubles = Combinators
            .combine(Arbitraries.doubles().between(-1e30, 1e30), Arbitraries.integers().between(1, 17))
            .as((d, digits) -> String.format(Locale.ROOT, "%." + digits + "g", d));
        Arbitrary<String> digitStrings = Combinators
            .combine(Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25),
                    Arbitraries.strings().numeric().ofMaxLength(12), Arbitraries.integers().between(-50, 40))
            .as((whole, fraction, exponent) -> whole + (fraction.isEmpty() ? "" : "." + fraction) + "e" + exponent);
        return Arbitraries.oneOf(fromFloats, fromDoubles, digitStrings, Arbitraries.integers().map(String::valueOf));
    }

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.oneOf(
                Arbitraries.of("NaN", "-Infinity", "Infinity", "inf", "0x1p3", "1f", "2d", "", "-", ".", "e5", "1e",
                        "1.2.3", "--1", "1-", "one", "1,5"),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8));
    }

    private static Arbitrary<byte[]> mutated(byte[] valid) {
        return Arbitraries.randomValue(random -> Mutations.mutate(valid, random));
    }

    private static Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
    }

}
