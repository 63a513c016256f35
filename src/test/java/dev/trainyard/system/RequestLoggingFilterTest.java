package dev.trainyard.system;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** One INFO line per request, except actuator calls and successful predictions. */
class RequestLoggingFilterTest {

    final Logger logger = (Logger) LoggerFactory.getLogger("dev.trainyard.http");

    final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    Level before;

    @BeforeEach
    void attach() {
        before = logger.getLevel();
        logger.setLevel(Level.INFO);
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(lines);
        logger.setLevel(before);
    }

    void call(String method, String uri, int status) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.setStatus(status);
        new RequestLoggingFilter().doFilter(request, response, new MockFilterChain());
    }

    @Test
    void successfulPredictionsAndActuatorCallsStayOutOfTheInfoLog() throws Exception {
        call("POST", "/api/v1/models/0b9e/predictions", 200);
        call("POST", "/api/v1/ensembles/0b9e/predictions", 200);
        call("POST", "/api/v1/registered-models/fashion@champion/predictions", 200);
        call("POST", "/v2/models/fashion/infer", 200);
        call("GET", "/actuator/health", 200);
        call("GET", "/v2/health/ready", 200);
        assertThat(lines.list).isEmpty();
    }

    @Test
    void otherRequestsAndFailedPredictionsAreLoggedWithoutQueryStrings() throws Exception {
        call("GET", "/api/v1/jobs", 200);
        call("POST", "/api/v1/models/0b9e/predictions", 422);
        call("POST", "/v2/models/fashion/infer", 400);
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
            .satisfiesExactly(line -> assertThat(line).matches("GET /api/v1/jobs 200 \\d+ms"),
                    line -> assertThat(line).matches("POST /api/v1/models/0b9e/predictions 422 \\d+ms"),
                    line -> assertThat(line).matches("POST /v2/models/fashion/infer 400 \\d+ms"));
        assertThat(lines.list).allMatch(e -> e.getLevel() == Level.INFO);
    }

}
