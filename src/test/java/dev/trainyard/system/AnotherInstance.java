package dev.trainyard.system;

import dev.trainyard.TestHttp;
import dev.trainyard.TrainyardApplication;
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
        return new AnotherInstance(
                new SpringApplicationBuilder(TrainyardApplication.class).run(args.toArray(String[]::new)));
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
