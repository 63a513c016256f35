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
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Random and damaged files fed to every parser: each either yields a consistent dataset
 * or fails with an {@link InvalidDatasetException} (a 4xx problem); no other exception
 * ever escapes. Property-based in plain JUnit: every case comes from a seeded generator
 * and a failure names its seed, so it can be replayed.
 */
class ParserProperties {

    private static final byte[] CSV = ("x1,x2,x3,label\n" + "1,2.5,-3e2,cat\n" + "0.25,\"7\",8,dog\n" + "4,5,6,cat\n"
            + "1e-3,2E+2,-0,\"bird, small\"\n")
        .getBytes(StandardCharsets.UTF_8);

    private static final byte[] IMAGES = idxImages(6, 3, 2);

    private static final byte[] LABELS = idxLabels(0, 1, 2, 0, 1, 2);

    private static final byte[] ZIP = zip(entries("a/1.png", png(gray(4, 4, 0)), "b/2.png", png(gray(4, 4, 50)),
            "b/3.png", png(rgb(4, 4, 9)), "c/4.png", png(gray(4, 4, 90))));

    /**
     * Runs {@code property} for {@code tries} seeds; a failure names the seed that broke
     * it.
     */
    private static void forSeeds(int tries, Consumer<Random> property) {
        for (int seed = 0; seed < tries; seed++) {
            try {
                property.accept(new Random(seed));
            }
            catch (AssertionError | RuntimeException e) {
                throw new AssertionError("property fails for seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void csvParsesOrRefusesWithAProblem() {
        forSeeds(400, random -> csvParsesOrRefuses(csvFile(random), random.nextBoolean(),
                new byte[] { ',', ';', '\t' }[random.nextInt(3)]));
    }

    private static void csvParsesOrRefuses(byte[] file, boolean header, byte delimiter) {
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

    @Test
    void idxParsesOrRefusesWithAProblem() {
        forSeeds(300, random -> {
            byte[] images = oneOf(random, IMAGES, true);
            byte[] labels = oneOf(random, LABELS, true);
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
        });
    }

    @Test
    void imageZipsParseOrRefuseWithAProblem() {
        forSeeds(200, random -> {
            byte[] archive = oneOf(random, ZIP, false);
            boolean resize = random.nextBoolean();
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
        });
    }

    @Test
    void decimalsParseToTheNearestFloatLikeFloatParseFloat() {
        forSeeds(2000, random -> {
            String text = decimal(random);
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            assertThat(DecimalParser.parse(bytes, 0, bytes.length)).as(text).isEqualTo(Float.parseFloat(text));
        });
    }

    @Test
    void textThatIsNotADecimalNumberIsInvalid() {
        String[] fixed = { "NaN", "-Infinity", "Infinity", "inf", "0x1p3", "1f", "2d", "", "-", ".", "e5", "1e",
                "1.2.3", "--1", "1-", "one", "1,5" };
        forSeeds(1000, random -> {
            String text = random.nextBoolean() ? fixed[random.nextInt(fixed.length)] : letters(random, 1, 8);
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            assertThat(DecimalParser.parse(bytes, 0, bytes.length)).as(text).isNaN();
        });
    }

    private static void assertLabelsConsistent(ParsedDataset parsed) {
        for (int label : parsed.labels()) {
            assertThat(label).isBetween(0, parsed.classes().size() - 1);
        }
        assertThat(Arrays.stream(parsed.classCounts()).sum()).isEqualTo(parsed.examples());
    }

    private static byte[] csvFile(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> Mutations.mutate(CSV, random);
            case 1 -> Mutations.mutate(gzip(CSV), random);
            case 2 -> randomBytes(random);
            case 3 -> CSV;
            default -> gzip(CSV);
        };
    }

    /** The valid file, a mutation of it (or of its gzip), or random bytes. */
    private static byte[] oneOf(Random random, byte[] valid, boolean gzipToo) {
        return switch (random.nextInt(4)) {
            case 0 -> Mutations.mutate(valid, random);
            case 1 -> Mutations.mutate(gzipToo ? gzip(valid) : valid, random);
            case 2 -> randomBytes(random);
            default -> valid;
        };
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(601)];
        random.nextBytes(b);
        return b;
    }

    private static String decimal(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> {
                float f = Float.intBitsToFloat(random.nextInt());
                yield Float.isFinite(f) ? Float.toString(f) : "0";
            }
            case 1 -> String.format(Locale.ROOT, "%." + (1 + random.nextInt(17)) + "g",
                    (random.nextDouble() * 2 - 1) * Math.pow(10, random.nextInt(61) - 30));
            case 2 -> {
                String whole = digits(random, 1, 25);
                String fraction = digits(random, 0, 12);
                yield whole + (fraction.isEmpty() ? "" : "." + fraction) + "e" + (random.nextInt(91) - 50);
            }
            default -> String.valueOf(random.nextInt());
        };
    }

    private static String digits(Random random, int min, int max) {
        StringBuilder sb = new StringBuilder();
        int n = min + random.nextInt(max - min + 1);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + random.nextInt(10)));
        }
        return sb.toString();
    }

    private static String letters(Random random, int min, int max) {
        StringBuilder sb = new StringBuilder();
        int n = min + random.nextInt(max - min + 1);
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(52);
            sb.append((char) (c < 26 ? 'a' + c : 'A' + c - 26));
        }
        return sb.toString();
    }

}
