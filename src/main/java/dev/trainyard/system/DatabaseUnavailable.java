package dev.trainyard.system;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.hibernate.TransactionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Failures that mean the database cannot be reached for now (a restart, a network cut, an
 * exhausted pool), or did not grant a lock in time, as opposed to a failed statement. A
 * request that meets one answers 503 with {@code Retry-After}, and work that meets one is
 * retried later rather than failed, since nothing is wrong with the request or the work
 * itself.
 */
public final class DatabaseUnavailable {

    /**
     * The {@code Retry-After} of such an answer: about the time PostgreSQL takes to
     * restart.
     */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailable.class);

    private DatabaseUnavailable() {
    }

    /**
     * Whether {@code failure} or one of its causes says the connection to the database
     * failed: Spring's resource failures (no connection from the pool, none to begin a
     * transaction with), the JDBC connection exceptions, SQLSTATE class 08 (connection
     * exception) or 57P01 to 57P03 (the server shuts down or is starting), and a failed
     * rollback.
     */
    public static boolean isCauseOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessResourceException
                    || t instanceof CannotCreateTransactionException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && isConnectionState(sql.getSQLState())) {
                return true;
            }
            if (isFailedRollback(t)) {
                return true;
            }
        }
        return isLockWait(failure);
    }

    /**
     * Whether {@code failure} or one of its causes is a wait for a lock that ran out or
     * was broken to resolve a deadlock: Spring's pessimistic-locking failures, JPA's lock
     * exceptions, SQLSTATE 40P01 (deadlock) and 55P03 (lock not available) of PostgreSQL,
     * and H2's lock timeout (error code 50200). Nothing is wrong with the request:
     * another transaction held the rows longer than the database waits.
     */
    static boolean isLockWait(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PessimisticLockingFailureException || t instanceof jakarta.persistence.LockTimeoutException
                    || t instanceof jakarta.persistence.PessimisticLockException) {
                return true;
            }
            if (t instanceof SQLException sql && (H2_LOCK_TIMEOUT == sql.getErrorCode()
                    || "40P01".equals(sql.getSQLState()) || "55P03".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** H2's {@code LOCK_TIMEOUT_1}: a statement waited longer than the lock timeout. */
    private static final int H2_LOCK_TIMEOUT = 50200;

    /**
     * A rollback fails only when the connection is gone (the pool has closed it after the
     * statement that broke it), and its failure then replaces the one that caused the
     * rollback: Hibernate's "Unable to rollback against JDBC Connection", or Spring's
     * "Could not roll back ... transaction" of a plain JDBC transaction.
     */
    private static boolean isFailedRollback(Throwable t) {
        String message = t.getMessage();
        if (message == null) {
            return false;
        }
        return (t instanceof TransactionException && message.startsWith("Unable to rollback"))
                || (t instanceof TransactionSystemException && message.startsWith("Could not roll back"));
    }

    private static boolean isConnectionState(String state) {
        return state != null
                && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
    }

    /**
     * The 503 problem for a request that met such a failure, logged as one warning line
     * (an outage fails many requests; their stack traces would tell nothing more).
     */
    static ResponseEntity<ProblemDetail> response(Throwable failure, String method, String path) {
        boolean busy = isLockWait(failure);
        log.warn("Database {} on {} {}: {}", busy ? "busy" : "unavailable", method, path, rootMessage(failure));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, busy
                ? "Other requests held the data this request needs for longer than the database waits. "
                        + "Retry after the seconds in Retry-After."
                : "The service cannot reach its database at the moment. Retry after the seconds in Retry-After.");
        problem.setTitle(busy ? "Database busy" : "Database unavailable");
        problem.setProperty("retryAfterSeconds", RETRY_AFTER.toSeconds());
        Problems.withInstance(problem, path);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
            .header(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds()))
            .contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .body(problem);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

}
