package dev.trainyard.dataset.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads a ZIP archive with one folder per class of PNG or JPEG images into uint8 features
 * shaped (C, H, W), planar, in archive order. The class of an image is the name of the
 * folder holding it (so a single enclosing folder, as zipping a directory makes, does no
 * harm). Entries whose name starts with a dot and macOS {@code __MACOSX/} metadata are
 * skipped; every other file must be an image.
 *
 * <p>
 * The first image decides the channels: grayscale gives C = 1, colour C = 3. Later
 * grayscale images are repeated over three channels in a colour dataset; a later colour
 * image in a grayscale dataset is accepted only if its three channels are equal. Without
 * {@code resize} every image must have the first one's size; with it each is resized
 * bilinearly (half-pixel centres, as PyTorch's
 * {@code interpolate(mode="bilinear", align_corners=False)} without antialiasing).
 */
final class ImageZipParser {

    /** {@code resize} = {@code HxW}, or null to require one size. */
    public record Options(Size resize) {
    }

    public record Size(int height, int width) {

        private static final Pattern FORMAT = Pattern.compile("\\s*(\\d{1,5})\\s*[xX]\\s*(\\d{1,5})\\s*");

        /**
         * Parses {@code HxW}, e.g. {@code 28x28}; null if the text is not of that form.
         */
        public static Size parse(String text) {
            var m = FORMAT.matcher(text);
            if (!m.matches()) {
                return null;
            }
            return new Size(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
    }

    private static final int MAX_ENTRY_BYTES = 64 * 1024 * 1024;

    private ImageZipParser() {
    }

    public static ParsedDataset parse(PartSource source, Options options, FeatureSink sink) {
        String part = source.name();
        LabelCollector labels = new LabelCollector();
        Layout layout = null;
        try (HashingInputStream raw = source.openArchive();
                ZipInputStream zip = new ZipInputStream(new BufferedInputStream(raw, 1 << 16))) {
            InflationGuard content = new InflationGuard(zip, raw::count, source.limits(), part);
            ZipEntry entry;
            while ((entry = nextEntry(zip, part)) != null) {
                String name = entry.getName();
                String className = classOf(name, part);
                if (entry.isDirectory() || className == null) {
                    content.transferTo(OutputStream.nullOutputStream());
                    continue;
                }
                byte[] bytes = content.readNBytes(MAX_ENTRY_BYTES + 1);
                if (bytes.length > MAX_ENTRY_BYTES) {
                    throw new InvalidDatasetException(part, "Image too large",
                            "Entry '" + name + "' is larger than " + MAX_ENTRY_BYTES + " bytes.")
                        .with("entry", name);
                }
                DecodedImage image = DecodedImage.decode(bytes, name, part, source.limits().maxImagePixels());
                if (layout == null) {
                    layout = Layout.of(image, options.resize(), name);
                }
                sink.writeBytes(layout.pixels(image, name, part), 0, layout.size());
                labels.add(className);
            }
        }
        catch (IOException e) {
            throw PartSource.corrupt(part, "Corrupt ZIP archive", e);
        }
        if (layout == null) {
            throw new InvalidDatasetException(part, "Empty dataset",
                    "Part '" + part + "' holds no images (expected a ZIP with one folder per class).");
        }
        return labels.finish(new int[] { layout.channels, layout.height, layout.width }, FeatureEncoding.UINT8);
    }

    private static ZipEntry nextEntry(ZipInputStream zip, String part) throws IOException {
        try {
            return zip.getNextEntry();
        }
        catch (IllegalArgumentException e) {
            // an entry name that is not valid UTF-8
            throw new InvalidDatasetException(part, "Corrupt ZIP archive",
                    "Part '" + part + "' has an entry whose name cannot be decoded.", e);
        }
    }

    /**
     * The class folder of an entry, or null for entries to skip; refuses names that could
     * escape a directory ({@code ..} segments, absolute paths, drive letters).
     */
    static String classOf(String name, String part) {
        String path = name.replace('\\', '/');
        String[] segments = path.split("/", -1);
        boolean unsafe = path.startsWith("/") || path.matches("^[A-Za-z]:.*");
        for (String segment : segments) {
            unsafe |= segment.equals("..");
        }
        if (unsafe) {
            throw new InvalidDatasetException(part, "Unsafe ZIP entry",
                    "Entry '" + name + "' has an absolute path or a '..' segment.")
                .with("entry", name);
        }
        String file = segments[segments.length - 1];
        if (path.endsWith("/") || file.startsWith(".") || segments[0].equals("__MACOSX")) {
            return null;
        }
        if (segments.length < 2 || segments[segments.length - 2].isEmpty()) {
            throw new InvalidDatasetException(part, "Image outside a class folder", "Entry '" + name
                    + "' is not inside a folder; put each class's images in a folder" + " named after the class.")
                .with("entry", name);
        }
        return segments[segments.length - 2];
    }

    /** Channels and size of every example, fixed by the first image and the options. */
    private record Layout(int channels, int height, int width, boolean resize, String firstEntry) {

        static Layout of(DecodedImage first, Size resize, String entry) {
            int channels = first.gray() ? 1 : 3;
            if (resize != null) {
                return new Layout(channels, resize.height(), resize.width(), true, entry);
            }
            return new Layout(channels, first.height(), first.width(), false, entry);
        }

        int size() {
            return channels * height * width;
        }

        byte[] pixels(DecodedImage image, String entry, String part) {
            if (!resize && (image.height() != height || image.width() != width)) {
                throw new InvalidDatasetException(part, "Images of different sizes",
                        "Entry '" + entry + "' is " + image.height() + "x" + image.width() + " (HxW) but '" + firstEntry
                                + "' is " + height + "x" + width + "; resize them or pass resize=HxW.")
                    .with("entry", entry);
            }
            byte[] planes = image.planes();
            int sourceChannels = image.gray() ? 1 : 3;
            if (channels == 1 && sourceChannels == 3) {
                planes = DecodedImage.grayIfEqualChannels(planes, image.height() * image.width());
                if (planes == null) {
                    throw new InvalidDatasetException(part, "Colour image in a grayscale dataset",
                            "Entry '" + entry + "' is in colour but the first image, '" + firstEntry
                                    + "', is grayscale; use one kind for all images.")
                        .with("entry", entry);
                }
                sourceChannels = 1;
            }
            if (image.height() != height || image.width() != width) {
                planes = Bilinear.resize(planes, sourceChannels, image.height(), image.width(), height, width);
            }
            if (channels == 3 && sourceChannels == 1) {
                byte[] rgb = new byte[3 * height * width];
                for (int c = 0; c < 3; c++) {
                    System.arraycopy(planes, 0, rgb, c * height * width, height * width);
                }
                planes = rgb;
            }
            return planes;
        }
    }

}
