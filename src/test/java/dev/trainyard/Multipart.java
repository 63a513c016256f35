package dev.trainyard;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A {@code multipart/form-data} request body as a browser or {@code curl -F} sends it:
 * text fields, JSON parts and files, a file from bytes or streamed from disk (so a large
 * upload never sits in the test's heap).
 */
public final class Multipart {

    private final String boundary = "----trainyard" + UUID.randomUUID().toString().replace("-", "");

    private final List<HttpRequest.BodyPublisher> parts = new ArrayList<>();

    /** A text field without content type, as {@code curl -F name=value} sends it. */
    public Multipart field(String name, String value) {
        return text(
                "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
    }

    /** A part of type {@code application/json}. */
    public Multipart json(String name, String value) {
        return text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
                + "\"\r\nContent-Type: application/json\r\n\r\n" + value + "\r\n");
    }

    /** A file of type {@code application/octet-stream}. */
    public Multipart file(String name, String filename, byte[] content) {
        return file(name, filename, "application/octet-stream", content);
    }

    public Multipart file(String name, String filename, String contentType, byte[] content) {
        fileHeader(name, filename, contentType);
        parts.add(HttpRequest.BodyPublishers.ofByteArray(content));
        return text("\r\n");
    }

    /** A file of type {@code application/octet-stream}, read from disk as it is sent. */
    public Multipart file(String name, String filename, Path content) {
        fileHeader(name, filename, "application/octet-stream");
        try {
            parts.add(HttpRequest.BodyPublishers.ofFile(content));
        }
        catch (FileNotFoundException ex) {
            throw new UncheckedIOException(ex);
        }
        return text("\r\n");
    }

    /**
     * {@code request} as a POST of this body; may be called again for a second request.
     */
    public HttpRequest.Builder post(HttpRequest.Builder request) {
        List<HttpRequest.BodyPublisher> all = new ArrayList<>(parts);
        all.add(publisher("--" + boundary + "--\r\n"));
        return request.header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.concat(all.toArray(HttpRequest.BodyPublisher[]::new)));
    }

    private void fileHeader(String name, String filename, String contentType) {
        text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
    }

    private Multipart text(String text) {
        parts.add(publisher(text));
        return this;
    }

    private static HttpRequest.BodyPublisher publisher(String text) {
        return HttpRequest.BodyPublishers.ofByteArray(text.getBytes(StandardCharsets.UTF_8));
    }

}
