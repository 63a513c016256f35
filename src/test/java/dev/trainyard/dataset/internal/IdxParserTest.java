package dev.trainyard.dataset.internal;

import static dev.trainyard.dataset.internal.TestData.gzip;
import static dev.trainyard.dataset.internal.TestData.idxImages;
import static dev.trainyard.dataset.internal.TestData.idxLabels;
import static dev.trainyard.dataset.internal.TestData.part;
import static dev.trainyard.dataset.internal.TestData.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IdxParserTest {

    private static ParsedDataset parse(byte[] images, byte[] labels, TestData.Sink sink) {
        return IdxParser.parse(source(part("images", images)), source(part("labels", labels)), sink);
    }

    private static InvalidDatasetException problem(byte[] images, byte[] labels) {
        return catchThrowableOfType(InvalidDatasetException.class, () -> parse(images, labels, new TestData.Sink()));
    }

    @Test
    void readsImagesAsUnsignedBytesShapedOneHeightWidth() {
        TestData.Sink sink = new TestData.Sink();
        byte[] images = idxImages(3, 2, 4);
        ParsedDataset parsed = parse(images, idxLabels(9, 0, 9), sink);
        assertThat(parsed.featureShape()).containsExactly(1, 2, 4);
        assertThat(parsed.encoding()).isEqualTo(FeatureEncoding.UINT8);
        assertThat(sink.bytes.toByteArray()).isEqualTo(Arrays.copyOfRange(images, 16, images.length));
        assertThat(parsed.classes()).containsExactly("0", "9");
        assertThat(parsed.labels()).containsExactly(1, 0, 1);
    }

    @Test
    void readsGzippedParts() {
        TestData.Sink sink = new TestData.Sink();
        ParsedDataset parsed = parse(gzip(idxImages(2, 3, 3)), gzip(idxLabels(1, 2)), sink);
        assertThat(parsed.examples()).isEqualTo(2);
        assertThat(sink.bytes.size()).isEqualTo(18);
    }

    @Test
    void refusesAWrongMagicNumber() {
        InvalidDatasetException e = problem(idxLabels(1, 2), idxLabels(1, 2));
        assertThat(e.title()).isEqualTo("Wrong IDX magic number");
        assertThat(e.properties()).containsEntry("part", "images").containsEntry("magic", "0x00000801");
        assertThat(problem(idxImages(2, 2, 2), idxImages(2, 2, 2)).properties()).containsEntry("part", "labels");
    }

    @Test
    void refusesImagesAndLabelsOfDifferentCounts() {
        InvalidDatasetException e = problem(idxImages(3, 2, 2), idxLabels(0, 1));
        assertThat(e.title()).isEqualTo("Images and labels differ in number");
        assertThat(e.properties()).containsEntry("images", 3).containsEntry("labels", 2);
    }

    @Test
    void refusesTruncatedAndOverlongParts() {
        byte[] images = idxImages(3, 2, 2);
        InvalidDatasetException truncated = problem(Arrays.copyOf(images, images.length - 5), idxLabels(0, 1, 0));
        assertThat(truncated.title()).isEqualTo("IDX size mismatch");
        assertThat(truncated.properties()).containsEntry("example", 1);
        assertThat(problem(Arrays.copyOf(images, images.length + 1), idxLabels(0, 1, 0)).detail())
            .contains("more data than its header declares");
        assertThat(problem(Arrays.copyOf(images, 10), idxLabels(0, 1, 0)).title()).isEqualTo("Truncated IDX header");
        assertThat(problem(images, Arrays.copyOf(idxLabels(0, 1, 0), 10)).title()).isEqualTo("IDX size mismatch");
    }

    @Test
    void refusesNonPositiveDimensions() {
        byte[] images = idxImages(1, 1, 1);
        images[11] = 0; // height 0
        assertThat(problem(images, idxLabels(0)).title()).isEqualTo("Invalid IDX header");
    }

}
