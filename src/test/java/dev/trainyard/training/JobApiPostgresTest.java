package dev.trainyard.training;

import dev.trainyard.TestHttp;
import dev.trainyard.model.ModelRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import dev.trainyard.system.PostgresTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The jobs API on PostgreSQL. */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobApiPostgresTest implements JobApiChecks {

    @LocalServerPort
    int port;

    @Autowired
    ModelRegistry models;

    @Override
    public JobClient client() {
        return new JobClient(new TestHttp(port));
    }

    @Override
    public ModelRegistry models() {
        return models;
    }

}
