package dev.trainyard.security.internal;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /api/v1/datasets} of a small CSV with two classes, as curl -F would send
 * it.
 */
final class CsvUpload {

    private static final String BOUNDARY = "----trainyard-security-test";

    private CsvUpload() {
    }

    /**
     * {@code rows} examples of two float features and a label: 12 bytes each once stored
     * (two float32 features and one int32 label).
     */
    static HttpRequest.Builder of(HttpRequest.Builder request, int rows) {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < rows; i++) {
            csv.append(i).append(',').append(-i).append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
        }
        String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nparity\r\n" + "--"
                + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"parity.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n" + csv + "\r\n--" + BOUNDARY + "--\r\n";
        return request.header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }

}
