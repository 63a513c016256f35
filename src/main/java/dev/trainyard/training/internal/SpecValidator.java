package dev.trainyard.training.internal;

import dev.trainyard.engine.nn.LayerParameter;
import dev.trainyard.engine.nn.LayerSpec;
import dev.trainyard.engine.nn.LayerType;
import dev.trainyard.system.JsonPointers;
import dev.trainyard.training.AugmentationConfig;
import dev.trainyard.training.InitConfig;
import dev.trainyard.training.JobSpec;
import dev.trainyard.training.LayerConfig;
import dev.trainyard.training.OptimizerConfig;
import dev.trainyard.training.ScheduleConfig;
import java.util.List;
import java.util.Set;

/**
 * Range checks of a spec with its defaults filled in ({@link JobSpec#withDefaults()}),
 * before anything touches the data; each failure names its member by JSON Pointer.
 */
final class SpecValidator {

    static final int MAX_LAYERS = 200;

    static final int MAX_MEMBERS = 32;

    static final int MAX_AUGMENTATION_STEPS = 16;

    private static final Set<String> PREPROCESSING = Set.of("none", "mean_subtraction", "standardize", "min_max");

    private final Violations v = new Violations();

    private SpecValidator() {
    }

    static Violations validate(JobSpec s) {
        SpecValidator validator = new SpecValidator();
        validator.check(s);
        return validator.v;
    }

    private void check(JobSpec s) {
        if (s.name().isBlank() || s.name().length() > 200) {
            v.add("/name", "name must have 1 to 200 characters");
        }
        if (s.datasetId() == null) {
            v.add("/datasetId", "datasetId is required");
        }
        if (!(s.validationFraction() >= 0 && s.validationFraction() < 1)) {
            v.add("/validationFraction", "validationFraction must lie in [0, 1), got " + s.validationFraction());
        }
        if (!PREPROCESSING.contains(s.preprocessing().method())) {
            v.add("/preprocessing/method", "unknown preprocessing method '" + s.preprocessing().method()
                    + "'; expected none, mean_subtraction, standardize or min_max");
        }
        if (s.model() == null) {
            v.add("/model", "model is required");
        }
        else {
            init(s.model().init(), "/model/init");
            layers(s.model().layers());
        }
        training(s.training(), s.validationFraction());
        int members = s.ensemble().members();
        if (members < 1 || members > MAX_MEMBERS) {
            v.add("/ensemble/members", "members must be from 1 to " + MAX_MEMBERS + ", got " + members);
        }
        else if (s.ensemble().warmStart() && members == 1) {
            v.add("/ensemble/warmStart", "warmStart chains members one after another and needs more than one member");
        }
        restarts(s.ensemble(), s.training());
    }

    private void restarts(JobSpec.Ensemble e, JobSpec.Training t) {
        if (!e.warmStart() && (e.restartEpochs() != null || e.restartLearningRate() != null)) {
            String field = e.restartEpochs() != null ? "restartEpochs" : "restartLearningRate";
            v.add("/ensemble/" + field,
                    field + " sets the members after the first of a snapshot ensemble and needs warmStart: true");
            return;
        }
        if (e.restartEpochs() != null) {
            range(e.restartEpochs(), 1, 100_000, "/ensemble/restartEpochs");
            int warmup = t.schedule().warmupEpochs();
            if (warmup > 0 && warmup >= e.restartEpochs()) {
                v.add("/ensemble/restartEpochs", "restartEpochs must exceed the schedule's warmupEpochs (" + warmup
                        + "), got " + e.restartEpochs());
            }
        }
        Double rate = e.restartLearningRate();
        if (rate != null) {
            if (!(rate > 0 && Double.isFinite(rate))) {
                v.add("/ensemble/restartLearningRate", "restartLearningRate must be positive, got " + rate);
            }
            else if (t.schedule() instanceof ScheduleConfig.Cosine c && c.minLearningRate() > rate) {
                v.add("/ensemble/restartLearningRate", "restartLearningRate must be at least the schedule's "
                        + "minLearningRate (" + c.minLearningRate() + "), got " + rate);
            }
        }
    }

    private void layers(List<LayerConfig> layers) {
        if (layers == null || layers.isEmpty()) {
            v.add("/model/layers", "a model needs at least one layer");
            return;
        }
        if (layers.size() > MAX_LAYERS) {
            v.add("/model/layers", "a model may have at most " + MAX_LAYERS + " layers, got " + layers.size());
        }
        for (int i = 0; i < layers.size(); i++) {
            layer(layers.get(i), "/model/layers/" + i, false);
        }
    }

    /**
     * The layer vocabulary's checks: a known type, no unknown member, every parameter
     * present and in range; an init as every init; a residual's layers as the model's,
     * except that they may not hold another residual ({@code nested}).
     */
    private void layer(LayerConfig layer, String at, boolean nested) {
        if (layer == null) {
            v.add(at, "a layer must be an object with a type");
            return;
        }
        if (layer.type() == null) {
            v.add(at + "/type", "type is required");
            return;
        }
        LayerType<?> type = LayerSpec.type(layer.type());
        if (type == null) {
            v.add(at + "/type", "unknown type '" + layer.type() + "'");
            return;
        }
        for (String unknown : type.unknown(layer.parameters())) {
            v.add(JsonPointers.append(at, unknown), "unknown member '" + unknown + "'");
        }
        type.problems(layer.parameters()).forEach((field, problem) -> v.add(JsonPointers.append(at, field), problem));
        for (LayerParameter p : type.parameters()) {
            Object value = layer.parameters().get(p.name());
            String pointer = JsonPointers.append(at, p.name());
            if (p.kind() == LayerParameter.Kind.INIT) {
                init((InitConfig) value, pointer);
            }
            else if (p.kind() == LayerParameter.Kind.LAYERS && nested) {
                v.add(at + "/type", "a residual's layers cannot hold another " + type.name());
            }
            else if (p.kind() == LayerParameter.Kind.LAYERS && value instanceof List<?> subLayers) {
                for (int j = 0; j < subLayers.size(); j++) {
                    subLayer(subLayers.get(j), JsonPointers.append(pointer, j));
                }
            }
        }
    }

    private void subLayer(Object layer, String at) {
        if (layer == null || layer instanceof LayerConfig) {
            layer((LayerConfig) layer, at, true);
        }
        else {
            v.add(at, "a layer must be an object with a type");
        }
    }

    private void init(InitConfig init, String at) {
        switch (init) {
            case null -> {
            }
            case InitConfig.Constant c -> {
                if (!Double.isFinite(c.value())) {
                    v.add(at + "/value", "value must be a finite number");
                }
            }
            case InitConfig.Normal n -> {
                if (!(n.std() > 0 && Double.isFinite(n.std()))) {
                    v.add(at + "/std", "std must be positive, got " + n.std());
                }
            }
            case InitConfig.XavierNormal x -> fanMode(x.fanMode(), at);
            case InitConfig.XavierUniform x -> fanMode(x.fanMode(), at);
            case InitConfig.Zeros z -> {
            }
            case InitConfig.HeNormal h -> {
            }
            case InitConfig.HeUniform h -> {
            }
        }
    }

    private void fanMode(String mode, String at) {
        if (!mode.equals("in") && !mode.equals("avg")) {
            v.add(at + "/fanMode", "fanMode must be in or avg, got '" + mode + "'");
        }
    }

    private void training(JobSpec.Training t, double validationFraction) {
        range(t.epochs(), 1, 100_000, "/training/epochs");
        range(t.batchSize(), 1, 1 << 16, "/training/batchSize");
        optimizer(t.optimizer());
        schedule(t.schedule(), t);
        augmentation(t.augmentation());
        if (t.ema() != null && !(t.ema().decay() > 0 && t.ema().decay() < 1)) {
            v.add("/training/ema/decay", "decay must lie in (0, 1), got " + t.ema().decay());
        }
        JobSpec.Loss loss = t.loss();
        if (!loss.type().equals("cross_entropy") && !loss.type().equals("mse")) {
            v.add("/training/loss/type", "loss type must be cross_entropy or mse, got '" + loss.type() + "'");
        }
        if (!(loss.labelSmoothing() >= 0 && loss.labelSmoothing() < 1)) {
            v.add("/training/loss/labelSmoothing", "labelSmoothing must lie in [0, 1), got " + loss.labelSmoothing());
        }
        else if (loss.labelSmoothing() > 0 && !loss.type().equals("cross_entropy")) {
            v.add("/training/loss/labelSmoothing", "labelSmoothing applies to cross_entropy only");
        }
        JobSpec.EarlyStopping es = t.earlyStopping();
        if (es != null) {
            if (!es.metric().equals("val_loss") && !es.metric().equals("val_accuracy")) {
                v.add("/training/earlyStopping/metric",
                        "metric must be val_loss or val_accuracy, got '" + es.metric() + "'");
            }
            range(es.patience(), 1, 100_000, "/training/earlyStopping/patience");
            if (!(es.minDelta() >= 0)) {
                v.add("/training/earlyStopping/minDelta", "minDelta must be >= 0, got " + es.minDelta());
            }
            if (validationFraction == 0) {
                v.add("/training/earlyStopping", "early stopping needs a validation split (validationFraction > 0)");
            }
        }
    }

    private void optimizer(OptimizerConfig o) {
        String at = "/training/optimizer";
        if (!(o.learningRate() > 0 && Double.isFinite(o.learningRate()))) {
            v.add(at + "/learningRate", "learningRate must be positive, got " + o.learningRate());
        }
        switch (o) {
            case OptimizerConfig.Sgd s -> {
                if (!(s.momentum() >= 0 && s.momentum() < 1)) {
                    v.add(at + "/momentum", "momentum must lie in [0, 1), got " + s.momentum());
                }
                else if (s.nesterov() && s.momentum() == 0) {
                    v.add(at + "/nesterov", "Nesterov momentum needs a momentum > 0");
                }
                decay(s.weightDecay(), at);
            }
            case OptimizerConfig.Adam a -> adam(a.beta1(), a.beta2(), a.eps(), a.weightDecay(), at);
            case OptimizerConfig.AdamW a -> adam(a.beta1(), a.beta2(), a.eps(), a.weightDecay(), at);
        }
    }

    private void adam(double beta1, double beta2, double eps, double weightDecay, String at) {
        if (!(beta1 >= 0 && beta1 < 1)) {
            v.add(at + "/beta1", "beta1 must lie in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            v.add(at + "/beta2", "beta2 must lie in [0, 1), got " + beta2);
        }
        if (!(eps >= 0 && eps < 1)) {
            v.add(at + "/eps", "eps must lie in [0, 1), got " + eps);
        }
        decay(weightDecay, at);
    }

    private void decay(double weightDecay, String at) {
        if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) {
            v.add(at + "/weightDecay", "weightDecay must be >= 0, got " + weightDecay);
        }
    }

    private void schedule(ScheduleConfig s, JobSpec.Training t) {
        String at = "/training/schedule";
        if (s.warmupEpochs() < 0 || (s.warmupEpochs() > 0 && s.warmupEpochs() >= t.epochs())) {
            v.add(at + "/warmupEpochs", "warmupEpochs must be >= 0 and less than epochs, got " + s.warmupEpochs());
        }
        if (!s.interval().equals("epoch") && !s.interval().equals("step")) {
            v.add(at + "/interval", "interval must be epoch or step, got '" + s.interval() + "'");
        }
        switch (s) {
            case ScheduleConfig.Step st -> {
                range(st.stepEpochs(), 1, 100_000, at + "/stepEpochs");
                if (!(st.gamma() > 0 && st.gamma() <= 1)) {
                    v.add(at + "/gamma", "gamma must lie in (0, 1], got " + st.gamma());
                }
            }
            case ScheduleConfig.Cosine c -> {
                if (!(c.minLearningRate() >= 0 && c.minLearningRate() <= t.optimizer().learningRate())) {
                    v.add(at + "/minLearningRate",
                            "minLearningRate must lie in [0, learningRate], got " + c.minLearningRate());
                }
            }
            case ScheduleConfig.OneCycle o -> {
                if (!(o.warmupFraction() >= 0 && o.warmupFraction() < 1)) {
                    v.add(at + "/warmupFraction", "warmupFraction must lie in [0, 1), got " + o.warmupFraction());
                }
                divFactor(o.divFactor(), at + "/divFactor");
                divFactor(o.finalDivFactor(), at + "/finalDivFactor");
            }
            case ScheduleConfig.Constant c -> {
            }
        }
    }

    private void divFactor(double value, String at) {
        if (!(value >= 1 && Double.isFinite(value))) {
            v.add(at, at.substring(at.lastIndexOf('/') + 1) + " must be a finite number >= 1, got " + value);
        }
    }

    /** The steps' parameters; whether the examples are images is known with the data. */
    private void augmentation(List<AugmentationConfig> steps) {
        if (steps.size() > MAX_AUGMENTATION_STEPS) {
            v.add("/training/augmentation",
                    "at most " + MAX_AUGMENTATION_STEPS + " augmentation steps, got " + steps.size());
        }
        for (int i = 0; i < steps.size(); i++) {
            String at = "/training/augmentation/" + i;
            switch (steps.get(i)) {
                case null -> v.add(at, "an augmentation step must be an object with a type");
                case AugmentationConfig.RandomCrop c -> range(c.padding(), 0, 1024, at + "/padding");
                case AugmentationConfig.HorizontalFlip f -> probability(f.probability(), at);
                case AugmentationConfig.RandomErasing e -> {
                    probability(e.probability(), at);
                    if (!(e.minArea() > 0 && e.minArea() <= 1)) {
                        v.add(at + "/minArea", "minArea must lie in (0, 1], got " + e.minArea());
                    }
                    else if (!(e.maxArea() >= e.minArea() && e.maxArea() <= 1)) {
                        v.add(at + "/maxArea", "maxArea must lie in [minArea, 1], got " + e.maxArea());
                    }
                    if (!(e.minAspect() > 0 && e.minAspect() <= 1)) {
                        v.add(at + "/minAspect",
                                "minAspect must lie in (0, 1] (the largest aspect is 1 / minAspect), got "
                                        + e.minAspect());
                    }
                    if (!(Double.isFinite(e.value()) && Math.abs(e.value()) <= Float.MAX_VALUE)) {
                        v.add(at + "/value", "value must be a finite number, got " + e.value());
                    }
                }
            }
        }
    }

    private void probability(double p, String at) {
        if (!(p >= 0 && p <= 1)) {
            v.add(at + "/probability", "probability must lie in [0, 1], got " + p);
        }
    }

    private void range(int value, int min, int max, String at) {
        if (value < min || value > max) {
            v.add(at, at.substring(at.lastIndexOf('/') + 1) + " must be from " + min + " to " + max + ", got " + value);
        }
    }

}
