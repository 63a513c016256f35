package dev.trainyard.system;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;

/**
 * Where the PostgreSQL tests find their server, decided once per JVM:
 *
 * <ol>
 * <li>{@code TRAINYARD_TEST_POSTGRES_URL} when set (CI sets it to the local server),
 * because an explicit choice wins;
 * <li>otherwise a Testcontainers PostgreSQL when a Docker engine answers;
 * <li>otherwise none: the tests are skipped, or fail when
 * {@code TRAINYARD_REQUIRE_POSTGRES=true}.
 * </ol>
 */
final class PostgresTestServer {

    static final String URL_VARIABLE = "TRAINYARD_TEST_POSTGRES_URL";
    static final String REQUIRE_VARIABLE = "TRAINYARD_REQUIRE_POSTGRES";

    enum Source {

        URL, DOCKER, NONE

    }

    private static volatile Source source;

    private PostgresTestServer() {
    }

    static Source source() {
        if (source == null) {
            synchronized (PostgresTestServer.class) {
                if (source == null) {
                    source = detect();
                }
            }
        }
        return source;
    }

    private static Source detect() {
        if (url() != null) {
            return Source.URL;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable() ? Source.DOCKER : Source.NONE;
        }
        catch (RuntimeException noDocker) {
            return Source.NONE;
        }
    }

    static String url() {
        String url = System.getenv(URL_VARIABLE);
        return url == null || url.isBlank() ? null : url.strip();
    }

    static boolean required() {
        return Boolean.parseBoolean(System.getenv(REQUIRE_VARIABLE));
    }

    /**
     * Creates a schema of its own on the server of {@code TRAINYARD_TEST_POSTGRES_URL}.
     */
    static String createSchema() {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("CREATE SCHEMA " + schema);
        return schema;
    }

    static void dropSchema(String schema) {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    /** The server's URL with {@code currentSchema} pointing at {@code schema}. */
    static String urlFor(String schema) {
        String url = url();
        if (url.toLowerCase(Locale.ROOT).contains("currentschema=")) {
            throw new IllegalStateException(
                    URL_VARIABLE + " must not name a currentSchema; each test context makes its own");
        }
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(url());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("PostgreSQL at " + URL_VARIABLE + " failed on: " + sql, ex);
        }
    }

}
