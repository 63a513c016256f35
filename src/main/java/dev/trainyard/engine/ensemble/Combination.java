package dev.trainyard.engine.ensemble;

import dev.trainyard.engine.tensor.Tensor;
import java.util.List;

/**
 * How an ensemble turns its members' class probabilities into one answer per example.
 *
 * <ul>
 * <li>{@link #average}: the mean of the members' probability vectors (weighted by w_m /
 * sum w when weights are given), label = its argmax (the first on ties).
 * <li>{@link #vote}: label = the class most members chose as their argmax (votes count
 * w_m when weighted); a tie goes to the tied class with the higher averaged probability.
 * </ul>
 * Both report the averaged distribution, the agreement (fraction of members whose argmax
 * equals the label, by count), the entropy of the averaged distribution (natural log,
 * nats) and each member's label.
 */
public final class Combination {

    private Combination() {
    }

    public enum Method {

        AVERAGE, VOTE

    }

    /**
     * The ensemble's answer for N examples of K classes.
     *
     * @param probabilities averaged distribution (N, K)
     * @param labels chosen class per example
     * @param agreement fraction of members whose argmax equals the label
     * @param entropy -sum p log p of the averaged distribution
     * @param memberLabels [example][member] argmax of each member
     */
    public record Result(Tensor probabilities, int[] labels, double[] agreement, double[] entropy,
            int[][] memberLabels) {
    }

    /**
     * Combines members' (N, K) probabilities; {@code weights} may be null (all equal).
     */
    public static Result combine(Method method, List<Tensor> members, double[] weights) {
        int m = members.size();
        if (m == 0) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
        if (weights != null && weights.length != m) {
            throw new IllegalArgumentException(m + " members but " + weights.length + " weights");
        }
        Tensor first = members.getFirst();
        int n = first.dim(0);
        int k = first.shape().sizeFrom(1);
        for (Tensor t : members) {
            if (t.dim(0) != n || t.shape().sizeFrom(1) != k) {
                throw new IllegalArgumentException(
                        "members' probabilities differ in shape: " + first.shape() + " and " + t.shape());
            }
        }
        double[] w = normalized(weights, m);
        Tensor avg = Tensor.zeros(n, k);
        float[] a = avg.data();
        int[][] memberLabels = new int[n][m];
        for (int j = 0; j < m; j++) {
            Tensor t = members.get(j);
            float[] d = t.data();
            for (int i = 0; i < n; i++) {
                int base = t.offset() + i * k;
                int best = 0;
                for (int c = 0; c < k; c++) {
                    a[i * k + c] += (float) (w[j] * d[base + c]);
                    if (d[base + c] > d[base + best]) {
                        best = c;
                    }
                }
                memberLabels[i][j] = best;
            }
        }
        int[] labels = new int[n];
        double[] agreement = new double[n];
        double[] entropy = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = method == Method.VOTE ? vote(memberLabels[i], w, a, i * k, k) : argmax(a, i * k, k);
            int agree = 0;
            for (int j = 0; j < m; j++) {
                agree += memberLabels[i][j] == labels[i] ? 1 : 0;
            }
            agreement[i] = (double) agree / m;
            double h = 0;
            for (int c = 0; c < k; c++) {
                double p = a[i * k + c];
                h -= p > 0 ? p * Math.log(p) : 0;
            }
            entropy[i] = h;
        }
        return new Result(avg, labels, agreement, entropy, memberLabels);
    }

    private static int vote(int[] chosen, double[] w, float[] avg, int base, int k) {
        double[] votes = new double[k];
        for (int j = 0; j < chosen.length; j++) {
            votes[chosen[j]] += w[j];
        }
        int best = 0;
        for (int c = 1; c < k; c++) {
            // the same number of votes (up to rounding of the weights) is a tie
            boolean tie = Math.abs(votes[c] - votes[best]) <= 1e-9;
            if ((!tie && votes[c] > votes[best]) || (tie && avg[base + c] > avg[base + best])) {
                best = c;
            }
        }
        return best;
    }

    private static int argmax(float[] a, int base, int k) {
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (a[base + c] > a[base + best]) {
                best = c;
            }
        }
        return best;
    }

    private static double[] normalized(double[] weights, int m) {
        double[] w = new double[m];
        if (weights == null) {
            java.util.Arrays.fill(w, 1.0 / m);
            return w;
        }
        double sum = 0;
        for (double x : weights) {
            if (!(x >= 0) || !Double.isFinite(x)) {
                throw new IllegalArgumentException("weights must be finite and non-negative, got " + x);
            }
            sum += x;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("weights must not all be zero");
        }
        for (int j = 0; j < m; j++) {
            w[j] = weights[j] / sum;
        }
        return w;
    }

}
