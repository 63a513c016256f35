package dev.trainyard.experiment.internal;

/**
 * Successive halving's schedule: rung k trains for
 * {@code min(minEpochs * factor^k, maxEpochs)} epochs, and of the n trials that entered a
 * rung the best {@code max(1, floor(n / factor))} enter the next; the last rung is the
 * first that reaches {@code maxEpochs}.
 */
public record Halving(int minEpochs, int maxEpochs, int factor) {

    public int epochs(int rung) {
        long epochs = minEpochs;
        for (int k = 0; k < rung && epochs < maxEpochs; k++) {
            epochs *= factor;
        }
        return (int) Math.min(epochs, maxEpochs);
    }

    public int lastRung() {
        int rung = 0;
        while (epochs(rung) < maxEpochs) {
            rung++;
        }
        return rung;
    }

    /** How many of {@code entered} trials go on to the next rung. */
    public int survivors(int entered) {
        return Math.max(1, entered / factor);
    }

}
