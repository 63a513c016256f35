package dev.trainyard.dataset.internal;

/**
 * Where a parser streams the features of successive examples, row-major, without holding
 * them: unsigned bytes for byte-valued sources (IDX, images), float32 otherwise (CSV). A
 * parser uses one of the two methods for a whole dataset.
 */
interface FeatureSink {

    void writeBytes(byte[] values, int offset, int length);

    void writeFloats(float[] values, int offset, int length);

}
