package dev.trainyard.dataset.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of dataset uploads ({@code trainyard.datasets.*}).
 *
 * @param maxUploadSize largest upload; {@code spring.servlet.multipart.max-file-size} and
 * {@code max-request-size} are set from it, and larger requests answer 413
 * @param maxUncompressedSize most bytes a gzip part or a ZIP archive may inflate to
 * @param maxCompressionRatio most inflated bytes per compressed byte (checked past 1
 * MiB), the signature of a decompression bomb
 * @param maxImagePixels most pixels of one decoded image (width times height)
 * @param chunkSize size of the binary chunks a dataset is stored in, at most 8 MiB. The
 * default, 1 MiB, suits both databases: H2 keeps such values inside its B-tree pages and
 * rewrites a page with each insert, which costs far more CPU and heap with 8 MiB values
 */
@ConfigurationProperties("trainyard.datasets")
record DatasetProperties(@DefaultValue("512MB") DataSize maxUploadSize,
        @DefaultValue("2GB") DataSize maxUncompressedSize, @DefaultValue("100") int maxCompressionRatio,
        @DefaultValue("16777216") long maxImagePixels, @DefaultValue("1MB") DataSize chunkSize) {

    static final long MAX_CHUNK_BYTES = 8L * 1024 * 1024;

    public DatasetProperties {
        if (chunkSize.toBytes() <= 0 || chunkSize.toBytes() > MAX_CHUNK_BYTES || chunkSize.toBytes() % 4 != 0) {
            throw new IllegalArgumentException(
                    "trainyard.datasets.chunk-size must be a positive multiple of 4 bytes up to 8MB, got " + chunkSize);
        }
        if (maxCompressionRatio < 1) {
            throw new IllegalArgumentException("trainyard.datasets.max-compression-ratio must be at least 1");
        }
    }

    /** The defaults, for tests and tools that run without Spring. */
    public static DatasetProperties defaults() {
        return new DatasetProperties(DataSize.ofMegabytes(512), DataSize.ofGigabytes(2), 100, 16_777_216L,
                DataSize.ofMegabytes(1));
    }
}
