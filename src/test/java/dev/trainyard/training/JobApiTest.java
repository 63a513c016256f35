package dev.trainyard.training;

import dev.trainyard.TestHttp;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The jobs API on the default database (H2). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobApiTest implements JobApiChecks {

    @LocalServerPort
    int port;

    @Override
    public JobClient client() {
        return new JobClient(new TestHttp(port));
    }

}
