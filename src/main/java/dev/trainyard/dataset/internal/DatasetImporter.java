package dev.trainyard.dataset.internal;

import dev.trainyard.dataset.DatasetUpload;
import dev.trainyard.dataset.UploadPart;
import dev.trainyard.security.QuotaService;
import dev.trainyard.system.ApiException;
import dev.trainyard.system.NulCharacters;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Turns an upload into a stored dataset: checks the request (400), detects the format,
 * streams the parts through the matching parser into chunks and records what the content
 * revealed. Runs inside the caller's transaction, so any failure leaves no row behind.
 */
@Component
public class DatasetImporter {

    static final int MAX_NAME = 200;
    static final int MAX_CLASSES = 10_000;
    static final int MAX_RESIZE = 4096;

    private final DatasetStore store;

    private final DatasetProperties properties;

    private final QuotaService quotas;

    DatasetImporter(DatasetStore store, DatasetProperties properties, QuotaService quotas) {
        this.store = store;
        this.properties = properties;
        this.quotas = quotas;
    }

    /**
     * Stores the upload as a dataset of {@code tenantId}. Refuses (409) when the stored
     * content would pass the tenant's dataset quota; the caller's transaction then rolls
     * back every chunk.
     */
    public DatasetEntity importDataset(UUID tenantId, DatasetUpload upload) {
        MessageDigest digest = sha256();
        DatasetFormat format = format(upload, digest);
        String name = name(upload);
        // Validate every option before anything is written.
        CsvParser.Options csv = format == DatasetFormat.CSV ? csvOptions(upload) : null;
        ImageZipParser.Options images = format == DatasetFormat.IMAGES ? imageOptions(upload) : null;

        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        DatasetEntity dataset = store
            .insertPending(DatasetEntity.pending(UUID.randomUUID(), tenantId, name, format, now));
        int chunkSize = (int) properties.chunkSize().toBytes();
        String featurePart = format == DatasetFormat.IDX ? "images" : "file";
        ChunkWriter features = new ChunkWriter(store, dataset.id(), DatasetChunk.FEATURES, chunkSize, featurePart);
        ParsedDataset parsed = switch (format) {
            case CSV -> CsvParser.parse(source(upload.file(), digest), csv, features);
            case IDX -> IdxParser.parse(source(upload.images(), digest), source(upload.labels(), digest), features);
            case IMAGES -> ImageZipParser.parse(source(upload.file(), digest), images, features);
        };
        check(parsed, featurePart);
        long featureBytes = features.finish();

        ChunkWriter labels = new ChunkWriter(store, dataset.id(), DatasetChunk.LABELS, chunkSize, featurePart);
        labels.writeInts(parsed.labels(), 0, parsed.examples());
        long labelBytes = labels.finish();
        // counted under the tenant's quota lock, held until commit, so concurrent uploads
        // pass this check one at a time; the new dataset's own row still has size 0 here,
        // so the sum is what the tenant stored before
        quotas.checkDatasetBytes(tenantId, () -> store.storedBytes(tenantId), featureBytes + labelBytes);

        dataset.complete(parsed, HexFormat.of().formatHex(digest.digest()), featureBytes + labelBytes);
        return dataset;
    }

    private static void check(ParsedDataset parsed, String part) {
        if (parsed.examples() == 0) {
            throw new InvalidDatasetException(part, "Empty dataset", "Part '" + part + "' holds no examples.");
        }
        if (parsed.classes().size() < 2) {
            throw new InvalidDatasetException(part, "Single class", "Every example has the label '"
                    + parsed.classes().getFirst() + "'; a classifier needs at least two classes.")
                .with("classes", parsed.classes());
        }
        if (parsed.classes().size() > MAX_CLASSES) {
            throw new InvalidDatasetException(part, "Too many classes", "The labels name " + parsed.classes().size()
                    + " classes, more than " + MAX_CLASSES + "; is the label column right?");
        }
        for (String name : parsed.classes()) {
            if (NulCharacters.contains(name)) {
                throw new InvalidDatasetException(part, "Invalid class name",
                        "A class name holds the NUL character (U+0000), which names may not contain.");
            }
            if (name.length() > MAX_NAME) {
                throw new InvalidDatasetException(part, "Class name too long",
                        "A class name is longer than " + MAX_NAME + " characters: '" + name.substring(0, 40) + "...'.");
            }
        }
    }

    private DatasetFormat format(DatasetUpload upload, MessageDigest digest) {
        DatasetFormat format;
        if (upload.format() != null && !upload.format().isBlank()) {
            format = DatasetFormat.fromId(upload.format());
            if (format == null) {
                throw badRequest("format", "Unknown format",
                        "Format '" + abbreviate(upload.format()) + "' is not one of csv, idx, images.");
            }
        }
        else {
            format = detect(upload, digest);
        }
        if (format == DatasetFormat.IDX && (upload.images() == null || upload.labels() == null)) {
            throw badRequest(upload.images() == null ? "images" : "labels", "Missing part",
                    "An IDX upload needs the parts 'images' and 'labels'.");
        }
        if (format != DatasetFormat.IDX && upload.file() == null) {
            throw badRequest("file", "Missing part", "A " + format.id() + " upload needs the part 'file'.");
        }
        return format;
    }

    /**
     * From the leading bytes (inside gzip if gzipped): IDX magic, ZIP magic, else CSV.
     */
    private DatasetFormat detect(DatasetUpload upload, MessageDigest digest) {
        UploadPart part = upload.file() != null ? upload.file() : upload.images();
        if (part == null) {
            throw badRequest("file", "Missing part",
                    "Send the data in a part 'file' (CSV or ZIP of images) or 'images' and 'labels' (IDX).");
        }
        byte[] head = source(part, digest).peek(4);
        if (head.length == 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08 && (head[3] == 3 || head[3] == 1)) {
            return DatasetFormat.IDX;
        }
        if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
            return DatasetFormat.IMAGES;
        }
        return DatasetFormat.CSV;
    }

    private static CsvParser.Options csvOptions(DatasetUpload upload) {
        String d = upload.delimiter();
        byte delimiter;
        if (d == null || d.isEmpty() || d.equals(",")) {
            delimiter = ',';
        }
        else if (d.equals(";")) {
            delimiter = ';';
        }
        else if (d.equals("\t") || d.equals("\\t") || d.equalsIgnoreCase("tab")) {
            delimiter = '\t';
        }
        else {
            throw badRequest("delimiter", "Unsupported delimiter",
                    "Delimiter '" + abbreviate(d) + "' is not one of ',', ';' or a tab ('\\t' or 'tab').");
        }
        boolean header = upload.header() == null || upload.header();
        return new CsvParser.Options(upload.labelColumn(), header, delimiter);
    }

    private static ImageZipParser.Options imageOptions(DatasetUpload upload) {
        if (upload.resize() == null || upload.resize().isBlank()) {
            return new ImageZipParser.Options(null);
        }
        ImageZipParser.Size size = ImageZipParser.Size.parse(upload.resize());
        if (size == null || size.height() < 1 || size.width() < 1 || size.height() > MAX_RESIZE
                || size.width() > MAX_RESIZE) {
            throw badRequest("resize", "Invalid resize", "Resize '" + abbreviate(upload.resize())
                    + "' is not HxW with sides from 1 to " + MAX_RESIZE + ", e.g. 28x28.");
        }
        return new ImageZipParser.Options(size);
    }

    private static String name(DatasetUpload upload) {
        String name = upload.name();
        if (NulCharacters.contains(name)) {
            throw badRequest("name", "Invalid name", "A dataset name may not contain the NUL character (U+0000).");
        }
        if (name == null || name.isBlank()) {
            UploadPart part = upload.file() != null ? upload.file() : upload.images();
            name = part == null || part.filename() == null ? "" : part.filename().replace("\u0000", "");
            name = name.replaceAll("^.*[/\\\\]", "").replaceAll("(\\.[A-Za-z0-9-]{1,8})+$", "");
            if (name.isBlank()) {
                name = "dataset";
            }
        }
        name = name.strip();
        if (name.length() > MAX_NAME) {
            throw badRequest("name", "Name too long", "A dataset name has at most " + MAX_NAME + " characters.");
        }
        return name;
    }

    private PartSource source(UploadPart part, MessageDigest digest) {
        return new PartSource(part, digest, properties);
    }

    private static ApiException badRequest(String part, String title, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, title, detail).with("part", part);
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

}
