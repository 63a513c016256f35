package dev.trainyard.dataset.internal;

import dev.trainyard.system.ApiException;
import org.springframework.http.HttpStatus;

/**
 * Uploaded content that cannot become a dataset: 422 problem details naming the part and,
 * where they apply, the row (1-based line of a CSV file, header included), the column
 * (0-based, as {@code labelColumn} counts), the column's name, the ZIP entry or the
 * example. Parsers throw only this for bad content, so a malformed upload can never
 * surface as a server error.
 */
class InvalidDatasetException extends ApiException {

    public InvalidDatasetException(String part, String title, String detail) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, title, detail);
        with("part", part);
    }

    public InvalidDatasetException(String part, String title, String detail, Throwable cause) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, title, detail, cause);
        with("part", part);
    }

    @Override
    public InvalidDatasetException with(String name, Object value) {
        super.with(name, value);
        return this;
    }

}
