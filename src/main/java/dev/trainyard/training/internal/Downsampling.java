package dev.trainyard.training.internal;

import dev.trainyard.training.EpochRow;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Thins long per-epoch series so that a chart gets at most {@code maxPoints} rows per
 * member and still shows what matters. Rows are kept whole and in order; a member with no
 * more rows than {@code maxPoints} keeps them all.
 */
public final class Downsampling {

    /** The numeric series of a metrics row whose extremes survive downsampling. */
    static final List<Function<EpochRow, Double>> SERIES = List.of(EpochRow::trainLoss, EpochRow::valLoss,
            EpochRow::trainAccuracy, EpochRow::valAccuracy);

    private Downsampling() {
    }

    /** What was kept, and whether anything was left out. */
    public record Result<T>(List<T> rows, boolean downsampled) {
    }

    /**
     * Metrics rows (in member, epoch order), M4-style per member: the member's epochs are
     * cut into equal buckets, and each bucket keeps its first and last row and the rows
     * holding the minimum and maximum of each series it has (train and validation loss
     * and accuracy). So a bucket keeps at most {@code 2 + 2s} rows for {@code s} series,
     * and the bucket count is {@code maxPoints / (2 + 2s)}; the first and last epoch and
     * the epoch of the best validation accuracy are always among the rows kept.
     */
    public static Result<EpochRow> metrics(List<EpochRow> rows, int maxPoints) {
        return perMember(rows, EpochRow::member, (member) -> m4(member, maxPoints), maxPoints);
    }

    /**
     * Diagnostics rows (in member, epoch order) per member: the first and the last epoch,
     * every epoch for which {@code warned} holds (evenly thinned among themselves if they
     * alone pass the budget), and evenly spaced epochs up to {@code maxPoints} rows.
     */
    public static <T> Result<T> diagnostics(List<T> rows, ToIntFunction<T> member, Predicate<T> warned, int maxPoints) {
        return perMember(rows, member, (group) -> spaced(group, warned, maxPoints), maxPoints);
    }

    private static <T> Result<T> perMember(List<T> rows, ToIntFunction<T> member,
            Function<List<T>, TreeSet<Integer>> keep, int maxPoints) {
        List<T> out = new ArrayList<>();
        boolean downsampled = false;
        int start = 0;
        while (start < rows.size()) {
            int end = start;
            int m = member.applyAsInt(rows.get(start));
            while (end < rows.size() && member.applyAsInt(rows.get(end)) == m) {
                end++;
            }
            List<T> group = rows.subList(start, end);
            if (group.size() <= maxPoints) {
                out.addAll(group);
            }
            else {
                downsampled = true;
                keep.apply(group).forEach(i -> out.add(group.get(i)));
            }
            start = end;
        }
        return new Result<>(out, downsampled);
    }

    /** Indices of the rows an M4 pass over one member's rows keeps. */
    static TreeSet<Integer> m4(List<EpochRow> rows, int maxPoints) {
        List<Function<EpochRow, Double>> present = SERIES.stream()
            .filter(series -> rows.stream().anyMatch(r -> series.apply(r) != null))
            .toList();
        int n = rows.size();
        int buckets = Math.max(1, Math.min(n, maxPoints / (2 + 2 * present.size())));
        TreeSet<Integer> keep = new TreeSet<>();
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) b * n / buckets);
            int to = (int) ((long) (b + 1) * n / buckets);
            keep.add(from);
            keep.add(to - 1);
            for (Function<EpochRow, Double> series : present) {
                int min = -1;
                int max = -1;
                for (int i = from; i < to; i++) {
                    Double v = series.apply(rows.get(i));
                    if (v == null) {
                        continue;
                    }
                    if (min < 0 || Double.compare(v, series.apply(rows.get(min))) < 0) {
                        min = i;
                    }
                    if (max < 0 || Double.compare(v, series.apply(rows.get(max))) > 0) {
                        max = i;
                    }
                }
                if (min >= 0) {
                    keep.add(min);
                    keep.add(max);
                }
            }
        }
        // already kept as its bucket's maximum; stated for the reader and for safety
        // should the buckets change
        int best = -1;
        for (int i = 0; i < n; i++) {
            Double v = rows.get(i).valAccuracy();
            if (v != null && (best < 0 || Double.compare(v, rows.get(best).valAccuracy()) > 0)) {
                best = i;
            }
        }
        if (best >= 0) {
            keep.add(best);
        }
        return keep;
    }

    /** Indices of the rows kept of one member's diagnostics. */
    static <T> TreeSet<Integer> spaced(List<T> rows, Predicate<T> warned, int maxPoints) {
        int n = rows.size();
        TreeSet<Integer> keep = new TreeSet<>(List.of(0, n - 1));
        List<Integer> warnings = new ArrayList<>();
        for (int i = 1; i < n - 1; i++) {
            if (warned.test(rows.get(i))) {
                warnings.add(i);
            }
        }
        int budget = maxPoints - 2;
        if (warnings.size() >= budget) {
            for (int j = 0; j < budget; j++) {
                keep.add(warnings.get((int) ((long) j * warnings.size() / budget)));
            }
            return keep;
        }
        keep.addAll(warnings);
        int spaced = budget - warnings.size();
        for (int j = 1; j <= spaced; j++) {
            keep.add((int) Math.round((double) j * (n - 1) / (spaced + 1)));
        }
        return keep;
    }

}
