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

/**
 * The checkpoint format ({@code trainyard-checkpoint}, version 1): a safetensors
 * container with tensors {@code model.<name>} (parameters, torch names),
 * {@code state.<name>} (batch-norm running statistics), {@code optimizer.<buffer>}, and
 * for early stopping {@code best.<name>} and {@code best_state.<name>}; the
 * {@code trainer} metadata entry is JSON with the position (epoch, batch), every
 * generator's state, optimizer step and rate, the running sums of the current epoch,
 * early-stopping bookkeeping and the metrics so far.
 */
final class TrainerState {

    static final String FORMAT = "trainyard-checkpoint";
    static final int VERSION = 1;

    private TrainerState() {
    }

    static byte[] write(Trainer t) {
        Sequential model = t.model;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            tensors.put("model." + p.name(), p.value());
        }
        model.state().forEach((name, value) -> tensors.put("state." + name, value));
        OptimizerState os = t.optimizer.exportState();
        os.buffers().forEach((name, b) -> tensors.put("optimizer." + name, Tensor.wrap(b, b.length)));
        if (t.bestParameters != null) {
            for (Parameter p : model.parameters()) {
                tensors.put("best." + p.name(), Tensor.view(t.bestParameters, p.offset(), p.shape()));
            }
            Map<String, Tensor> live = model.state();
            t.bestState.forEach((name, v) -> tensors.put("best_state." + name, Tensor.wrap(v, live.get(name).shape())));
        }

        Map<String, Object> s = new LinkedHashMap<>();
        s.put("epoch", (long) t.epoch);
        s.put("batch", (long) t.batch);
        s.put("finished", t.finished == null ? null : t.finished.name());
        s.put("batch_size", (long) t.config.batchSize());
        s.put("seed", t.config.seed());
        s.put("training_examples", (long) t.train.size());
        s.put("shuffle_rng", longs(t.shuffleRng.state()));
        s.put("epoch_rng", t.epochRngState == null ? null : longs(t.epochRngState));
        s.put("model_rng", longs(model.rng().state()));
        s.put("optimizer", Map.of("kind", os.kind(), "steps", os.steps(), "learning_rate", os.learningRate()));
        Map<String, Object> sums = new LinkedHashMap<>();
        sums.put("loss_sum", t.lossSum);
        sums.put("correct", t.correct);
        sums.put("seen", t.seen);
        sums.put("train_nanos", t.trainNanos);
        s.put("epoch_sums", sums);
        Map<String, Object> es = new LinkedHashMap<>();
        es.put("best_score", Double.isNaN(t.bestScore) ? null : t.bestScore);
        es.put("best_epoch", (long) t.bestEpoch);
        es.put("epochs_without_improvement", (long) t.epochsWithoutImprovement);
        s.put("early_stopping", es);
        List<Object> hist = new ArrayList<>();
        for (EpochMetrics m : t.history) {
            hist.add(metricsToJson(m));
        }
        s.put("history", hist);
        return SafeTensors.write(tensors,
                Map.of("format", FORMAT, "format_version", Integer.toString(VERSION), "trainer", Json.write(s)));
    }

    static void read(Trainer t, byte[] bytes) {
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
        for (Parameter p : model.parameters()) {
            p.value().copyFrom(tensor(c, "model." + p.name(), p.shape()));
        }
        for (Map.Entry<String, Tensor> e : model.state().entrySet()) {
            e.getValue().copyFrom(tensor(c, "state." + e.getKey(), e.getValue().shape()));
        }
        Map<String, float[]> buffers = new LinkedHashMap<>();
        c.tensors().forEach((name, v) -> {
            if (name.startsWith("optimizer.")) {
                buffers.put(name.substring("optimizer.".length()), v.toArray());
            }
        });
        t.optimizer.importState(new OptimizerState(t.optimizer.kind(), num(opt, "steps"),
                ((Number) opt.get("learning_rate")).doubleValue(), buffers));

        if (c.tensors().containsKey("best." + model.parameters().getFirst().name())) {
            float[] best = new float[model.parameterData().length];
            for (Parameter p : model.parameters()) {
                System.arraycopy(tensor(c, "best." + p.name(), p.shape()).data(), 0, best, p.offset(), p.size());
            }
            Map<String, float[]> bestState = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : model.state().entrySet()) {
                bestState.put(e.getKey(), tensor(c, "best_state." + e.getKey(), e.getValue().shape()).toArray());
            }
            t.bestParameters = best;
            t.bestState = bestState;
        }
        else {
            t.bestParameters = null;
            t.bestState = null;
        }

        t.epoch = (int) num(s, "epoch");
        t.batch = (int) num(s, "batch");
        Object fin = s.get("finished");
        t.finished = fin == null ? null : TrainingResult.Status.valueOf((String) fin);
        t.shuffleRng.setState(toLongs(s.get("shuffle_rng")));
        t.epochRngState = s.get("epoch_rng") == null ? null : toLongs(s.get("epoch_rng"));
        if (t.batch > 0 && t.epochRngState == null) {
            throw new IllegalArgumentException("checkpoint inside an epoch lacks the epoch's shuffle state");
        }
        model.rng().setState(toLongs(s.get("model_rng")));
        Map<String, Object> sums = map(s.get("epoch_sums"));
        t.lossSum = ((Number) sums.get("loss_sum")).doubleValue();
        t.correct = num(sums, "correct");
        t.seen = num(sums, "seen");
        t.trainNanos = num(sums, "train_nanos");
        Map<String, Object> es = map(s.get("early_stopping"));
        t.bestScore = es.get("best_score") == null ? Double.NaN : ((Number) es.get("best_score")).doubleValue();
        t.bestEpoch = (int) num(es, "best_epoch");
        t.epochsWithoutImprovement = (int) num(es, "epochs_without_improvement");
        t.history.clear();
        for (Object m : (List<?>) s.get("history")) {
            t.history.add(metricsFromJson(map(m)));
        }
    }

    static Map<String, float[]> copyState(Sequential model) {
        Map<String, float[]> m = new LinkedHashMap<>();
        model.state().forEach((name, v) -> m.put(name, v.toArray()));
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
