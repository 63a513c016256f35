package dev.trainyard.training.internal;

import dev.trainyard.engine.data.Augmentation;
import dev.trainyard.engine.data.PreprocessingMethod;
import dev.trainyard.engine.init.Constant;
import dev.trainyard.engine.init.FanMode;
import dev.trainyard.engine.init.HeNormal;
import dev.trainyard.engine.init.HeUniform;
import dev.trainyard.engine.init.Initializer;
import dev.trainyard.engine.init.Normal;
import dev.trainyard.engine.init.XavierNormal;
import dev.trainyard.engine.init.XavierUniform;
import dev.trainyard.engine.init.Zeros;
import dev.trainyard.engine.loss.Loss;
import dev.trainyard.engine.loss.MeanSquaredError;
import dev.trainyard.engine.loss.SoftmaxCrossEntropy;
import dev.trainyard.engine.nn.LayerSpec;
import dev.trainyard.engine.nn.Parameter;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.optim.Adam;
import dev.trainyard.engine.optim.AdamW;
import dev.trainyard.engine.optim.LearningRateSchedule;
import dev.trainyard.engine.optim.Optimizer;
import dev.trainyard.engine.optim.Sgd;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.train.EarlyStopping;
import dev.trainyard.engine.train.TrainingConfig;
import dev.trainyard.training.AugmentationConfig;
import dev.trainyard.training.InitConfig;
import dev.trainyard.training.JobSpec;
import dev.trainyard.training.LayerConfig;
import dev.trainyard.training.OptimizerConfig;
import dev.trainyard.training.ScheduleConfig;
import java.util.List;

/**
 * A valid spec (defaults filled in) translated into engine objects: layer specs,
 * initializers, optimizer, schedule, loss and trainer configuration. The same spec always
 * gives the same plan, so any worker can rebuild a member's trainer from the stored spec.
 */
public record JobPlan(JobSpec spec, List<LayerSpec> layers, Initializer defaultInit) {

    /** Examples of the fixed probe batch the trainer measures diagnostics on. */
    static final int DIAGNOSTICS_PROBE = 256;

    public static JobPlan of(JobSpec spec) {
        return new JobPlan(spec, spec.model().layers().stream().map(JobPlan::layer).toList(),
                initializer(spec.model().init()));
    }

    /** The member's model, built and initialized for examples of {@code featureShape}. */
    public Sequential model(Shape featureShape, long seed) {
        return Sequential.build(featureShape, layers, defaultInit, seed);
    }

    /**
     * The optimizer over the model's one parameter buffer; without
     * {@code decayBiasAndNorm}, parameters of rank 1 or less get no weight decay.
     */
    public Optimizer optimizer(Sequential model) {
        Optimizer optimizer = optimizerOver(model);
        if (!spec.training().optimizer().decayBiasAndNorm()) {
            for (Parameter p : model.parameters()) {
                if (p.shape().rank() <= 1) {
                    optimizer.exemptFromWeightDecay(p.offset(), p.offset() + p.size());
                }
            }
        }
        return optimizer;
    }

    private Optimizer optimizerOver(Sequential model) {
        float[] p = model.parameterData();
        float[] g = model.gradientData();
        return switch (spec.training().optimizer()) {
            case OptimizerConfig.Sgd s -> new Sgd(p, g, s.learningRate(), s.momentum().floatValue(), s.nesterov(),
                    s.weightDecay().floatValue(), s.decoupledWeightDecay());
            case OptimizerConfig.Adam a -> new Adam(p, g, a.learningRate(), a.beta1(), a.beta2(), a.eps().floatValue(),
                    a.weightDecay().floatValue());
            case OptimizerConfig.AdamW a -> new AdamW(p, g, a.learningRate(), a.beta1(), a.beta2(),
                    a.eps().floatValue(), a.weightDecay().floatValue());
        };
    }

    public Loss loss() {
        JobSpec.Loss loss = spec.training().loss();
        return loss.type().equals("mse") ? new MeanSquaredError()
                : new SoftmaxCrossEntropy(loss.labelSmoothing().floatValue());
    }

    public TrainingConfig trainingConfig(long seed) {
        JobSpec.Training t = spec.training();
        TrainingConfig config = new TrainingConfig(t.epochs(), t.batchSize(), seed, schedule(), null, DIAGNOSTICS_PROBE,
                t.schedule().interval().equals("step"), t.augmentation().stream().map(JobPlan::augmentation).toList(),
                t.ema() == null ? null : t.ema().decay());
        JobSpec.EarlyStopping es = t.earlyStopping();
        if (es == null) {
            return config;
        }
        EarlyStopping.Monitor monitor = es.metric().equals("val_accuracy") ? EarlyStopping.Monitor.VALIDATION_ACCURACY
                : EarlyStopping.Monitor.VALIDATION_LOSS;
        return config.withEarlyStopping(new EarlyStopping(monitor, es.patience(), es.minDelta()));
    }

    public PreprocessingMethod preprocessing() {
        return PreprocessingMethod.fromId(spec.preprocessing().method());
    }

    /** Members are numbered from 0: member m trains with seed + m. */
    public long seed(int member) {
        return spec.seed() + member;
    }

    private LearningRateSchedule schedule() {
        double rate = spec.training().optimizer().learningRate();
        ScheduleConfig s = spec.training().schedule();
        int main = spec.training().epochs() - s.warmupEpochs();
        LearningRateSchedule schedule = switch (s) {
            case ScheduleConfig.Constant c -> LearningRateSchedule.constant(rate);
            case ScheduleConfig.Step st -> LearningRateSchedule.step(rate, st.stepEpochs(), st.gamma());
            case ScheduleConfig.Cosine c -> LearningRateSchedule.cosine(rate, main, c.minLearningRate());
            case ScheduleConfig.OneCycle o -> LearningRateSchedule.oneCycle(rate, spec.training().epochs(),
                    o.warmupFraction(), o.divFactor(), o.finalDivFactor());
        };
        return schedule.withWarmup(s.warmupEpochs());
    }

    private static Augmentation augmentation(AugmentationConfig c) {
        return switch (c) {
            case AugmentationConfig.RandomCrop r -> new Augmentation.RandomCrop(r.padding());
            case AugmentationConfig.HorizontalFlip f -> new Augmentation.HorizontalFlip(f.probability());
            case AugmentationConfig.RandomErasing e -> new Augmentation.RandomErasing(e.probability(), e.minArea(),
                    e.maxArea(), e.minAspect(), e.value().floatValue());
        };
    }

    private static LayerSpec layer(LayerConfig c) {
        return LayerSpec.type(c.type())
            .read(c.parameters(), init -> initializer((InitConfig) init), sub -> layer((LayerConfig) sub));
    }

    private static Initializer initializer(InitConfig c) {
        return switch (c) {
            case null -> null;
            case InitConfig.Zeros z -> new Zeros();
            case InitConfig.Constant k -> new Constant(k.value().floatValue());
            case InitConfig.Normal n -> new Normal(n.std());
            case InitConfig.XavierNormal x -> new XavierNormal(fanMode(x.fanMode()));
            case InitConfig.XavierUniform x -> new XavierUniform(fanMode(x.fanMode()));
            case InitConfig.HeNormal h -> new HeNormal();
            case InitConfig.HeUniform h -> new HeUniform();
        };
    }

    private static FanMode fanMode(String mode) {
        return mode.equals("in") ? FanMode.IN : FanMode.AVG;
    }

}
