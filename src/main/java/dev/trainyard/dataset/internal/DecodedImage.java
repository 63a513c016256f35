package dev.trainyard.dataset.internal;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * A PNG or JPEG decoded with {@code javax.imageio} into planar 8-bit channels: one plane
 * for a grayscale image (raw samples, rescaled to 8 bits; never run through a colour
 * conversion, which would gamma-correct them), three (R, G, B) for anything else (alpha
 * dropped).
 */
record DecodedImage(int height, int width, boolean gray, byte[] planes) {

    private static final Set<String> FORMATS = Set.of("png", "jpeg", "jpg");

    static DecodedImage decode(byte[] bytes, String entry, String part, long maxPixels) {
        ImageReader reader = null;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            while (readers.hasNext() && reader == null) {
                ImageReader candidate = readers.next();
                if (FORMATS.contains(candidate.getFormatName().toLowerCase(Locale.ROOT))) {
                    reader = candidate;
                }
            }
            if (reader == null) {
                throw unreadable(entry, part, "it is not a PNG or JPEG image");
            }
            reader.setInput(in, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0 || (long) width * height > maxPixels) {
                throw unreadable(entry, part, "its size " + height + "x" + width + " exceeds " + maxPixels
                        + " pixels (trainyard.datasets.max-image-pixels)");
            }
            return of(reader.read(0));
        }
        catch (InvalidDatasetException e) {
            throw e;
        }
        catch (IOException | RuntimeException e) {
            // Decoders report damaged files with all sorts of exceptions; all mean the
            // same here.
            throw unreadable(entry, part, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        finally {
            if (reader != null) {
                reader.dispose();
            }
        }
    }

    static DecodedImage of(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int pixels = width * height;
        ColorModel model = image.getColorModel();
        if (model.getNumColorComponents() == 1) {
            Raster raster = image.getRaster();
            int[] samples = raster.getSamples(0, 0, width, height, 0, (int[]) null);
            int bits = model.getComponentSize(0);
            long max = (1L << bits) - 1;
            byte[] plane = new byte[pixels];
            for (int i = 0; i < pixels; i++) {
                plane[i] = (byte) (bits == 8 ? samples[i] : (samples[i] * 255L + max / 2) / max);
            }
            return new DecodedImage(height, width, true, plane);
        }
        int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
        byte[] planes = new byte[3 * pixels];
        for (int i = 0; i < pixels; i++) {
            planes[i] = (byte) (argb[i] >>> 16);
            planes[pixels + i] = (byte) (argb[i] >>> 8);
            planes[2 * pixels + i] = (byte) argb[i];
        }
        return new DecodedImage(height, width, false, planes);
    }

    /** The single plane of an RGB image whose three planes are equal, else null. */
    static byte[] grayIfEqualChannels(byte[] rgb, int pixels) {
        for (int i = 0; i < pixels; i++) {
            if (rgb[i] != rgb[pixels + i] || rgb[i] != rgb[2 * pixels + i]) {
                return null;
            }
        }
        return java.util.Arrays.copyOf(rgb, pixels);
    }

    private static InvalidDatasetException unreadable(String entry, String part, String reason) {
        return new InvalidDatasetException(part, "Unreadable image",
                "Entry '" + entry + "' cannot be used: " + reason + ".")
            .with("entry", entry);
    }
}
