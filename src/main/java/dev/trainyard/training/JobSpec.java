package dev.trainyard.training;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;

/**
 * What {@code POST /api/v1/jobs} accepts: data, preprocessing, model, training and
 * ensemble settings. Every member except {@code datasetId} and {@code model.layers} may
 * be omitted and gets the default its schema documents; the job keeps the spec with every
 * default filled in ({@link #withDefaults()}). Unknown members are refused.
 */
@Schema(description = "A training job: data, preprocessing, model, training and ensemble settings",
        example = JobSpec.EXAMPLE)
public record JobSpec(@Schema(description = "Name shown in listings", defaultValue = "training job") String name,
        @Schema(description = "Dataset to train on (a validation split is taken from it)",
                requiredMode = Schema.RequiredMode.REQUIRED) UUID datasetId,
        @Schema(description = "Dataset to evaluate each finished model on; none by default") UUID testDatasetId,
        @Schema(description = "Fraction of the dataset held out for validation, stratified by class; 0 for none",
                defaultValue = "0.1") Double validationFraction,
        @Schema(description = "Seed of initialization, shuffling, dropout and the split; member i uses seed + i",
                defaultValue = "0") Long seed,
        Preprocessing preprocessing, @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Model model,
        Training training, Ensemble ensemble) {

    static final String EXAMPLE = """
            {"name": "fashion-mlp", "datasetId": "5b7c3d52-8f7e-4d8a-9a55-0c4a1f7f2b10",
             "validationFraction": 0.1, "seed": 42,
             "preprocessing": {"method": "standardize", "perChannel": false},
             "model": {"init": {"method": "he_normal"}, "layers": [
               {"type": "dense", "units": 512}, {"type": "batch_norm"}, {"type": "relu"},
               {"type": "dropout", "rate": 0.5}, {"type": "dense", "units": 10}]},
             "training": {"epochs": 10, "batchSize": 128,
               "optimizer": {"type": "sgd", "learningRate": 0.05, "momentum": 0.9, "nesterov": false, "weightDecay": 0},
               "schedule": {"type": "cosine", "warmupEpochs": 0},
               "loss": {"type": "cross_entropy", "labelSmoothing": 0},
               "earlyStopping": {"metric": "val_loss", "patience": 3}},
             "ensemble": {"members": 1}}""";

    /** This spec with every omitted member replaced by its default. */
    public JobSpec withDefaults() {
        return new JobSpec(name != null ? name : "training job", datasetId, testDatasetId,
                validationFraction != null ? validationFraction : 0.1, seed != null ? seed : 0L,
                (preprocessing != null ? preprocessing : new Preprocessing(null, null)).withDefaults(),
                model != null ? model.withDefaults() : null,
                (training != null ? training : new Training(null, null, null, null, null, null, null, null))
                    .withDefaults(),
                (ensemble != null ? ensemble : new Ensemble(null, null)).withDefaults());
    }

    @Schema(name = "JobPreprocessing", description = "Feature scaling; statistics come from the training split")
    public record Preprocessing(
            @Schema(description = "none, mean_subtraction, standardize or min_max",
                    defaultValue = "standardize") String method,
            @Schema(description = "Statistics per channel of (C, H, W) data instead of per feature",
                    defaultValue = "false") Boolean perChannel) {

        Preprocessing withDefaults() {
            return new Preprocessing(method != null ? method : "standardize", perChannel != null && perChannel);
        }
    }

    @Schema(name = "JobModel", description = "The network: layers in order and the default initialization")
    public record Model(
            @Schema(description = "Initialization of every weight layer without its own; biases start at zero",
                    defaultValue = "{\"method\": \"he_normal\"}") InitConfig init,
            @Schema(description = "Layers in order; the last one's output must have one unit per class",
                    requiredMode = Schema.RequiredMode.REQUIRED) List<LayerConfig> layers) {

        Model withDefaults() {
            return new Model(init != null ? init.withDefaults() : new InitConfig.HeNormal(),
                    layers == null ? null : layers.stream().map(l -> l == null ? null : l.withDefaults()).toList());
        }
    }

    @Schema(name = "JobTraining", description = "How each member is trained")
    public record Training(@Schema(description = "Passes over the training split", defaultValue = "10") Integer epochs,
            @Schema(description = "Examples per step; the last, partial batch is kept",
                    defaultValue = "128") Integer batchSize,
            @Schema(description = "Default: sgd with learning rate 0.01 and momentum 0.9") OptimizerConfig optimizer,
            @Schema(description = "Learning rate per epoch; default constant") ScheduleConfig schedule, Loss loss,
            @Schema(description = "Stop when the validation metric stops improving; none by default") EarlyStopping earlyStopping,
            @Schema(description = "Random transformations of each training example (images (C, H, W) only), "
                    + "applied in order every time it is drawn into a batch; none by default") List<AugmentationConfig> augmentation,
            @Schema(description = "An exponential moving average of the weights, whose weights are validated, "
                    + "kept by early stopping, tested and stored; none by default") Ema ema) {

        Training withDefaults() {
            return new Training(epochs != null ? epochs : 10, batchSize != null ? batchSize : 128,
                    optimizer != null ? optimizer.withDefaults()
                            : new OptimizerConfig.Sgd(0.01, 0.9, false, 0.0).withDefaults(),
                    schedule != null ? schedule.withDefaults() : new ScheduleConfig.Constant(0, ScheduleConfig.EPOCH),
                    (loss != null ? loss : new Loss(null, null)).withDefaults(),
                    earlyStopping != null ? earlyStopping.withDefaults() : null,
                    augmentation == null ? List.of()
                            : augmentation.stream().map(a -> a == null ? null : a.withDefaults()).toList(),
                    ema != null ? ema.withDefaults() : null);
        }
    }

    @Schema(name = "JobEma", description = "After every optimizer step ema = decay * ema + (1 - decay) * weights, "
            + "over every parameter, starting from the initial weights; batch norm's running statistics are the "
            + "live ones (they are running averages already)")
    public record Ema(@Schema(description = "In (0, 1); 0.999 averages over about the last 1000 steps",
            defaultValue = "0.999") Double decay) {

        Ema withDefaults() {
            return new Ema(decay != null ? decay : 0.999);
        }
    }

    @Schema(name = "JobLoss")
    public record Loss(
            @Schema(description = "cross_entropy (softmax) or mse (against one-hot labels)",
                    defaultValue = "cross_entropy") String type,
            @Schema(description = "cross_entropy only: weight moved uniformly over the classes, in [0, 1)",
                    defaultValue = "0") Double labelSmoothing) {

        Loss withDefaults() {
            return new Loss(type != null ? type : "cross_entropy", labelSmoothing != null ? labelSmoothing : 0.0);
        }
    }

    @Schema(name = "JobEarlyStopping", description = "Training stops after `patience` epochs without improvement "
            + "of `metric` by more than `minDelta`, and keeps the best epoch's weights")
    public record EarlyStopping(
            @Schema(description = "val_loss or val_accuracy", defaultValue = "val_loss") String metric,
            @Schema(defaultValue = "3") Integer patience, @Schema(defaultValue = "0") Double minDelta) {

        EarlyStopping withDefaults() {
            return new EarlyStopping(metric != null ? metric : "val_loss", patience != null ? patience : 3,
                    minDelta != null ? minDelta : 0.0);
        }
    }

    /**
     * The spec member {@code member} trains with: in a snapshot ensemble the members
     * after the first take {@code restartEpochs} and {@code restartLearningRate} where
     * given; every other member trains as {@code training} says. Call on a spec with
     * defaults.
     */
    public JobSpec forMember(int member) {
        if (member == 0 || !ensemble.warmStart()
                || (ensemble.restartEpochs() == null && ensemble.restartLearningRate() == null)) {
            return this;
        }
        Training t = training;
        Training restart = new Training(ensemble.restartEpochs() != null ? ensemble.restartEpochs() : t.epochs(),
                t.batchSize(), ensemble.restartLearningRate() != null
                        ? t.optimizer().withLearningRate(ensemble.restartLearningRate()) : t.optimizer(),
                t.schedule(), t.loss(), t.earlyStopping(), t.augmentation(), t.ema());
        return new JobSpec(name, datasetId, testDatasetId, validationFraction, seed, preprocessing, model, restart,
                ensemble);
    }

    @Schema(name = "JobEnsemble")
    public record Ensemble(
            @Schema(description = "Members trained with seeds seed, seed + 1, ...; more than one "
                    + "makes the job register an ensemble of them", defaultValue = "1") Integer members,
            @Schema(description = "A snapshot ensemble: the members train one after another, each starting from the "
                    + "weights and batch-norm statistics that the member before it ended with, and running the "
                    + "whole schedule again (a warm restart), with its own seed for data order, augmentation and "
                    + "dropout. Later members have trained longer. Without it the members train independently from "
                    + "their own initialization, at the same time where workers allow. Needs more than one member",
                    defaultValue = "false") Boolean warmStart,
            @Schema(description = "With warmStart: the epochs of each member after the first, whose schedule is "
                    + "stretched over them; a long first member and short restarts give more accurate members in "
                    + "the same time. Default: training.epochs") Integer restartEpochs,
            @Schema(description = "With warmStart: the optimizer's learning rate (the schedule's peak) for each "
                    + "member after the first; lower keeps the members closer to their predecessor. "
                    + "Default: the optimizer's") Double restartLearningRate) {

        public Ensemble(Integer members, Boolean warmStart) {
            this(members, warmStart, null, null);
        }

        Ensemble withDefaults() {
            return new Ensemble(members != null ? members : 1, warmStart != null ? warmStart : false, restartEpochs,
                    restartLearningRate);
        }
    }

}
