package dev.trainyard.prediction.batch;

import dev.trainyard.system.ApiException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * The formats of a batch's results: CSV or JSON Lines, chosen by {@code ?format=}, else
 * by the {@code Accept} header (the first acceptable type by quality; CSV when anything
 * goes or nothing is said).
 */
enum ResultFormat {

    CSV("csv", "text/csv"), JSONL("jsonl", "application/jsonl");

    static final MediaType TEXT_CSV = MediaType.parseMediaType("text/csv");

    static final MediaType APPLICATION_JSONL = MediaType.parseMediaType("application/jsonl");

    static final MediaType APPLICATION_NDJSON = MediaType.parseMediaType("application/x-ndjson");

    private final String name;

    private final String mediaType;

    ResultFormat(String name, String mediaType) {
        this.name = name;
        this.mediaType = mediaType;
    }

    /** The file name's extension. */
    String extension() {
        return name;
    }

    /** A format and the content type to answer it with. */
    record Choice(ResultFormat format, MediaType contentType) {
    }

    static Choice choose(String format, String accept) {
        if (format != null) {
            for (ResultFormat f : values()) {
                if (f.name.equals(format.toLowerCase(Locale.ROOT))) {
                    return new Choice(f, MediaType.parseMediaType(f.mediaType));
                }
            }
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid format", "format must be csv or jsonl.")
                .with("parameter", "format");
        }
        if (accept == null || accept.isBlank()) {
            return new Choice(CSV, TEXT_CSV);
        }
        List<MediaType> accepted;
        try {
            accepted = MediaType.parseMediaTypes(accept);
        }
        catch (InvalidMediaTypeException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid Accept header",
                    "The Accept header could not be parsed: " + e.getMessage());
        }
        accepted = new ArrayList<>(accepted);
        accepted.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType type : accepted) {
            if (type.getQualityValue() == 0) {
                continue;
            }
            for (MediaType offered : List.of(TEXT_CSV, APPLICATION_JSONL, APPLICATION_NDJSON)) {
                if (type.includes(offered)) {
                    return new Choice(offered == TEXT_CSV ? CSV : JSONL, offered);
                }
            }
        }
        throw new ApiException(HttpStatus.NOT_ACCEPTABLE, "Not acceptable",
                "Results come as text/csv, application/jsonl or application/x-ndjson; the Accept header allows none "
                        + "of them. ?format=csv or ?format=jsonl picks one.");
    }

}
