package dev.trainyard.training.internal;

import dev.trainyard.engine.train.BatchProgress;
import dev.trainyard.engine.train.EpochDiagnostics;
import dev.trainyard.engine.train.EpochMetrics;
import dev.trainyard.engine.train.Trainer;
import dev.trainyard.engine.train.TrainingListener;
import dev.trainyard.training.EpochRow;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes a member's progress durable: after every epoch its metrics, diagnostics,
 * checkpoint and event in one transaction, and between epochs the batch position for
 * {@code GET /jobs/{id}}. Every write checks that the attempt still holds the member; one
 * that does not is asked to stop ({@link MemberRun.Stop#LOST}).
 */
@Component
class EpochRecorder {

    private static final Logger log = LoggerFactory.getLogger(EpochRecorder.class);

    /** How often the batch position of a running member is written for GET /jobs/{id}. */
    static final long PROGRESS_WRITE_MILLIS = 1000;

    private final JobStore store;

    private final TransactionTemplate tx;

    private final SpecJson json;

    private final EventLog events;

    private final MemberClaims claims;

    EpochRecorder(JobStore store, TransactionTemplate tx, SpecJson json, EventLog events, MemberClaims claims) {
        this.store = store;
        this.tx = tx;
        this.json = json;
        this.events = events;
        this.claims = claims;
    }

    /** A listener that records {@code run}, trained by {@code trainer}. */
    TrainingListener listener(MemberRun run, Trainer trainer, int members) {
        return new TrainingListener() {

            @Override
            public void batchFinished(BatchProgress progress) {
                EpochRecorder.this.batchFinished(run, progress);
            }

            @Override
            public void epochFinished(EpochMetrics metrics, EpochDiagnostics diagnostics) {
                EpochRecorder.this.epochFinished(run, trainer, members, metrics, diagnostics);
            }

        };
    }

    private void batchFinished(MemberRun run, BatchProgress progress) {
        run.lastBatch = progress;
        long now = System.currentTimeMillis();
        if (now - run.lastProgressWrite >= PROGRESS_WRITE_MILLIS) {
            run.lastProgressWrite = now;
            if (!claims.progress(run, progress.epoch(), progress.batch(), progress.batches())) {
                run.stop(MemberRun.Stop.LOST);
            }
        }
    }

    private void epochFinished(MemberRun run, Trainer trainer, int members, EpochMetrics m,
            EpochDiagnostics diagnostics) {
        // a cancelled member saves nothing more, unless this was its last epoch
        if ((run.stopReason() == MemberRun.Stop.CANCELLED && m.epoch() < run.epochs)
                || run.stopReason() == MemberRun.Stop.LOST) {
            return;
        }
        EpochRow row = new EpochRow(run.ref.member(), m.epoch(), m.trainLoss(), m.trainAccuracy(), m.validationLoss(),
                m.validationAccuracy(), m.learningRate(), m.seconds(), m.samplesPerSecond());
        byte[] checkpoint = trainer.checkpoint();
        BatchProgress last = run.lastBatch;
        int batches = last == null ? 0 : last.batches();
        Boolean written = tx.execute(status -> {
            if (!claims.owns(run)) {
                return false;
            }
            claims.progress(run, m.epoch(), batches, batches);
            store.insertMetrics(run.ref.jobId(), row);
            if (diagnostics != null) {
                store.insertDiagnostics(run.ref.jobId(), run.ref.member(), m.epoch(),
                        json.write(diagnosticsJson(run, diagnostics)));
            }
            store.writeBlob(run.ref.jobId(), run.ref.member(), "checkpoint", checkpoint);
            events.epoch(run.ref.jobId(), row);
            return true;
        });
        if (!Boolean.TRUE.equals(written)) {
            run.stop(MemberRun.Stop.LOST);
            return;
        }
        log.info(run.progressLine(members, m, run.epochs - m.epoch()));
    }

    private static Map<String, Object> diagnosticsJson(MemberRun run, EpochDiagnostics d) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("member", run.ref.member());
        data.put("epoch", d.epoch());
        data.put("warnings", Diagnoser.warnings(d));
        data.put("activations", d.activations());
        data.put("parameters", d.parameters());
        return data;
    }

}
