package dev.trainyard.system;

import dev.trainyard.TestHttp;
import dev.trainyard.TrainyardApplication;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A further application on the database of a test's context, as another instance of the
 * cluster: its own web server on a random port, its own caches and limits, the same
 * tables. Give it the settings that the test's context runs with, so the two differ only
 * in being two.
 */
public final class AnotherInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private AnotherInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /**
     * Starts it on {@code database} with {@code properties} ({@code name=value}) on top
     * of the test configuration.
     */
    public static AnotherInstance start(JdbcConnectionDetails database, String... properties) {
        return new AnotherInstance(new SpringApplicationBuilder(TrainyardApplication.class)
            .run(arguments(database, properties).toArray(String[]::new)));
    }

    /**
     * Starts it in a JVM of its own, which a test may kill as a crash would, with its
     * output in {@code log}; the same arguments as {@link #start}.
     */
    public static Process startJvm(JdbcConnectionDetails database, Path log, String... properties) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TrainyardApplication.class.getName());
        command.addAll(arguments(database, properties));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * The settings of a worker named {@code name} that claims work every 200 ms and is
     * given up for dead after 4 missed heartbeats of 1 s: for tests that kill one.
     */
    public static String[] quickWorker(String name) {
        return new String[] { "trainyard.worker.name=" + name, "trainyard.worker.polling-interval=200ms",
                "trainyard.worker.heartbeat-interval=1s", "trainyard.worker.missed-heartbeats=4" };
    }

    private static List<String> arguments(JdbcConnectionDetails database, String... properties) {
        List<String> args = new ArrayList<>();
        args.add("--spring.datasource.url=" + database.getJdbcUrl());
        if (database.getUsername() != null) {
            args.add("--spring.datasource.username=" + database.getUsername());
            args.add("--spring.datasource.password=" + database.getPassword());
        }
        args.add("--server.port=0");
        // the database has its bootstrap key already, created by the test's context
        args.add("--trainyard.security.bootstrap-api-key=");
        for (String property : properties) {
            args.add("--" + property);
        }
        return args;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** A client of this instance that sends {@link TestHttp#ADMIN_KEY}. */
    public TestHttp http() {
        return new TestHttp(port());
    }

    @Override
    public void close() {
        context.close();
    }

}
