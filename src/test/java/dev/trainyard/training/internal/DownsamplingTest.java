package dev.trainyard.training.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.training.EpochRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DownsamplingTest {

    /** Noisy, decreasing losses and increasing accuracies, with validation when asked. */
    static List<EpochRow> rows(int member, int epochs, boolean validation, long seed) {
        Random random = new Random(seed);
        List<EpochRow> rows = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            double t = (double) e / epochs;
            rows.add(new EpochRow(member, e, 2 * (1 - t) + 0.3 * random.nextDouble(),
                    0.5 + 0.4 * t * random.nextDouble(), validation ? 2 * (1 - t) + 0.5 * random.nextDouble() : null,
                    validation ? 0.5 + 0.4 * t * random.nextDouble() : null, 0.1 * (1 - t), 1.0,
                    1000 + random.nextInt(100)));
        }
        return rows;
    }

    static EpochRow withValAccuracy(EpochRow r, double valAccuracy) {
        return new EpochRow(r.member(), r.epoch(), r.trainLoss(), r.trainAccuracy(), r.valLoss(), valAccuracy,
                r.learningRate(), r.seconds(), r.samplesPerSecond());
    }

    static EpochRow withTrainLoss(EpochRow r, double trainLoss) {
        return new EpochRow(r.member(), r.epoch(), trainLoss, r.trainAccuracy(), r.valLoss(), r.valAccuracy(),
                r.learningRate(), r.seconds(), r.samplesPerSecond());
    }

    @Test
    void keepsEveryBucketsExtremesAndTheFirstLastAndBestEpochsInOrder() {
        int n = 10_000;
        int maxPoints = 200;
        List<EpochRow> rows = new ArrayList<>(rows(0, n, true, 1));
        // the best validation accuracy early on, a loss spike in the middle
        rows.set(1234, withValAccuracy(rows.get(1234), 0.999));
        rows.set(5000, withTrainLoss(rows.get(5000), 50.0));

        Downsampling.Result<EpochRow> result = Downsampling.metrics(rows, maxPoints);
        List<EpochRow> kept = result.rows();

        assertThat(result.downsampled()).isTrue();
        assertThat(kept.size()).isLessThanOrEqualTo(maxPoints).isGreaterThan(maxPoints / 10);
        assertThat(kept).isSortedAccordingTo(Comparator.comparingInt(EpochRow::epoch));
        assertThat(kept).doesNotHaveDuplicates();
        assertThat(rows).containsAll(kept); // whole rows, unchanged
        assertThat(kept.getFirst().epoch()).isEqualTo(1);
        assertThat(kept.getLast().epoch()).isEqualTo(n);
        assertThat(kept).contains(rows.get(1234), rows.get(5000));
        for (Function<EpochRow, Double> series : Downsampling.SERIES) {
            assertThat(kept).contains(rows.stream().max(Comparator.comparing(series)).orElseThrow());
            assertThat(kept).contains(rows.stream().min(Comparator.comparing(series)).orElseThrow());
        }
        // four series: buckets of at most 2 + 2 * 4 rows, maxPoints / 10 of them, and
        // each keeps its own extremes
        int buckets = maxPoints / 10;
        for (int b = 0; b < buckets; b++) {
            List<EpochRow> bucket = rows.subList(b * n / buckets, (b + 1) * n / buckets);
            List<EpochRow> keptHere = kept.stream().filter(bucket::contains).toList();
            assertThat(keptHere.size()).as("bucket %d", b).isLessThanOrEqualTo(10);
            assertThat(keptHere).contains(bucket.getFirst(), bucket.getLast());
            for (Function<EpochRow, Double> series : Downsampling.SERIES) {
                assertThat(keptHere).contains(bucket.stream().max(Comparator.comparing(series)).orElseThrow());
                assertThat(keptHere).contains(bucket.stream().min(Comparator.comparing(series)).orElseThrow());
            }
        }
    }

    @Test
    void theBestEpochIsTheHighestValidationAccuracyNotTheLast() {
        List<EpochRow> rows = new ArrayList<>(rows(0, 500, true, 2));
        rows.set(17, withValAccuracy(rows.get(17), 0.97));
        rows.set(499, withValAccuracy(rows.get(499), 0.10));

        List<EpochRow> kept = Downsampling.metrics(rows, 10).rows();

        // one bucket of at most 10 rows: first, last and each series' extremes
        assertThat(kept.size()).isLessThanOrEqualTo(10);
        assertThat(kept).contains(rows.getFirst(), rows.get(17), rows.getLast());
    }

    @Test
    void withoutValidationTwoSeriesLeaveRoomForMoreBuckets() {
        int n = 3000;
        List<EpochRow> rows = rows(0, n, false, 3);

        List<EpochRow> kept = Downsampling.metrics(rows, 60).rows();

        // buckets of at most 2 + 2 * 2 rows: 60 / 6 = 10 of them
        assertThat(kept.size()).isLessThanOrEqualTo(60).isGreaterThan(10);
        for (int b = 0; b < 10; b++) {
            List<EpochRow> bucket = rows.subList(b * n / 10, (b + 1) * n / 10);
            assertThat(kept.stream().filter(bucket::contains).count()).isBetween(2L, 6L);
        }
        assertThat(kept).isSortedAccordingTo(Comparator.comparingInt(EpochRow::epoch));
    }

    @Test
    void shortMembersStayWholeAndLongOnesAreThinnedSeparately() {
        List<EpochRow> rows = new ArrayList<>(rows(0, 50, true, 4));
        rows.addAll(rows(1, 5000, true, 5));
        rows.addAll(rows(2, 100, true, 6));

        Downsampling.Result<EpochRow> result = Downsampling.metrics(rows, 100);

        Map<Integer, List<EpochRow>> byMember = new java.util.TreeMap<>();
        result.rows().forEach(r -> byMember.computeIfAbsent(r.member(), m -> new ArrayList<>()).add(r));
        assertThat(result.downsampled()).isTrue();
        assertThat(byMember.get(0)).isEqualTo(rows.subList(0, 50));
        assertThat(byMember.get(1).size()).isLessThanOrEqualTo(100);
        assertThat(byMember.get(1).getFirst().epoch()).isEqualTo(1);
        assertThat(byMember.get(1).getLast().epoch()).isEqualTo(5000);
        assertThat(byMember.get(2)).isEqualTo(rows.subList(5050, 5150));
        // members stay in order
        assertThat(result.rows()).isSortedAccordingTo(Comparator.comparingInt(EpochRow::member));

        Downsampling.Result<EpochRow> whole = Downsampling.metrics(rows, 5000);
        assertThat(whole.downsampled()).isFalse();
        assertThat(whole.rows()).isEqualTo(rows);
    }

    record Diagnostic(int member, int epoch, boolean warned) {
    }

    static List<Diagnostic> diagnostics(int member, int epochs, java.util.function.IntPredicate warned) {
        List<Diagnostic> rows = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            rows.add(new Diagnostic(member, e, warned.test(e)));
        }
        return rows;
    }

    @Test
    void diagnosticsKeepFirstLastEveryWarningAndEvenlySpacedEpochs() {
        List<Diagnostic> rows = diagnostics(0, 1000, e -> (e >= 500 && e <= 505) || e == 777);

        Downsampling.Result<Diagnostic> result = Downsampling.diagnostics(rows, Diagnostic::member, Diagnostic::warned,
                50);
        List<Diagnostic> kept = result.rows();

        assertThat(result.downsampled()).isTrue();
        assertThat(kept.size()).isLessThanOrEqualTo(50).isGreaterThanOrEqualTo(45);
        assertThat(kept).isSortedAccordingTo(Comparator.comparingInt(Diagnostic::epoch)).doesNotHaveDuplicates();
        assertThat(kept.getFirst().epoch()).isEqualTo(1);
        assertThat(kept.getLast().epoch()).isEqualTo(1000);
        assertThat(kept).containsAll(rows.stream().filter(Diagnostic::warned).toList());
        // the others are evenly spaced: no gap much longer than 1000 / 43 epochs
        List<Integer> epochs = kept.stream().map(Diagnostic::epoch).toList();
        for (int i = 1; i < epochs.size(); i++) {
            assertThat(epochs.get(i) - epochs.get(i - 1)).isLessThanOrEqualTo(25);
        }
    }

    @Test
    void warningsBeyondTheBudgetAreThinnedEvenly() {
        List<Diagnostic> rows = diagnostics(3, 2000, e -> e % 2 == 0);

        List<Diagnostic> kept = Downsampling.diagnostics(rows, Diagnostic::member, Diagnostic::warned, 100).rows();

        assertThat(kept).hasSize(100);
        assertThat(kept.getFirst().epoch()).isEqualTo(1);
        assertThat(kept.getLast().epoch()).isEqualTo(2000);
        assertThat(kept.subList(1, 99)).allMatch(Diagnostic::warned);
        assertThat(kept).isSortedAccordingTo(Comparator.comparingInt(Diagnostic::epoch));
    }

}
