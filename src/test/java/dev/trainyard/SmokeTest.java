package dev.trainyard;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The whole application on a random port with the embedded database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SmokeTest implements SmokeChecks {

    @LocalServerPort
    int port;

    @Override
    public TestHttp http() {
        return new TestHttp(port);
    }

}
