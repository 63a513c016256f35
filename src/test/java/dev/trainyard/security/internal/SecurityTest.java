package dev.trainyard.security.internal;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** The security checks on the embedded database (the same context as the smoke tests). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SecurityTest implements SecurityChecks {

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
