package dev.trainyard.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

class DatabaseUnavailableTest {

    @Test
    void noConnectionFromThePoolIsAnOutage() {
        assertThat(DatabaseUnavailable.isCauseOf(new CannotGetJdbcConnectionException("no connection",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available"))))
            .isTrue();
    }

    @Test
    void noConnectionToBeginATransactionWithIsAnOutage() {
        assertThat(
                DatabaseUnavailable.isCauseOf(new CannotCreateTransactionException("Could not open JPA EntityManager",
                        new IllegalStateException("wrapped", new SQLException("Connection refused", "08001")))))
            .isTrue();
    }

    @Test
    void aConnectionLostAtCommitIsAnOutage() {
        assertThat(DatabaseUnavailable.isCauseOf(new TransactionSystemException("Could not commit JDBC transaction",
                new SQLException("An I/O error occurred while sending to the backend", "08006"))))
            .isTrue();
    }

    @Test
    void aServerThatShutsDownOrStartsIsAnOutage() {
        for (String state : new String[] { "57P01", "57P02", "57P03" }) {
            assertThat(DatabaseUnavailable.isCauseOf(new RuntimeException(new SQLException("terminating", state))))
                .as(state)
                .isTrue();
        }
        assertThat(DatabaseUnavailable.isCauseOf(new RuntimeException(new SQLRecoverableException("reconnect"))))
            .isTrue();
    }

    @Test
    void aRollbackOnAConnectionThePoolHasClosedIsAnOutage() {
        // what a read-only JPA transaction throws when its statement broke the
        // connection:
        // the rollback's failure replaces the statement's
        assertThat(DatabaseUnavailable.isCauseOf(new JpaSystemException(new org.hibernate.TransactionException(
                "Unable to rollback against JDBC Connection", new SQLException("Connection is closed")))))
            .isTrue();
        assertThat(DatabaseUnavailable.isCauseOf(new TransactionSystemException("Could not roll back JDBC transaction",
                new SQLException("Connection is closed"))))
            .isTrue();
    }

    @Test
    void aCommitThatFailsForItsDataIsNoOutage() {
        assertThat(DatabaseUnavailable.isCauseOf(new JpaSystemException(
                new org.hibernate.TransactionException("Unable to commit against JDBC Connection",
                        new SQLException("could not serialize access due to concurrent update", "40001")))))
            .isFalse();
    }

    @Test
    void aFailedStatementIsNoOutage() {
        assertThat(DatabaseUnavailable.isCauseOf(new DataIntegrityViolationException("duplicate",
                new SQLException("duplicate key value violates unique constraint", "23505"))))
            .isFalse();
        assertThat(DatabaseUnavailable.isCauseOf(
                new BadSqlGrammarException("select", "select nothing", new SQLException("no such table", "42P01"))))
            .isFalse();
        assertThat(DatabaseUnavailable.isCauseOf(new SQLException("query canceled", "57014"))).isFalse();
        assertThat(DatabaseUnavailable.isCauseOf(new SQLException("no state"))).isFalse();
        assertThat(DatabaseUnavailable.isCauseOf(new IllegalStateException("boom"))).isFalse();
    }

    @Test
    void aLockWaitThatRanOutIsTransient() {
        assertThat(DatabaseUnavailable.isCauseOf(new CannotAcquireLockException("lock",
                new java.sql.SQLException("Timeout trying to lock table", "HYT00", 50200))))
            .isTrue();
        assertThat(DatabaseUnavailable.isCauseOf(new RuntimeException(new java.sql.SQLException("deadlock", "40P01"))))
            .isTrue();
        assertThat(DatabaseUnavailable.isCauseOf(new jakarta.persistence.LockTimeoutException("lock"))).isTrue();
        assertThat(DatabaseUnavailable.isCauseOf(new RuntimeException(new java.sql.SQLException("unique", "23505"))))
            .isFalse();
    }

    @Test
    void aLockWaitAnswers503DatabaseBusyWithRetryAfter() {
        var answer = DatabaseUnavailable.response(new CannotAcquireLockException("lock"), "POST", "/api/v1/jobs");
        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("5");
        assertThat(answer.getBody().getTitle()).isEqualTo("Database busy");
    }

}
