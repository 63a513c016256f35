package dev.trainyard.dataset;

import dev.trainyard.TestHttp;
import dev.trainyard.system.PostgresTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The dataset API on PostgreSQL: bytea chunks, the same migration, the same behaviour.
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "trainyard.datasets.chunk-size=4KB", "trainyard.datasets.max-upload-size=2MB" })
@Import(BlockingUsage.class)
class DatasetApiPostgresTest implements DatasetApiChecks {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DatasetService datasets;

    @Autowired
    BlockingUsage usage;

    @Override
    public TestHttp http() {
        return new TestHttp(port);
    }

    @Override
    public JdbcTemplate jdbc() {
        return jdbc;
    }

    @Override
    public DatasetService datasets() {
        return datasets;
    }

    @Override
    public BlockingUsage usage() {
        return usage;
    }

}
