package dev.trainyard.engine.train;

import dev.trainyard.engine.data.Augmentation;
import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.loss.Loss;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.optim.Optimizer;
import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Trains a {@link Sequential} with mini-batch gradient descent: epochs of seeded,
 * shuffled batches (the last partial batch kept), validation after each epoch, per-epoch
 * metrics, early stopping with restoration of the best weights, listeners, cooperative
 * cancellation between batches, and checkpoints that resume bit for bit
 * ({@link #checkpoint()}, {@link #restore(byte[])}).
 *
 * <p>
 * Deterministic: the order comes from the trainer's own generator (stream 2 of the seed;
 * the model uses streams 0 and 1), the augmentation's draws from another (stream 3), made
 * example by example on the trainer's thread, every kernel splits work independently of
 * the thread count, so the same spec and seed give the same weights with any number of
 * threads.
 *
 * <p>
 * With an exponential moving average of the weights ({@link TrainingConfig#emaDecay()}),
 * validation, early stopping's best weights and the weights left in the model at the end
 * are the average's, with the live batch-norm statistics; training steps on the live
 * weights.
 *
 * <p>
 * Epochs and batches are 1-based in metrics, listeners and errors.
 */
public final class Trainer {

    final Sequential model;

    final Optimizer optimizer;

    final Loss loss;

    final TrainingConfig config;

    final Dataset train;

    final Dataset validation;

    final Rng shuffleRng;

    final Rng augmentationRng;

    private final List<TrainingListener> listeners = new ArrayList<>();

    /** Null without an exponential moving average of the weights. */
    private final WeightAverage ema;

    private final Tensor probe;

    // The run's state, all of it in a Checkpoint (see there for each field's meaning);
    // the model, optimizer and shuffleRng above carry the rest of it.
    private int epoch = 1;

    private int batch;

    private long[] epochRng;

    private TrainingResult.Status finished;

    private double lossSum;

    private long correct;

    private long seen;

    private long trainNanos;

    private double bestScore = Double.NaN;

    private int bestEpoch;

    private int epochsWithoutImprovement;

    private float[] bestParameters;

    private Map<String, float[]> bestState;

    private final List<EpochMetrics> history = new ArrayList<>();

    // derived from the state above, or scratch space of one batch
    private int[] order;

    private Tensor batchFeatures;

    private Tensor dOutputs;

    private final int[] batchLabels;

    private float[] paramsBeforeLastStep;

    private float[] liveParameters;

    public Trainer(Sequential model, Optimizer optimizer, Loss loss, TrainingConfig config, Dataset train,
            Dataset validation) {
        if (!train.featureShape().equals(model.inputShape())) {
            throw new IllegalArgumentException("training examples have shape " + train.featureShape()
                    + " but the model expects " + model.inputShape());
        }
        if (validation != null && !validation.featureShape().equals(model.inputShape())) {
            throw new IllegalArgumentException("validation examples have shape " + validation.featureShape()
                    + " but the model expects " + model.inputShape());
        }
        if (model.outputShape().rank() != 1 || model.outputShape().dim(0) != train.classes()) {
            throw new IllegalArgumentException(
                    "the model outputs " + model.outputShape() + " but the data has " + train.classes() + " classes");
        }
        if (!config.augmentation().isEmpty() && train.featureShape().rank() != 3) {
            throw new IllegalArgumentException(
                    "augmentation needs examples of shape (C, H, W), these have " + train.featureShape());
        }
        if (config.earlyStopping() != null && validation == null) {
            throw new IllegalArgumentException("early stopping needs a validation set");
        }
        if (optimizer.exportState()
            .buffers()
            .values()
            .stream()
            .anyMatch(b -> b.length != model.parameterData().length)) {
            throw new IllegalArgumentException("the optimizer was built for another parameter buffer");
        }
        this.model = model;
        this.optimizer = optimizer;
        this.loss = loss;
        this.config = config;
        this.train = train;
        this.validation = validation;
        this.shuffleRng = Rng.forStream(config.seed(), 2);
        this.augmentationRng = Rng.forStream(config.seed(), 3);
        this.ema = config.emaDecay() == null ? null : new WeightAverage(config.emaDecay(), model.parameterData());
        this.batchLabels = new int[config.batchSize()];
        int probeSize = Math.min(config.probeSize(), train.size());
        this.probe = probeSize == 0 ? null : train.features().slice(0, probeSize);
    }

    public Trainer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    public Sequential model() {
        return model;
    }

    public List<EpochMetrics> history() {
        return List.copyOf(history);
    }

    /** Trains to the end (or early stop). */
    public TrainingResult fit() {
        return fit(() -> false);
    }

    /**
     * Trains until the configured epochs are done, early stopping triggers, or
     * {@code cancelRequested} answers true (asked before every batch). After a
     * cancellation, {@link #checkpoint()} holds the exact position and a later
     * {@code fit} continues from it.
     */
    public TrainingResult fit(BooleanSupplier cancelRequested) {
        if (finished != null) {
            return new TrainingResult(finished, history, bestEpoch);
        }
        int n = train.size();
        int batches = (n + config.batchSize() - 1) / config.batchSize();
        while (epoch <= config.epochs()) {
            // Asked before the epoch draws its shuffle, so that a checkpoint taken after
            // a
            // stop here (typically one asked for while the last epoch ended) resumes with
            // the same order; the first batch below is then not asked again.
            if (cancelRequested.getAsBoolean()) {
                return new TrainingResult(TrainingResult.Status.CANCELLED, history, bestEpoch);
            }
            boolean asked = true;
            if (batch == 0) {
                epochRng = shuffleRng.state();
                order = permutation(n, shuffleRng);
                lossSum = 0;
                correct = 0;
                seen = 0;
                trainNanos = 0;
            }
            else if (order == null) {
                Rng replay = new Rng(0);
                replay.setState(epochRng);
                order = permutation(n, replay);
            }
            model.startEpoch(epoch);
            if (!config.schedulePerStep()) {
                optimizer.setLearningRate(config.schedule().rate(epoch - 1));
            }
            while (batch < batches) {
                if (!asked && cancelRequested.getAsBoolean()) {
                    return new TrainingResult(TrainingResult.Status.CANCELLED, history, bestEpoch);
                }
                asked = false;
                if (config.schedulePerStep()) {
                    // a function of the position alone, so a resumed run sets the same
                    // rates
                    optimizer.setLearningRate(config.schedule().rate((long) (epoch - 1) * batches + batch, batches));
                }
                long t0 = System.nanoTime();
                float batchLoss = step(batch, batch == batches - 1);
                trainNanos += System.nanoTime() - t0;
                batch++;
                BatchProgress progress = new BatchProgress(epoch, batch, batches, batchLoss);
                for (TrainingListener l : listeners) {
                    l.batchFinished(progress);
                }
            }
            TrainingResult.Status stop = finishEpoch();
            if (stop != null) {
                return new TrainingResult(stop, history, bestEpoch);
            }
        }
        finished = TrainingResult.Status.COMPLETED;
        return new TrainingResult(finished, history, bestEpoch);
    }

    /**
     * One optimizer step on batch {@code b} (0-based) of the current order; returns its
     * loss.
     */
    private float step(int b, boolean lastOfEpoch) {
        int from = b * config.batchSize();
        int size = Math.min(config.batchSize(), train.size() - from);
        Tensor x = gather(from, size);
        model.zeroGrad();
        Tensor out = model.forward(x, true);
        Tensor dOut = gradientBuffer(out);
        float l = loss.compute(out, batchLabels, 0, dOut);
        if (!Float.isFinite(l)) {
            throw new TrainingDivergedException(epoch, b + 1, l);
        }
        correct += Evaluator.countCorrect(out, batchLabels, 0);
        lossSum += (double) l * size;
        seen += size;
        model.backward(dOut);
        if (lastOfEpoch && probe != null) {
            float[] p = model.parameterData();
            if (paramsBeforeLastStep == null) {
                paramsBeforeLastStep = new float[p.length];
            }
            System.arraycopy(p, 0, paramsBeforeLastStep, 0, p.length);
        }
        optimizer.step();
        if (ema != null) {
            ema.update(model.parameterData());
        }
        return l;
    }

    private Tensor gather(int from, int size) {
        int width = train.features().shape().sizeFrom(1);
        if (batchFeatures == null) {
            batchFeatures = Tensor.zeros(train.featureShape().withBatch(config.batchSize()));
        }
        float[] src = train.features().data();
        int srcOff = train.features().offset();
        float[] dst = batchFeatures.data();
        for (int i = 0; i < size; i++) {
            int example = order[from + i];
            System.arraycopy(src, srcOff + example * width, dst, i * width, width);
            batchLabels[i] = train.labels()[example];
        }
        if (!config.augmentation().isEmpty()) {
            Augmentation.applyAll(config.augmentation(), dst, size, train.featureShape(), augmentationRng);
        }
        return size == config.batchSize() ? batchFeatures : batchFeatures.slice(0, size);
    }

    private Tensor gradientBuffer(Tensor out) {
        if (dOutputs == null || dOutputs.data().length < out.size()) {
            dOutputs = Tensor.zeros(out.shape().dropFirst().withBatch(config.batchSize()));
        }
        return out.dim(0) == dOutputs.dim(0) ? dOutputs : dOutputs.slice(0, out.dim(0));
    }

    /**
     * Validation, metrics, early stopping, diagnostics, listeners; advances to the next
     * epoch.
     */
    private TrainingResult.Status finishEpoch() {
        long v0 = System.nanoTime();
        Double valLoss = null;
        Double valAccuracy = null;
        useAveragedWeights(true);
        if (validation != null) {
            Evaluator.Evaluation e = Evaluator.evaluate(model, loss, validation, TrainingConfig.EVALUATION_BATCH);
            valLoss = e.loss();
            valAccuracy = e.accuracy();
        }
        double trainSeconds = trainNanos / 1e9;
        double seconds = trainSeconds + (System.nanoTime() - v0) / 1e9;
        EpochMetrics metrics = new EpochMetrics(epoch, lossSum / seen, (double) correct / seen, valLoss, valAccuracy,
                optimizer.learningRate(), seconds, trainSeconds, seen / Math.max(trainSeconds, 1e-9));
        history.add(metrics);

        TrainingResult.Status stop = null;
        EarlyStopping es = config.earlyStopping();
        if (es != null) {
            double score = es.monitor() == EarlyStopping.Monitor.VALIDATION_LOSS ? valLoss : valAccuracy;
            if (es.monitor().improves(score, bestScore, es.minDelta())) {
                bestScore = score;
                bestEpoch = epoch;
                epochsWithoutImprovement = 0;
                bestParameters = model.parameterData().clone();
                bestState = TrainerState.copyState(model);
            }
            else if (++epochsWithoutImprovement >= es.patience()) {
                stop = TrainingResult.Status.STOPPED_EARLY;
            }
        }
        if (stop == null && epoch + 1 > config.epochs()) {
            stop = TrainingResult.Status.COMPLETED;
        }
        // diagnostics see the live weights, which train on; a finished run ends with the
        // best or the averaged ones
        useAveragedWeights(false);
        EpochDiagnostics diagnostics = probe == null ? null
                : Diagnostics.compute(epoch, model, probe, paramsBeforeLastStep);
        if (stop != null && bestParameters != null) {
            restoreBest();
        }
        else if (stop != null && ema != null) {
            System.arraycopy(ema.values(), 0, model.parameterData(), 0, model.parameterData().length);
        }
        epoch++;
        batch = 0;
        order = null;
        finished = stop;
        for (TrainingListener l : listeners) {
            l.epochFinished(metrics, diagnostics);
        }
        return stop;
    }

    /**
     * With an average, swaps the averaged weights into the model ({@code true}) or the
     * live ones back ({@code false}); without, nothing.
     */
    private void useAveragedWeights(boolean averaged) {
        if (ema == null) {
            return;
        }
        float[] p = model.parameterData();
        if (averaged) {
            if (liveParameters == null) {
                liveParameters = new float[p.length];
            }
            System.arraycopy(p, 0, liveParameters, 0, p.length);
            System.arraycopy(ema.values(), 0, p, 0, p.length);
        }
        else {
            System.arraycopy(liveParameters, 0, p, 0, p.length);
        }
    }

    private void restoreBest() {
        System.arraycopy(bestParameters, 0, model.parameterData(), 0, bestParameters.length);
        TrainerState.restoreState(model, bestState);
    }

    /**
     * Everything needed to continue this run bit for bit, as bytes (a safetensors
     * container).
     */
    public byte[] checkpoint() {
        return TrainerState.write(this, snapshot());
    }

    /**
     * Restores a checkpoint of a run with the same model architecture, optimizer kind,
     * batch size and seed, written by {@link #checkpoint()}; a following {@link #fit}
     * continues that run.
     */
    public void restore(byte[] checkpoint) {
        apply(TrainerState.read(this, checkpoint));
    }

    /** A copy of this run's state. */
    Checkpoint snapshot() {
        return new Checkpoint(epoch, batch, finished, model.parameterData().clone(), TrainerState.copyState(model),
                model.batchNormCounters(), model.rng().state(), optimizer.exportState(), shuffleRng.state(),
                augmentationRng.state(), epochRng == null ? null : epochRng.clone(), lossSum, correct, seen, trainNanos,
                bestScore, bestEpoch, epochsWithoutImprovement, bestParameters == null ? null : bestParameters.clone(),
                bestState == null ? null : TrainerState.copy(bestState), ema == null ? null : ema.values().clone(),
                history);
    }

    /**
     * Continues from {@code c}, a state of a run like this one
     * ({@link TrainerState#read}).
     */
    void apply(Checkpoint c) {
        System.arraycopy(c.parameters(), 0, model.parameterData(), 0, model.parameterData().length);
        TrainerState.restoreState(model, c.modelState());
        c.batchNormCounters().forEach(model::setBatchNormCounter);
        model.rng().setState(c.modelRng());
        optimizer.importState(c.optimizer());
        shuffleRng.setState(c.shuffleRng());
        augmentationRng.setState(c.augmentationRng());
        epochRng = c.epochRng() == null ? null : c.epochRng().clone();
        epoch = c.epoch();
        batch = c.batch();
        finished = c.finished();
        lossSum = c.lossSum();
        correct = c.correct();
        seen = c.seen();
        trainNanos = c.trainNanos();
        bestScore = c.bestScore();
        bestEpoch = c.bestEpoch();
        epochsWithoutImprovement = c.epochsWithoutImprovement();
        bestParameters = c.bestParameters() == null ? null : c.bestParameters().clone();
        if (ema != null) {
            ema.restore(c.emaParameters());
        }
        bestState = c.bestState() == null ? null : TrainerState.copy(c.bestState());
        history.clear();
        history.addAll(c.history());
        order = null;
    }

    /** Fisher-Yates shuffle of [0, n) driven by {@code rng}. */
    static int[] permutation(int n, Rng rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            // 32 random bits scaled to [0, i]: bias below 2^-32 * n, irrelevant for
            // shuffling
            int j = (int) (((rng.nextLong() >>> 32) * (i + 1)) >>> 32);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

}
