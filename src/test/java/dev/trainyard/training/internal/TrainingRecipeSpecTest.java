package dev.trainyard.training.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.trainyard.dataset.DatasetService;
import dev.trainyard.dataset.DatasetView;
import dev.trainyard.engine.data.Augmentation;
import dev.trainyard.engine.nn.Parameter;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.optim.LearningRateSchedule;
import dev.trainyard.engine.optim.Optimizer;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.train.TrainingConfig;
import dev.trainyard.system.ApiException;
import dev.trainyard.training.JobSpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The training recipe's members of a job spec (augmentation, weight decay groups, the
 * one-cycle schedule): their defaults, their pointers, and the engine objects they
 * become.
 */
class TrainingRecipeSpecTest {

    private final SpecJson json = new SpecJson(JsonMapper.builder().build());

    private final UUID datasetId = UUID.randomUUID();

    /** The peer's resnet recipe on a small convolutional model. */
    private static final String RECIPE = """
            "optimizer": {"type": "sgd", "learningRate": 0.1, "momentum": 0.9, "nesterov": true,
                          "weightDecay": 5e-4, "decayBiasAndNorm": false},
            "schedule": {"type": "cosine", "warmupEpochs": 1, "interval": "step"},
            "loss": {"type": "cross_entropy", "labelSmoothing": 0.1},
            "augmentation": [{"type": "random_crop", "padding": 2}, {"type": "horizontal_flip"},
                             {"type": "random_erasing"}]""";

    @Test
    void augmentationStepsComeBackWithTheirDefaultsInOrder() {
        JobSpec spec = json.parse(spec(RECIPE)).withDefaults();
        String written = json.write(spec);
        assertThat(json.read(written, JobSpec.class)).isEqualTo(spec);
        assertThat(written).contains(
                "\"augmentation\":[{\"type\":\"random_crop\",\"padding\":2},{\"type\":\"horizontal_flip\",\"probability\":0.5},"
                        + "{\"type\":\"random_erasing\",\"probability\":0.5,\"minArea\":0.02,\"maxArea\":0.33,"
                        + "\"minAspect\":0.3,\"value\":0.0}],\"ema\":null}");
        assertThat(json.write(spec.training().optimizer())).isEqualTo("{\"type\":\"sgd\",\"learningRate\":0.1,"
                + "\"momentum\":0.9,\"nesterov\":true,\"weightDecay\":5.0E-4,\"decayBiasAndNorm\":false,"
                + "\"decoupledWeightDecay\":false}");
        JobSpec plain = json.parse(spec("\"epochs\": 2")).withDefaults();
        assertThat(plain.training().augmentation()).isEmpty();
        assertThat(plain.training().optimizer().decayBiasAndNorm()).isTrue();
    }

    @Test
    void theRecipeBecomesTheEngineObjects() {
        JobPlan plan = JobPlan.of(json.parse(spec(RECIPE)).withDefaults());
        TrainingConfig config = plan.trainingConfig(5);
        assertThat(config.augmentation()).containsExactly(new Augmentation.RandomCrop(2),
                new Augmentation.HorizontalFlip(0.5), new Augmentation.RandomErasing(0.5, 0.02, 0.33, 0.3, 0f));
        assertThat(config.schedulePerStep()).isTrue();
        assertThat(config.schedule()).isEqualTo(LearningRateSchedule.cosine(0.1, 2, 0.0).withWarmup(1));

        // zero gradients: only the decay moves a parameter, and only those of rank > 1
        Sequential model = plan.model(Shape.of(1, 6, 6), 5);
        float[] before = model.parameterData().clone();
        Optimizer optimizer = plan.optimizer(model);
        optimizer.step();
        for (Parameter p : model.parameters()) {
            float[] now = java.util.Arrays.copyOfRange(model.parameterData(), p.offset(), p.offset() + p.size());
            float[] was = java.util.Arrays.copyOfRange(before, p.offset(), p.offset() + p.size());
            if (p.shape().rank() <= 1) {
                assertThat(now).as(p.name()).isEqualTo(was);
            }
            else {
                assertThat(now).as(p.name()).isNotEqualTo(was);
            }
        }
    }

    @Test
    void oneCycleRunsPerStepByDefaultOverTheTrainingEpochs() {
        JobSpec spec = json
            .parse(spec("\"epochs\": 4, \"optimizer\": {\"type\": \"adamw\", \"learningRate\": 0.01}, "
                    + "\"schedule\": {\"type\": \"one_cycle\", \"warmupFraction\": 0.25}"))
            .withDefaults();
        assertThat(json.write(spec.training().schedule())).isEqualTo("{\"type\":\"one_cycle\",\"warmupFraction\":0.25,"
                + "\"divFactor\":25.0,\"finalDivFactor\":10000.0,\"interval\":\"step\"}");
        TrainingConfig config = JobPlan.of(spec).trainingConfig(0);
        assertThat(config.schedulePerStep()).isTrue();
        assertThat(config.schedule()).isEqualTo(LearningRateSchedule.oneCycle(0.01, 4, 0.25, 25, 10_000));
    }

    @Test
    void anAverageOfTheWeightsDefaultsToDecay0999AndReachesTheTrainer() {
        JobSpec spec = json.parse(spec("\"ema\": {}")).withDefaults();
        assertThat(spec.training().ema()).isEqualTo(new JobSpec.Ema(0.999));
        assertThat(JobPlan.of(spec).trainingConfig(0).emaDecay()).isEqualTo(0.999);
        assertThat(JobPlan.of(json.parse(spec("\"epochs\": 2")).withDefaults()).trainingConfig(0).emaDecay()).isNull();
        assertThat(pointers("\"ema\": {\"decay\": 1}"))
            .containsExactly(entry("#/training/ema/decay", "decay must lie in (0, 1), got 1.0"));
    }

    @Test
    void faultyRecipeMembersArePointedAt() {
        assertThat(pointers("\"augmentation\": [{\"type\": \"horizontal_flip\"}, "
                + "{\"type\": \"random_crop\", \"padding\": -1}]"))
            .containsExactly(entry("#/training/augmentation/1/padding", "padding must be from 0 to 1024, got -1"));
        assertThat(pointers("\"augmentation\": [{\"type\": \"random_erasing\", \"probability\": 2, "
                + "\"minArea\": 0.5, \"maxArea\": 0.2, \"minAspect\": 3}]"))
            .containsExactly(entry("#/training/augmentation/0/probability", "probability must lie in [0, 1], got 2.0"),
                    entry("#/training/augmentation/0/maxArea", "maxArea must lie in [minArea, 1], got 0.2"),
                    entry("#/training/augmentation/0/minAspect",
                            "minAspect must lie in (0, 1] (the largest aspect is 1 / minAspect), got 3.0"));
        assertThat(pointers("\"augmentation\": [null]"))
            .containsExactly(entry("#/training/augmentation/0", "an augmentation step must be an object with a type"));
        assertThat(pointers("\"schedule\": {\"type\": \"one_cycle\", \"warmupFraction\": 1, \"divFactor\": 0.5}"))
            .containsExactly(entry("#/training/schedule/warmupFraction", "warmupFraction must lie in [0, 1), got 1.0"),
                    entry("#/training/schedule/divFactor", "divFactor must be a finite number >= 1, got 0.5"));
    }

    @Test
    void augmentationOfFlatExamplesIsRefusedAtTheAugmentation() {
        DatasetService datasets = mock(DatasetService.class);
        when(datasets.find(any(), any())).thenReturn(Optional.of(new DatasetView(datasetId, "blobs", "csv", 30,
                List.of(36), List.of("a", "b", "c"), Map.of(), "", 0, Instant.EPOCH)));
        JobSpec spec = json.parse(spec(RECIPE).replace("{\"type\": \"conv2d\", \"filters\": 2, \"kernel\": 3}, ", ""));
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> new SpecResolver(datasets).resolve(UUID.randomUUID(), spec));
        assertThat(e.status().value()).isEqualTo(400);
        assertThat(errors(e)).containsOnlyKeys("#/training/augmentation/0");
        assertThat(errors(e).get("#/training/augmentation/0")).contains("(C, H, W)").contains("[36]");
    }

    private Map<String, String> pointers(String training) {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> SpecValidator.validate(json.parse(spec(training)).withDefaults()).throwIfAny());
        return errors(e);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> errors(ApiException e) {
        assertThat(e).isNotNull();
        Map<String, String> errors = new LinkedHashMap<>();
        ((List<Map<String, String>>) e.properties().get("errors"))
            .forEach(m -> errors.put(m.get("pointer"), m.get("detail")));
        return errors;
    }

    private String spec(String training) {
        return """
                {"datasetId": "%s", "model": {"layers": [{"type": "conv2d", "filters": 2, "kernel": 3},
                   {"type": "batch_norm"}, {"type": "relu"}, {"type": "flatten"}, {"type": "dense", "units": 3}]},
                 "training": {"epochs": 3, %s}}""".formatted(datasetId, training);
    }

}
