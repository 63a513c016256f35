package dev.trainyard.dataset;

/**
 * The parts of {@code POST /api/v1/datasets}; every field may be null.
 *
 * @param name the dataset's name; defaults to the file name without extensions
 * @param format {@code csv}, {@code idx} or {@code images}; detected from the content
 * when null
 * @param file the CSV file or image ZIP
 * @param images the IDX images file
 * @param labels the IDX labels file
 * @param labelColumn CSV: name or 0-based index of the label column
 * @param header CSV: whether the first line names the columns (default true)
 * @param delimiter CSV: {@code ,} (default), {@code ;} or a tab ({@code \t} or
 * {@code tab})
 * @param resize images: {@code HxW} to resize every image to
 */
public record DatasetUpload(String name, String format, UploadPart file, UploadPart images, UploadPart labels,
        String labelColumn, Boolean header, String delimiter, String resize) {
}
