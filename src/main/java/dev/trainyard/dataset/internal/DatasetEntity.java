package dev.trainyard.dataset.internal;

import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** A stored dataset's description; its content lives in {@link DatasetChunk}s. */
@Entity
@Table(name = "datasets")
public class DatasetEntity {

    @Id
    private UUID id;

    /** The owner; every query of the module filters by it. */
    @Column(name = "tenant_id")
    private UUID tenantId;

    private String name;

    @Enumerated(EnumType.STRING)
    private DatasetFormat format;

    private int examples;

    /** Dimensions joined by commas, e.g. {@code 1,28,28}. */
    @Column(name = "feature_shape")
    private String featureShape;

    @Enumerated(EnumType.STRING)
    @Column(name = "feature_encoding")
    private FeatureEncoding featureEncoding;

    private String sha256;

    @Column(name = "size_bytes")
    private long sizeBytes;

    @Column(name = "created_at")
    private Instant createdAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "dataset_classes", joinColumns = @JoinColumn(name = "dataset_id"))
    @OrderColumn(name = "class_index")
    private List<DatasetClass> classes = new ArrayList<>();

    protected DatasetEntity() {
    }

    /**
     * A dataset whose content is being written. Its row exists from the start so the
     * chunks can reference it; {@link #complete} fills in what the content revealed
     * before the transaction commits, so no other transaction ever sees it incomplete.
     */
    static DatasetEntity pending(UUID id, UUID tenantId, String name, DatasetFormat format, Instant createdAt) {
        DatasetEntity d = new DatasetEntity();
        d.id = id;
        d.tenantId = tenantId;
        d.name = name;
        d.format = format;
        d.createdAt = createdAt;
        d.featureShape = "";
        d.featureEncoding = FeatureEncoding.UINT8;
        d.sha256 = "";
        return d;
    }

    void complete(ParsedDataset parsed, String sha256, long sizeBytes) {
        this.examples = parsed.examples();
        this.featureShape = Arrays.stream(parsed.featureShape())
            .mapToObj(Integer::toString)
            .collect(Collectors.joining(","));
        this.featureEncoding = parsed.encoding();
        this.sha256 = sha256;
        this.sizeBytes = sizeBytes;
        int[] counts = parsed.classCounts();
        this.classes = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            classes.add(new DatasetClass(parsed.classes().get(c), counts[c]));
        }
    }

    public UUID id() {
        return id;
    }

    public UUID tenantId() {
        return tenantId;
    }

    public String name() {
        return name;
    }

    public DatasetFormat format() {
        return format;
    }

    public int examples() {
        return examples;
    }

    public int[] featureShape() {
        return Arrays.stream(featureShape.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    public FeatureEncoding featureEncoding() {
        return featureEncoding;
    }

    public String sha256() {
        return sha256;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public List<DatasetClass> classes() {
        return List.copyOf(classes);
    }

}
