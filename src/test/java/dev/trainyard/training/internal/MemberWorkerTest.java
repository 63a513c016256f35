package dev.trainyard.training.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * How a worker ends a member whose training throws: a lost database is not the member's
 * fault, anything else fails it.
 */
class MemberWorkerTest {

    final MemberClaims claims = mock(MemberClaims.class);

    final RunningMembers running = mock(RunningMembers.class);

    final MemberSetup setup = mock(MemberSetup.class);

    final JobCompletion completion = mock(JobCompletion.class);

    final MemberWorker worker = new MemberWorker(claims, running, setup, mock(EpochRecorder.class), completion);

    final MemberRef ref = new MemberRef(UUID.randomUUID(), 1);

    final MemberRun run = new MemberRun(ref, 3, 10);

    MemberWorkerTest() {
        when(running.accepting()).thenReturn(true);
        when(claims.claim(ref)).thenReturn(Optional.of(run));
    }

    @Test
    void aMemberThatLosesTheDatabaseIsLeftToBeRunAgainNotFailed() {
        CannotGetJdbcConnectionException outage = new CannotGetJdbcConnectionException("no connection",
                new SQLException("Connection to 127.0.0.1:5432 refused", "08001"));
        when(setup.prepare(run)).thenThrow(outage);

        assertThatThrownBy(() -> worker.train(ref)).isSameAs(outage);

        verify(completion, never()).fail(any(), any());
        verify(running).remove(run);
    }

    @Test
    void aMemberThatFailsOtherwiseFailsItsJob() {
        IllegalArgumentException invalid = new IllegalArgumentException("label 12 out of range");
        when(setup.prepare(run)).thenThrow(invalid);

        assertThat(worker.train(ref)).isEqualTo(MemberWorker.Outcome.DONE);

        verify(completion).fail(run, invalid);
        verify(running).remove(run);
    }

}
