package dev.trainyard.engine.train;

import dev.trainyard.engine.io.Json;
import dev.trainyard.engine.io.SafeTensors;
import dev.trainyard.engine.nn.Parameter;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.optim.OptimizerState;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checkpoint format of a {@link Checkpoint} ({@code trainyard-checkpoint}, version
 * 1): a safetensors container with tensors {@code model.<name>} (parameters, torch
 * names), {@code state.<name>} (batch-norm running statistics),
 * {@code optimizer.<buffer>}, for early stopping {@code best.<name>} and
 * {@code best_state.<name>}, and for an average of the weights {@code ema.<name>}; the
 * {@code trainer} metadata entry is JSON with the position (epoch, batch), every
 * generator's state (the augmentation's only in runs with augmentation), optimizer step
 * and rate, the running sums of the current epoch, early-stopping bookkeeping and the
 * metrics so far.
 */
final class TrainerState {

    static final String FORMAT = "trainyard-checkpoint";
    static final int VERSION = 1;

    private TrainerState() {
    }

    /** {@code c}, a state of {@code t}'s run, in the checkpoint format. */
    static byte[] write(Trainer t, Checkpoint c) {
        Sequential model = t.model;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            tensors.put("model." + p.name(), Tensor.view(c.parameters(), p.offset(), p.shape()));
        }
        Map<String, Tensor> live = model.state();
        c.modelState().forEach((name, v) -> tensors.put("state." + name, Tensor.wrap(v, live.get(name).shape())));
        OptimizerState os = c.optimizer();
        os.buffers().forEach((name, b) -> tensors.put("optimizer." + name, Tensor.wrap(b, b.length)));
        if (c.bestParameters() != null) {
            for (Parameter p : model.parameters()) {
                tensors.put("best." + p.name(), Tensor.view(c.bestParameters(), p.offset(), p.shape()));
            }
            c.bestState()
                .forEach((name, v) -> tensors.put("best_state." + name, Tensor.wrap(v, live.get(name).shape())));
        }

        if (c.emaParameters() != null) {
            for (Parameter p : model.parameters()) {
                tensors.put("ema." + p.name(), Tensor.view(c.emaParameters(), p.offset(), p.shape()));
            }
        }

        Map<String, Object> s = new LinkedHashMap<>();
        s.put("epoch", (long) c.epoch());
        s.put("batch", (long) c.batch());
        s.put("finished", c.finished() == null ? null : c.finished().name());
        s.put("batch_size", (long) t.config.batchSize());
        s.put("seed", t.config.seed());
        s.put("training_examples", (long) t.train.size());
        s.put("shuffle_rng", longs(c.shuffleRng()));
        if (!t.config.augmentation().isEmpty()) {
            s.put("augmentation_rng", longs(c.augmentationRng()));
        }
        s.put("epoch_rng", c.epochRng() == null ? null : longs(c.epochRng()));
        s.put("model_rng", longs(c.modelRng()));
        s.put("batch_norm_counters", new LinkedHashMap<>(c.batchNormCounters()));
        Map<String, Object> optimizer = new LinkedHashMap<>();
        optimizer.put("kind", os.kind());
        optimizer.put("steps", os.steps());
        optimizer.put("learning_rate", os.learningRate());
        s.put("optimizer", optimizer);
        Map<String, Object> sums = new LinkedHashMap<>();
        sums.put("loss_sum", c.lossSum());
        sums.put("correct", c.correct());
        sums.put("seen", c.seen());
        sums.put("train_nanos", c.trainNanos());
        s.put("epoch_sums", sums);
        Map<String, Object> es = new LinkedHashMap<>();
        es.put("best_score", Double.isNaN(c.bestScore()) ? null : c.bestScore());
        es.put("best_epoch", (long) c.bestEpoch());
        es.put("epochs_without_improvement", (long) c.epochsWithoutImprovement());
        s.put("early_stopping", es);
        List<Object> hist = new ArrayList<>();
        for (EpochMetrics m : c.history()) {
            hist.add(metricsToJson(m));
        }
        s.put("history", hist);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("format_version", Integer.toString(VERSION));
        metadata.put("trainer", Json.write(s));
        return SafeTensors.write(tensors, metadata);
    }

    /**
     * Reads a checkpoint written for a run like {@code t}'s (same architecture, optimizer
     * kind, batch size, seed and training set size); changes nothing in {@code t}.
     */
    static Checkpoint read(Trainer t, byte[] bytes) {
        SafeTensors.Contents c = SafeTensors.read(bytes);
        if (!FORMAT.equals(c.metadata().get("format"))) {
            throw new IllegalArgumentException("not a " + FORMAT + " (format: " + c.metadata().get("format") + ")");
        }
        if (!Integer.toString(VERSION).equals(c.metadata().get("format_version"))) {
            throw new IllegalArgumentException(FORMAT + " version " + c.metadata().get("format_version")
                    + " is not supported (this engine reads " + VERSION + ")");
        }
        Map<String, Object> s = Json.parseObject(c.metadata("trainer"));
        requireEqual("batch size", num(s, "batch_size"), t.config.batchSize());
        requireEqual("seed", num(s, "seed"), t.config.seed());
        requireEqual("training set size", num(s, "training_examples"), t.train.size());
        Map<String, Object> opt = map(s.get("optimizer"));
        if (!t.optimizer.kind().equals(opt.get("kind"))) {
            throw new IllegalArgumentException("checkpoint was written with optimizer " + opt.get("kind")
                    + ", this run uses " + t.optimizer.kind());
        }

        Sequential model = t.model;
        float[] parameters = parameters(c, "model.", model);
        Map<String, float[]> modelState = state(c, "state.", model);
        Map<String, float[]> buffers = new LinkedHashMap<>();
        c.tensors().forEach((name, v) -> {
            if (name.startsWith("optimizer.")) {
                buffers.put(name.substring("optimizer.".length()), v.toArray());
            }
        });
        OptimizerState optimizer = new OptimizerState(t.optimizer.kind(), num(opt, "steps"),
                ((Number) opt.get("learning_rate")).doubleValue(), buffers);
        boolean hasBest = c.tensors().containsKey("best." + model.parameters().getFirst().name());
        float[] bestParameters = hasBest ? parameters(c, "best.", model) : null;
        Map<String, float[]> bestState = hasBest ? state(c, "best_state.", model) : null;
        boolean hasEma = c.tensors().containsKey("ema." + model.parameters().getFirst().name());
        if (hasEma != (t.config.emaDecay() != null)) {
            throw new IllegalArgumentException("checkpoint was written " + (hasEma ? "with" : "without")
                    + " an average of the weights, this run " + (hasEma ? "has none" : "has one"));
        }
        float[] emaParameters = hasEma ? parameters(c, "ema.", model) : null;

        int batch = (int) num(s, "batch");
        Object fin = s.get("finished");
        long[] epochRng = s.get("epoch_rng") == null ? null : toLongs(s.get("epoch_rng"));
        if (batch > 0 && epochRng == null) {
            throw new IllegalArgumentException("checkpoint inside an epoch lacks the epoch's shuffle state");
        }
        Map<String, Object> sums = map(s.get("epoch_sums"));
        Map<String, Object> es = map(s.get("early_stopping"));
        List<EpochMetrics> history = new ArrayList<>();
        for (Object m : (List<?>) s.get("history")) {
            history.add(metricsFromJson(map(m)));
        }
        return new Checkpoint((int) num(s, "epoch"), batch,
                fin == null ? null : TrainingResult.Status.valueOf((String) fin), parameters, modelState,
                batchNormCounters(s, model), toLongs(s.get("model_rng")), optimizer, toLongs(s.get("shuffle_rng")),
                // written by runs with augmentation; a run without it never draws from it
                s.get("augmentation_rng") == null ? t.augmentationRng.state() : toLongs(s.get("augmentation_rng")),
                epochRng, dbl(sums, "loss_sum"), num(sums, "correct"), num(sums, "seen"), num(sums, "train_nanos"),
                es.get("best_score") == null ? Double.NaN : dbl(es, "best_score"), (int) num(es, "best_epoch"),
                (int) num(es, "epochs_without_improvement"), bestParameters, bestState, emaParameters, history);
    }

    /**
     * The batch norm layers' counters; a checkpoint written before they were part of it
     * has none, and its run counts from the fresh model's (zero).
     */
    private static Map<String, Long> batchNormCounters(Map<String, Object> s, Sequential model) {
        Map<String, Long> counters = new LinkedHashMap<>();
        if (s.get("batch_norm_counters") == null) {
            return counters;
        }
        Set<String> expected = model.batchNormCounters().keySet();
        map(s.get("batch_norm_counters")).forEach((name, value) -> {
            if (!expected.contains(name) || !(value instanceof Number n) || n.longValue() < 0) {
                throw new IllegalArgumentException("checkpoint has batch norm counter " + name + " = " + value
                        + "; this run's model has " + expected);
            }
            counters.put(name, n.longValue());
        });
        return counters;
    }

    /** The parameters stored under {@code prefix}, in the model's one-buffer layout. */
    private static float[] parameters(SafeTensors.Contents c, String prefix, Sequential model) {
        float[] data = new float[model.parameterData().length];
        for (Parameter p : model.parameters()) {
            System.arraycopy(tensor(c, prefix + p.name(), p.shape()).data(), 0, data, p.offset(), p.size());
        }
        return data;
    }

    /** The running statistics stored under {@code prefix}, by the model's names. */
    private static Map<String, float[]> state(SafeTensors.Contents c, String prefix, Sequential model) {
        Map<String, float[]> state = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.state().entrySet()) {
            state.put(e.getKey(), tensor(c, prefix + e.getKey(), e.getValue().shape()).toArray());
        }
        return state;
    }

    static Map<String, float[]> copyState(Sequential model) {
        Map<String, float[]> m = new LinkedHashMap<>();
        model.state().forEach((name, v) -> m.put(name, v.toArray()));
        return m;
    }

    static Map<String, float[]> copy(Map<String, float[]> state) {
        Map<String, float[]> m = new LinkedHashMap<>();
        state.forEach((name, v) -> m.put(name, v.clone()));
        return m;
    }

    static void restoreState(Sequential model, Map<String, float[]> state) {
        model.state().forEach((name, v) -> v.copyFrom(Tensor.wrap(state.get(name), v.shape())));
    }

    private static Map<String, Object> metricsToJson(EpochMetrics m) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("epoch", (long) m.epoch());
        j.put("train_loss", m.trainLoss());
        j.put("train_accuracy", m.trainAccuracy());
        j.put("val_loss", m.validationLoss());
        j.put("val_accuracy", m.validationAccuracy());
        j.put("learning_rate", m.learningRate());
        j.put("seconds", m.seconds());
        j.put("train_seconds", m.trainSeconds());
        j.put("samples_per_second", m.samplesPerSecond());
        return j;
    }

    private static EpochMetrics metricsFromJson(Map<String, Object> j) {
        return new EpochMetrics((int) num(j, "epoch"), dbl(j, "train_loss"), dbl(j, "train_accuracy"),
                j.get("val_loss") == null ? null : dbl(j, "val_loss"),
                j.get("val_accuracy") == null ? null : dbl(j, "val_accuracy"), dbl(j, "learning_rate"),
                dbl(j, "seconds"), dbl(j, "train_seconds"), dbl(j, "samples_per_second"));
    }

    private static Tensor tensor(SafeTensors.Contents c, String name, Shape shape) {
        Tensor v = c.tensor(name);
        if (!v.shape().equals(shape)) {
            throw new IllegalArgumentException(
                    "checkpoint tensor " + name + " has shape " + v.shape() + ", the model expects " + shape);
        }
        return v;
    }

    private static void requireEqual(String what, long saved, long current) {
        if (saved != current) {
            throw new IllegalArgumentException(
                    "checkpoint was written with " + what + " " + saved + ", this run has " + current);
        }
    }

    private static List<Object> longs(long[] a) {
        List<Object> l = new ArrayList<>();
        for (long v : a) {
            l.add(v);
        }
        return l;
    }

    private static long[] toLongs(Object node) {
        List<?> l = (List<?>) node;
        long[] a = new long[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (Long) l.get(i);
        }
        return a;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }

    private static long num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    private static double dbl(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

}
