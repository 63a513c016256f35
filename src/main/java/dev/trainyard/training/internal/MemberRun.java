package dev.trainyard.training.internal;

import dev.trainyard.engine.train.BatchProgress;
import dev.trainyard.engine.train.EpochMetrics;
import java.time.Duration;
import java.util.Locale;

/**
 * What a worker knows about one member it trains: why it should stop (cancel, shutdown,
 * lost ownership) and the progress line it logs per epoch.
 */
final class MemberRun {

    enum Stop {

        CANCELLED, SHUTDOWN, LOST

    }

    final MemberRef ref;

    final int attempt;

    final int epochs;

    private volatile Stop stop;

    volatile BatchProgress lastBatch;

    long lastProgressWrite;

    MemberRun(MemberRef ref, int attempt, int epochs) {
        this.ref = ref;
        this.attempt = attempt;
        this.epochs = epochs;
    }

    void stop(Stop reason) {

        if (stop == null) {
            stop = reason;
        }
    }

    Stop stopReason() {
        return stop;
    }

    boolean stopRequested() {
        return stop != null;
    }

    /**
     * {@code job 3f2a.. member 0 (of 3) epoch 4/10 [====      ] loss 0.4123 acc 0.8512 val_acc 0.8601
     * 12,345 samples/s ETA 0:42}
     */
    String progressLine(int members, EpochMetrics m, int epochsLeft) {
        int width = 20;
        int filled = (int) Math.round((double) width * m.epoch() / epochs);
        String bar = "=".repeat(filled) + " ".repeat(width - filled);
        Duration eta = Duration.ofMillis(Math.round(m.seconds() * 1000 * epochsLeft));
        return String.format(Locale.ROOT,
                "job %s member %d (of %d) epoch %d/%d [%s] loss %.4f acc %.4f val_acc %s %,.0f samples/s ETA %d:%02d:%02d",
                ref.jobId(), ref.member(), members, m.epoch(), epochs, bar, m.trainLoss(), m.trainAccuracy(),
                m.validationAccuracy() == null ? "-" : String.format(Locale.ROOT, "%.4f", m.validationAccuracy()),
                m.samplesPerSecond(), eta.toHours(), eta.toMinutesPart(), eta.toSecondsPart());
    }

}
