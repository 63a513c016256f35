package dev.trainyard.dataset.internal;

/** How features are stored: one unsigned byte or one little-endian float32 per value. */
enum FeatureEncoding {

    UINT8(1), FLOAT32(4);

    private final int bytesPerValue;

    FeatureEncoding(int bytesPerValue) {
        this.bytesPerValue = bytesPerValue;
    }

    public int bytesPerValue() {
        return bytesPerValue;
    }

}
