package dev.trainyard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for tests against the running server: what a real client sends and
 * sees. It sends {@link #ADMIN_KEY} in {@code X-API-Key} unless made with another key or
 * none.
 */
public final class TestHttp {

    /**
     * The admin key of the default tenant (an operator key) that every test context
     * creates at start ({@code trainyard.security.bootstrap-api-key} in
     * {@code src/test/resources/config}).
     */
    public static final String ADMIN_KEY = "ty_7e57000000000001_only-for-tests-never-for-production-0000000";

    private static final HttpClient client = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(5))
        .build();

    private static final JsonMapper json = JsonMapper.builder().build();

    private final int port;

    private final String apiKey;

    /** A client that sends {@link #ADMIN_KEY}. */
    public TestHttp(int port) {
        this(port, ADMIN_KEY);
    }

    /** A client that sends {@code apiKey}, or no key at all when it is null. */
    public TestHttp(int port, String apiKey) {
        this.port = port;
        this.apiKey = apiKey;
    }

    public TestHttp withKey(String otherKey) {
        return new TestHttp(this.port, otherKey);
    }

    public TestHttp withoutKey() {
        return new TestHttp(this.port, null);
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
            .timeout(Duration.ofSeconds(30));
        return (this.apiKey != null) ? builder.header("X-API-Key", this.apiKey) : builder;
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    public static JsonNode json(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    public static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("");
    }

}
