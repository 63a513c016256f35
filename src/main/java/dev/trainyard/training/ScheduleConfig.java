package dev.trainyard.training;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The learning rate per epoch, starting from the optimizer's {@code learningRate}, told
 * apart by {@code type}; each may start with {@code warmupEpochs} of linear warm-up.
 * {@code interval} says when the rate is set: {@code "epoch"} at each epoch start,
 * {@code "step"} before every optimizer step, from the same curve sampled at
 * {@code step / stepsPerEpoch} epochs; a warm-up then gives step {@code s} (0-based)
 * {@code (s + 1) / W} of the rate, {@code W} its epochs' steps. {@code one_cycle} has a
 * warm-up of its own ({@code warmupFraction}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = ScheduleConfig.Constant.class, name = "constant"),
        @JsonSubTypes.Type(value = ScheduleConfig.Step.class, name = "step"),
        @JsonSubTypes.Type(value = ScheduleConfig.Cosine.class, name = "cosine"),
        @JsonSubTypes.Type(value = ScheduleConfig.OneCycle.class, name = "one_cycle") })
@Schema(description = "constant, step (stepEpochs, gamma), cosine (to minLearningRate) or one_cycle",
        discriminatorProperty = "type", oneOf = { ScheduleConfig.Constant.class, ScheduleConfig.Step.class,
                ScheduleConfig.Cosine.class, ScheduleConfig.OneCycle.class })
public sealed interface ScheduleConfig {

    ScheduleConfig withDefaults();

    Integer warmupEpochs();

    String interval();

    /** The value of {@code interval} when absent. */
    String EPOCH = "epoch";

    private static String interval(String interval) {
        return interval != null ? interval : EPOCH;
    }

    @Schema(name = "ConstantSchedule")
    record Constant(@Schema(defaultValue = "0") Integer warmupEpochs,
            @Schema(defaultValue = "epoch", allowableValues = {
                    "epoch", "step" }) String interval)
            implements
                ScheduleConfig{
        @Override
        public ScheduleConfig withDefaults() {
            return new Constant(warmupEpochs != null ? warmupEpochs : 0, ScheduleConfig.interval(interval));
        }
    }

    @Schema(name = "StepSchedule", description = "rate * gamma^floor(epoch / stepEpochs), as torch's StepLR")
    record Step(@Schema(defaultValue = "10") Integer stepEpochs, @Schema(defaultValue = "0.1") Double gamma,
            @Schema(defaultValue = "0") Integer warmupEpochs, @Schema(defaultValue = "epoch", allowableValues = {
                    "epoch", "step" }) String interval)
            implements
                ScheduleConfig{
        @Override
        public ScheduleConfig withDefaults() {
            return new Step(stepEpochs != null ? stepEpochs : 10, gamma != null ? gamma : 0.1,
                    warmupEpochs != null ? warmupEpochs : 0, ScheduleConfig.interval(interval));
        }
    }

    @Schema(name = "CosineSchedule", description = "Cosine annealing over the training epochs (after warm-up) to "
            + "minLearningRate, as torch's CosineAnnealingLR")
    record Cosine(@Schema(defaultValue = "0") Double minLearningRate, @Schema(defaultValue = "0") Integer warmupEpochs,
            @Schema(defaultValue = "epoch", allowableValues = {
                    "epoch", "step" }) String interval)
            implements
                ScheduleConfig{
        @Override
        public ScheduleConfig withDefaults() {
            return new Cosine(minLearningRate != null ? minLearningRate : 0.0, warmupEpochs != null ? warmupEpochs : 0,
                    ScheduleConfig.interval(interval));
        }
    }

    @Schema(name = "OneCycleSchedule", description = "One cycle (Smith and Topin 2019): over the first "
            + "warmupFraction of the training steps the rate rises linearly from learningRate / divFactor to the "
            + "optimizer's learningRate, then falls along a half cosine to learningRate / divFactor / "
            + "finalDivFactor at the end of training")
    record OneCycle(@Schema(defaultValue = "0.3") Double warmupFraction, @Schema(defaultValue = "25") Double divFactor,
            @Schema(defaultValue = "10000") Double finalDivFactor, @Schema(defaultValue = "step", allowableValues = {
                    "epoch", "step" }) String interval)
            implements
                ScheduleConfig{

        /** The warm-up is {@code warmupFraction}'s, never whole epochs. */
        @Override
        public Integer warmupEpochs() {
            return 0;
        }

        @Override
        public ScheduleConfig withDefaults() {
            return new OneCycle(warmupFraction != null ? warmupFraction : 0.3, divFactor != null ? divFactor : 25.0,
                    finalDivFactor != null ? finalDivFactor : 10_000.0, interval != null ? interval : "step");
        }
    }

}
