package dev.trainyard.model;

import dev.trainyard.system.PostgresTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** The registry on PostgreSQL. */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trainyard.prediction.max-instances=50", "trainyard.security.rate-limits.predictions-per-second=0" })
class ModelRegistryPostgresTest implements ModelRegistryChecks {

    @Autowired
    ModelRegistry registry;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Override
    public ModelRegistry registry() {
        return registry;
    }

    @Override
    public JdbcTemplate jdbc() {
        return jdbc;
    }

    @Override
    public TransactionTemplate transactions() {
        return transactions;
    }

}
