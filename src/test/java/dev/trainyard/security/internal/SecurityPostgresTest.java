package dev.trainyard.security.internal;

import dev.trainyard.system.PostgresTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** The security checks on PostgreSQL (the same context as the PostgreSQL smoke test). */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SecurityPostgresTest implements SecurityChecks {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Override
    public int port() {
        return port;
    }

    @Override
    public ApplicationContext context() {
        return context;
    }

}
