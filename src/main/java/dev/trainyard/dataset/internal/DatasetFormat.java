package dev.trainyard.dataset.internal;

import java.util.Locale;

/** The upload formats, named as clients name them in the {@code format} part. */
public enum DatasetFormat {

    CSV, IDX, IMAGES;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The format named {@code id} ({@code csv}, {@code idx} or {@code images}), or null
     * if none is.
     */
    public static DatasetFormat fromId(String id) {
        for (DatasetFormat f : values()) {
            if (f.id().equalsIgnoreCase(id.strip())) {
                return f;
            }
        }
        return null;
    }

}
