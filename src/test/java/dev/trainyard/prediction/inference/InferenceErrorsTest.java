package dev.trainyard.prediction.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.ResponseEntity;

class InferenceErrorsTest {

    @Test
    void aDatabaseOutageIs503WithRetryAfterInTheProtocolsShape() {
        ResponseEntity<InferenceError> answer = new InferenceErrors()
            .handle((Exception) new DataAccessResourceFailureException("select from registered_models",
                    new SQLException("An I/O error occurred while sending to the backend", "08006")));

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("5");
        assertThat(answer.getBody().error()).contains("database").doesNotContain("I/O", "select");
    }

    @Test
    void anyOtherFailureIsStill500() {
        ResponseEntity<InferenceError> answer = new InferenceErrors().handle(new IllegalStateException("boom"));

        assertThat(answer.getStatusCode().value()).isEqualTo(500);
        assertThat(answer.getBody().error()).contains("errorId");
    }

}
