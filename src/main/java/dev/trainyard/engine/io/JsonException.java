package dev.trainyard.engine.io;

/**
 * Malformed JSON, or a value that JSON cannot represent; the message says what and where.
 */
public final class JsonException extends IllegalArgumentException {

    public JsonException(String message) {
        super(message);
    }

}
