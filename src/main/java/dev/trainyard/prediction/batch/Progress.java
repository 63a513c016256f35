package dev.trainyard.prediction.batch;

/**
 * What a batch has done, written with every chunk's results in one transaction.
 *
 * @param chunksDone the chunks stored: the next one to score
 * @param correct rows whose predicted class is the true one (0 when not labelled)
 * @param confusion counts by true and predicted class; null when not labelled
 * @param seconds time the workers spent on the batch, up to its last stored chunk
 */
record Progress(int chunksDone, int rowsDone, int correct, int[][] confusion, double seconds) {

    static Progress start(int classes, boolean labelled) {
        return new Progress(0, 0, 0, labelled ? new int[classes][classes] : null, 0);
    }

    /**
     * This progress with one more chunk, whose scoring took the batch to {@code seconds}.
     */
    Progress plus(ChunkScores scores, double seconds) {
        int[][] counts = null;
        int right = correct;
        if (confusion != null) {
            counts = new int[confusion.length][];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = confusion[i].clone();
            }
            for (int r = 0; r < scores.rows(); r++) {
                int truth = scores.trueLabels()[r];
                int predicted = scores.labels()[r];
                counts[truth][predicted]++;
                right += truth == predicted ? 1 : 0;
            }
        }
        return new Progress(chunksDone + 1, rowsDone + scores.rows(), right, counts, seconds);
    }

}
