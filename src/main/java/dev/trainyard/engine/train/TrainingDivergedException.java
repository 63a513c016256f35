package dev.trainyard.engine.train;

/**
 * The loss became NaN or infinite; names the (1-based) epoch and batch where it happened.
 */
public final class TrainingDivergedException extends RuntimeException {

    private final int epoch;

    private final int batch;

    public TrainingDivergedException(int epoch, int batch, float loss) {
        super("loss became " + (Float.isNaN(loss) ? "NaN" : "infinite") + " at epoch " + epoch + ", batch " + batch
                + "; try a lower learning rate");
        this.epoch = epoch;
        this.batch = batch;
    }

    public int epoch() {
        return epoch;
    }

    public int batch() {
        return batch;
    }

}
