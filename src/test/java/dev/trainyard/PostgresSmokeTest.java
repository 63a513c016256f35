package dev.trainyard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.system.PostgresTest;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The whole application on real PostgreSQL: the smoke checks, and every migration
 * applied.
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PostgresSmokeTest implements SmokeChecks {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Flyway flyway;

    @Override
    public TestHttp http() {
        return new TestHttp(port);
    }

    @Test
    void runsOnPostgresql() {
        String product = jdbc
            .execute((java.sql.Connection connection) -> connection.getMetaData().getDatabaseProductName());

        assertThat(product).isEqualTo("PostgreSQL");
    }

    @Test
    void appliesEveryMigrationToAFreshSchema() {
        MigrationInfo[] applied = flyway.info().applied();

        assertThat(applied).isNotEmpty().allSatisfy(migration -> assertThat(migration.getState().isApplied()).isTrue());
        assertThat(flyway.info().pending()).isEmpty();
        Integer history = jdbc.queryForObject(
                "select count(*) from flyway_schema_history where success and version is not null", Integer.class);
        assertThat(history).isEqualTo(applied.length);
    }

}
