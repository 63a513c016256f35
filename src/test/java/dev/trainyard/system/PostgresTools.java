package dev.trainyard.system;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The machine's PostgreSQL client programs ({@code pg_dump}, {@code pg_restore}) and
 * whole databases on the server of {@code TRAINYARD_TEST_POSTGRES_URL}, for tests that
 * need more than a schema of their own.
 */
final class PostgresTools {

    private final Path bin;

    private PostgresTools(Path bin) {
        this.bin = bin;
    }

    /**
     * The newest {@code /usr/lib/postgresql/<version>/bin} holding both programs, else
     * the directory of {@code pg_dump} on the {@code PATH}; empty when there is neither.
     */
    static Optional<PostgresTools> find() {
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            versions.map(v -> v.resolve("bin"))
                .sorted(Comparator.comparing(PostgresTools::majorVersion).reversed())
                .forEach(candidates::add);
        }
        catch (IOException none) {
            // no Debian-style installation
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                candidates.add(Path.of(dir));
            }
        }
        return candidates.stream()
            .filter(dir -> Files.isExecutable(dir.resolve("pg_dump")) && Files.isExecutable(dir.resolve("pg_restore")))
            .findFirst()
            .map(PostgresTools::new);
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        }
        catch (NumberFormatException notANumber) {
            return -1;
        }
    }

    Path bin() {
        return bin;
    }

    /**
     * {@code pg_dump --format=custom} of {@code database} into {@code file}; fails with
     * the program's output unless it succeeds.
     */
    void dump(String database, Path file) throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_dump").toString(), "--format=custom", "--file=" + file,
                "--dbname=" + libpqUri(database)));
    }

    /** {@code pg_restore} of {@code file} into the empty {@code database}. */
    void restore(Path file, String database) throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_restore").toString(), "--exit-on-error", "--no-owner",
                "--dbname=" + libpqUri(database), file.toString()));
    }

    /** The JDBC URL of {@code database} on the test server. */
    static String jdbcUrl(String database) {
        return "jdbc:" + libpqUri(database);
    }

    static void createDatabase(String database) {
        execute("CREATE DATABASE " + database);
    }

    static void dropDatabase(String database) {
        execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    /**
     * The server URL with another database: {@code postgresql://host:port/db?user=...},
     * which libpq and, prefixed with {@code jdbc:}, the JDBC driver both read.
     */
    private static String libpqUri(String database) {
        URI server = URI.create(PostgresTestServer.url().substring("jdbc:".length()));
        return server.getScheme() + "://" + server.getAuthority() + "/" + database
                + (server.getRawQuery() != null ? "?" + server.getRawQuery() : "");
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(command.getFirst() + " failed: " + new String(output));
        }
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(PostgresTestServer.url());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("PostgreSQL at " + PostgresTestServer.URL_VARIABLE + " failed on: " + sql,
                    ex);
        }
    }

}
