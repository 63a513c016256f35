package dev.trainyard.system;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.annotation.Import;

/**
 * Marks a test class that needs real PostgreSQL. Every Spring test context built for such
 * a class connects to an empty database of its own, migrated by Flyway as at application
 * start:
 *
 * <ul>
 * <li>with {@code TRAINYARD_TEST_POSTGRES_URL} set (CI:
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}), a fresh schema
 * {@code t_<random>} on that server, named by the URL's {@code currentSchema} and dropped
 * when the context closes, so test classes and parallel runs never see each other's
 * tables;
 * <li>otherwise, where a Docker engine answers, a Testcontainers PostgreSQL per context,
 * wired by {@code @ServiceConnection};
 * <li>otherwise the test class is skipped with a message saying why, or fails when
 * {@code TRAINYARD_REQUIRE_POSTGRES=true} (CI sets it, so CI never skips them silently).
 * </ul>
 *
 * <p>
 * How a module puts its database tests on it: annotate the class and pick the test slice
 * as usual, for example
 * {@code @PostgresTest @SpringBootTest class CrashResumePostgresTest} for the full
 * application, or a {@code @Nested @PostgresTest} class beside an {@code OnH2} one when
 * the same checks run on both databases (see {@code dev.trainyard.training.JobApiTest}).
 * A JPA slice must keep the connection instead of swapping in an embedded database:
 * {@code @DataJpaTest} together with
 * {@code @AutoConfigureTestDatabase(replace = Replace.NONE)}.
 *
 * <p>
 * Keep the same configuration (annotations, properties) across such classes where you
 * can: Spring caches a context per configuration, and every new one costs a schema and a
 * Flyway run.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(PostgresTest.PostgresAvailable.class)
@Import(PostgresTestConfiguration.class)
public @interface PostgresTest {

    /**
     * Decides before any context starts, so that a missing server is a skip, not a
     * failure.
     */
    final class PostgresAvailable implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return switch (PostgresTestServer.source()) {
                case URL -> ConditionEvaluationResult.enabled("PostgreSQL at " + PostgresTestServer.URL_VARIABLE);
                case DOCKER -> ConditionEvaluationResult.enabled("PostgreSQL in a Testcontainers container");
                case NONE -> {
                    String why = "No PostgreSQL for tests: " + PostgresTestServer.URL_VARIABLE
                            + " is not set and no Docker engine answers";
                    if (PostgresTestServer.required()) {
                        throw new IllegalStateException(why + ", but " + PostgresTestServer.REQUIRE_VARIABLE + "=true");
                    }
                    yield ConditionEvaluationResult.disabled(
                            why + "; skipped (set " + PostgresTestServer.REQUIRE_VARIABLE + "=true to fail instead)");
                }
            };
        }

    }

}
