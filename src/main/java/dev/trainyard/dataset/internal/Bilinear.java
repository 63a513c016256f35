package dev.trainyard.dataset.internal;

/**
 * Bilinear resizing of planar 8-bit images with half-pixel centres: output pixel (y, x)
 * samples the source at ((y + 0.5) * H / h - 0.5, (x + 0.5) * W / w - 0.5), clamped to
 * the edges, as PyTorch's {@code interpolate(mode="bilinear", align_corners=False)}
 * without antialiasing.
 */
final class Bilinear {

    private Bilinear() {
    }

    /**
     * {@code planes} is (channels, height, width); the result (channels, toHeight,
     * toWidth).
     */
    static byte[] resize(byte[] planes, int channels, int height, int width, int toHeight, int toWidth) {
        byte[] out = new byte[channels * toHeight * toWidth];
        double scaleY = (double) height / toHeight;
        double scaleX = (double) width / toWidth;
        for (int y = 0; y < toHeight; y++) {
            double sy = Math.max(0, (y + 0.5) * scaleY - 0.5);
            int y0 = Math.min((int) sy, height - 1);
            int y1 = Math.min(y0 + 1, height - 1);
            double fy = sy - y0;
            for (int x = 0; x < toWidth; x++) {
                double sx = Math.max(0, (x + 0.5) * scaleX - 0.5);
                int x0 = Math.min((int) sx, width - 1);
                int x1 = Math.min(x0 + 1, width - 1);
                double fx = sx - x0;
                for (int c = 0; c < channels; c++) {
                    int base = c * height * width;
                    double top = (planes[base + y0 * width + x0] & 0xff) * (1 - fx)
                            + (planes[base + y0 * width + x1] & 0xff) * fx;
                    double bottom = (planes[base + y1 * width + x0] & 0xff) * (1 - fx)
                            + (planes[base + y1 * width + x1] & 0xff) * fx;
                    long value = Math.round(top * (1 - fy) + bottom * fy);
                    out[c * toHeight * toWidth + y * toWidth + x] = (byte) Math.min(255, Math.max(0, value));
                }
            }
        }
        return out;
    }

}
