package dev.trainyard.dataset.internal;

import static dev.trainyard.dataset.internal.TestData.entries;
import static dev.trainyard.dataset.internal.TestData.gray;
import static dev.trainyard.dataset.internal.TestData.part;
import static dev.trainyard.dataset.internal.TestData.png;
import static dev.trainyard.dataset.internal.TestData.rgb;
import static dev.trainyard.dataset.internal.TestData.source;
import static dev.trainyard.dataset.internal.TestData.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class ImageZipParserTest {

    private static final ImageZipParser.Options SAME_SIZE = new ImageZipParser.Options(null);

    private static ParsedDataset parse(Map<String, byte[]> entries, ImageZipParser.Options options,
            TestData.Sink sink) {
        return ImageZipParser.parse(source(part("file", zip(entries))), options, sink);
    }

    private static InvalidDatasetException problem(Map<String, byte[]> entries, ImageZipParser.Options options) {
        return catchThrowableOfType(InvalidDatasetException.class, () -> parse(entries, options, new TestData.Sink()));
    }

    @Test
    void readsGrayscaleImagesWithTheirFolderAsClass() {
        TestData.Sink sink = new TestData.Sink();
        ParsedDataset parsed = parse(entries("shirts/1.png", png(gray(2, 3, 0)), "boots/1.png", png(gray(2, 3, 100)),
                "shirts/2.png", png(gray(2, 3, 200))), SAME_SIZE, sink);
        assertThat(parsed.featureShape()).containsExactly(1, 2, 3);
        assertThat(parsed.classes()).containsExactly("boots", "shirts");
        assertThat(parsed.labels()).containsExactly(1, 0, 1);
        byte[] pixels = sink.bytes.toByteArray();
        assertThat(pixels).hasSize(18);
        assertThat(pixels[0]).isEqualTo((byte) 0);
        assertThat(pixels[5]).isEqualTo((byte) 5);
        assertThat(pixels[6] & 0xff).isEqualTo(100);
        assertThat(pixels[17] & 0xff).isEqualTo(205);
    }

    @Test
    void readsColourImagesAsPlanarRgbAndIgnoresAnEnclosingFolder() {
        TestData.Sink sink = new TestData.Sink();
        ParsedDataset parsed = parse(entries("data/", new byte[0], "data/cat/a.png", png(rgb(2, 2, 50)),
                "data/dog/b.png", png(rgb(2, 2, 60)), "__MACOSX/data/cat/._a.png", new byte[] { 1, 2, 3 },
                "data/cat/.DS_Store", new byte[] { 4 }), SAME_SIZE, sink);
        assertThat(parsed.featureShape()).containsExactly(3, 2, 2);
        assertThat(parsed.classes()).containsExactly("cat", "dog");
        byte[] p = sink.bytes.toByteArray();
        // first image: R plane all 50, G plane = y, B plane = x
        assertThat(Arrays.copyOfRange(p, 0, 12)).containsExactly(50, 50, 50, 50, 0, 0, 1, 1, 0, 1, 0, 1);
        assertThat(p[12]).isEqualTo((byte) 60);
    }

    @Test
    void repeatsGrayscaleImagesOverTheChannelsOfAColourDataset() {
        TestData.Sink sink = new TestData.Sink();
        parse(entries("a/1.png", png(rgb(1, 2, 9)), "b/1.png", png(gray(1, 2, 70))), SAME_SIZE, sink);
        byte[] p = sink.bytes.toByteArray();
        assertThat(Arrays.copyOfRange(p, 6, 12)).containsExactly(70, 71, 70, 71, 70, 71);
    }

    @Test
    void refusesAColourImageInAGrayscaleDatasetUnlessItsChannelsAreEqual() {
        var grayAsRgb = new java.awt.image.BufferedImage(2, 1, java.awt.image.BufferedImage.TYPE_INT_RGB);
        grayAsRgb.setRGB(0, 0, 0x101010);
        grayAsRgb.setRGB(1, 0, 0x202020);
        TestData.Sink sink = new TestData.Sink();
        ParsedDataset parsed = parse(entries("a/1.png", png(gray(1, 2, 0)), "b/1.png", png(grayAsRgb)), SAME_SIZE,
                sink);
        assertThat(parsed.featureShape()).containsExactly(1, 1, 2);
        assertThat(Arrays.copyOfRange(sink.bytes.toByteArray(), 2, 4)).containsExactly(0x10, 0x20);

        InvalidDatasetException e = problem(entries("a/1.png", png(gray(1, 2, 0)), "b/1.png", png(rgb(1, 2, 3))),
                SAME_SIZE);
        assertThat(e.title()).isEqualTo("Colour image in a grayscale dataset");
        assertThat(e.properties()).containsEntry("entry", "b/1.png");
    }

    @Test
    void refusesMixedSizesWithoutResizeAndResizesWithIt() {
        Map<String, byte[]> mixed = entries("a/1.png", png(gray(2, 3, 0)), "b/1.png", png(gray(4, 4, 0)));
        InvalidDatasetException e = problem(mixed, SAME_SIZE);
        assertThat(e.title()).isEqualTo("Images of different sizes");
        assertThat(e.properties()).containsEntry("entry", "b/1.png");
        assertThat(e.detail()).contains("4x4").contains("2x3").contains("resize=HxW");

        TestData.Sink sink = new TestData.Sink();
        ParsedDataset parsed = parse(mixed, new ImageZipParser.Options(new ImageZipParser.Size(2, 2)), sink);
        assertThat(parsed.featureShape()).containsExactly(1, 2, 2);
        // 4x4 image with values 0..15 halved: PyTorch bilinear (align_corners=False)
        // gives 2.5, 4.5, 10.5, 12.5
        byte[] second = Arrays.copyOfRange(sink.bytes.toByteArray(), 4, 8);
        assertThat(second).containsExactly(3, 5, 11, 13);
    }

    @Test
    void bilinearResizeMatchesPyTorch() {
        // torch.nn.functional.interpolate(x, size=(4, 5), mode="bilinear",
        // align_corners=False) of
        // [[0, 100, 200], [50, 150, 250]] gives these values before rounding.
        double[] torch = { 0, 40, 100, 160, 200, 12.5, 52.5, 112.5, 172.5, 212.5, 37.5, 77.5, 137.5, 197.5, 237.5, 50,
                90, 150, 210, 250 };
        byte[] out = Bilinear.resize(new byte[] { 0, 100, (byte) 200, 50, (byte) 150, (byte) 250 }, 1, 2, 3, 4, 5);
        for (int i = 0; i < torch.length; i++) {
            assertThat((double) (out[i] & 0xff)).isCloseTo(torch[i], within(0.5));
        }
    }

    @Test
    void readsJpegImages() {
        TestData.Sink sink = new TestData.Sink();
        ParsedDataset parsed = parse(entries("a/1.jpg", TestData.encode(rgb(8, 8, 200), "jpeg"), "b/1.jpg",
                TestData.encode(rgb(8, 8, 20), "jpeg")), SAME_SIZE, sink);
        assertThat(parsed.featureShape()).containsExactly(3, 8, 8);
        assertThat(sink.bytes.toByteArray()[0] & 0xff).isCloseTo(200, within(12));
    }

    @Test
    void refusesFilesThatAreNotImages() {
        InvalidDatasetException e = problem(entries("a/1.png", png(gray(2, 2, 0)), "b/notes.txt", "hello".getBytes()),
                SAME_SIZE);
        assertThat(e.title()).isEqualTo("Unreadable image");
        assertThat(e.properties()).containsEntry("entry", "b/notes.txt");
        byte[] broken = Arrays.copyOf(png(gray(8, 8, 0)), 40);
        assertThat(problem(entries("a/1.png", broken), SAME_SIZE).title()).isEqualTo("Unreadable image");
    }

    @Test
    void refusesEntriesThatEscapeTheArchive() {
        assertThat(problem(entries("../evil/1.png", png(gray(1, 1, 0))), SAME_SIZE).title())
            .isEqualTo("Unsafe ZIP entry");
        assertThat(problem(entries("a/../../1.png", png(gray(1, 1, 0))), SAME_SIZE).title())
            .isEqualTo("Unsafe ZIP entry");
        assertThat(problem(entries("/etc/a/1.png", png(gray(1, 1, 0))), SAME_SIZE).title())
            .isEqualTo("Unsafe ZIP entry");
        assertThat(problem(entries("C:\\a\\1.png", png(gray(1, 1, 0))), SAME_SIZE).title())
            .isEqualTo("Unsafe ZIP entry");
        assertThat(problem(entries("1.png", png(gray(1, 1, 0))), SAME_SIZE).title())
            .isEqualTo("Image outside a class folder");
    }

    @Test
    void refusesCorruptAndEmptyArchives() {
        byte[] archive = zip(entries("a/1.png", png(gray(4, 4, 0)), "b/1.png", png(gray(4, 4, 9))));
        byte[] corrupt = archive.clone();
        for (int i = 40; i < 80; i++) {
            corrupt[i] ^= 0x5a;
        }
        InvalidDatasetException e = catchThrowableOfType(InvalidDatasetException.class,
                () -> ImageZipParser.parse(source(part("file", corrupt)), SAME_SIZE, new TestData.Sink()));
        assertThat(e.properties()).containsEntry("part", "file");
        assertThat(problem(entries(), SAME_SIZE).title()).isEqualTo("Empty dataset");
    }

    @Test
    void stopsZipBombsByTotalSizeAndByRatio() {
        byte[] zeros = new byte[8 * 1024 * 1024];
        Map<String, byte[]> bomb = entries("a/1.png", zeros);
        InvalidDatasetException ratio = problem(bomb, SAME_SIZE);
        assertThat(ratio.title()).isEqualTo("Suspicious compression ratio");

        DatasetProperties small = new DatasetProperties(DataSize.ofMegabytes(1), DataSize.ofKilobytes(64), 100_000,
                1 << 20, DataSize.ofMegabytes(8));
        InvalidDatasetException total = catchThrowableOfType(InvalidDatasetException.class,
                () -> ImageZipParser.parse(source(part("file", zip(bomb)), small), SAME_SIZE, new TestData.Sink()));
        assertThat(total.title()).isEqualTo("Upload too large when decompressed");
    }

    @Test
    void stopsGzipBombs() {
        byte[] csv = "0,0,0,0,0,0,0,0,0,0\n".repeat(800_000).getBytes();
        InvalidDatasetException e = catchThrowableOfType(InvalidDatasetException.class,
                () -> CsvParser.parse(source(part("file", TestData.gzip(csv))),
                        new CsvParser.Options(null, true, (byte) ','), new TestData.Sink()));
        assertThat(e.title()).isEqualTo("Suspicious compression ratio");
    }

}
