package dev.trainyard.system;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The database connection of {@link PostgresTest}: one of the two beans below, each a
 * Spring Boot connection details source, so it replaces {@code spring.datasource.*} for
 * the whole context (data source, Flyway, Hibernate).
 */
@TestConfiguration(proxyBeanMethods = false)
class PostgresTestConfiguration {

    /** A schema of its own on the shared server, dropped when the context closes. */
    @Bean
    @Conditional(OnServerUrl.class)
    SchemaOnSharedServer postgresSchemaOnSharedServer() {
        return new SchemaOnSharedServer(PostgresTestServer.createSchema());
    }

    /** A throwaway server of its own in Docker. */
    @Bean
    @ServiceConnection
    @Conditional(OnDocker.class)
    PostgreSQLContainer postgresContainer() {
        return new PostgreSQLContainer(DockerImageName.parse("postgres:17-alpine"));
    }

    static final class SchemaOnSharedServer implements JdbcConnectionDetails, DisposableBean {

        private final String schema;

        SchemaOnSharedServer(String schema) {
            this.schema = schema;
        }

        String schema() {
            return schema;
        }

        @Override
        public String getJdbcUrl() {
            return PostgresTestServer.urlFor(schema);
        }

        @Override
        public String getUsername() {
            return null; // in the URL (user=...), as TRAINYARD_TEST_POSTGRES_URL gives it
        }

        @Override
        public String getPassword() {
            return null;
        }

        /**
         * Runs after the data source has closed, since the data source depends on this
         * bean.
         */
        @Override
        public void destroy() {
            PostgresTestServer.dropSchema(schema);
        }

    }

    static final class OnServerUrl implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return PostgresTestServer.source() == PostgresTestServer.Source.URL;
        }

    }

    static final class OnDocker implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return PostgresTestServer.source() == PostgresTestServer.Source.DOCKER;
        }

    }

}
