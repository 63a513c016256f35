package dev.trainyard.prediction;

import dev.trainyard.model.ModelRegistry;
import dev.trainyard.system.PostgresTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/** Ensembles on PostgreSQL. */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trainyard.prediction.max-instances=50", "trainyard.security.rate-limits.predictions-per-second=0" })
class EnsemblesPostgresTest implements EnsembleChecks {

    @Autowired
    Ensembles ensembles;

    @Autowired
    ModelRegistry registry;

    @Autowired
    JdbcTemplate jdbc;

    @Override
    public Ensembles ensembles() {
        return ensembles;
    }

    @Override
    public ModelRegistry registry() {
        return registry;
    }

    @Override
    public JdbcTemplate jdbc() {
        return jdbc;
    }

}
