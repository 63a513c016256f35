package dev.trainyard.training;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One step of the training augmentation, told apart by {@code type}. The steps run in
 * order on every training example each time it is drawn into a batch, on the preprocessed
 * values; validation, test, diagnostics and predictions see the examples unchanged.
 * Examples must be images (C, H, W).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = AugmentationConfig.RandomCrop.class, name = "random_crop"),
        @JsonSubTypes.Type(value = AugmentationConfig.HorizontalFlip.class, name = "horizontal_flip"),
        @JsonSubTypes.Type(value = AugmentationConfig.RandomErasing.class, name = "random_erasing") })
@Schema(description = "random_crop, horizontal_flip or random_erasing", discriminatorProperty = "type",
        oneOf = { AugmentationConfig.RandomCrop.class, AugmentationConfig.HorizontalFlip.class,
                AugmentationConfig.RandomErasing.class })
public sealed interface AugmentationConfig {

    AugmentationConfig withDefaults();

    @Schema(name = "RandomCropAugmentation",
            description = "A random H x W window of the image padded by `padding` "
                    + "on every side with 0 in preprocessed units (the mean under standardize), as torchvision's "
                    + "RandomCrop(size, padding)")
    record RandomCrop(@Schema(defaultValue = "4") Integer padding) implements AugmentationConfig {
        @Override
        public AugmentationConfig withDefaults() {
            return new RandomCrop(padding != null ? padding : 4);
        }
    }

    @Schema(name = "HorizontalFlipAugmentation", description = "Mirrors the image left to right with `probability`")
    record HorizontalFlip(@Schema(defaultValue = "0.5") Double probability) implements AugmentationConfig {
        @Override
        public AugmentationConfig withDefaults() {
            return new HorizontalFlip(probability != null ? probability : 0.5);
        }
    }

    @Schema(name = "RandomErasingAugmentation",
            description = "Random erasing (Zhong et al. 2017), with `probability`: a rectangle covering a fraction "
                    + "of the image drawn uniformly from [minArea, maxArea], its height / width drawn log-uniformly "
                    + "from [minAspect, 1 / minAspect], placed uniformly, is filled with `value` (preprocessed "
                    + "units) in every channel; defaults as torchvision's RandomErasing")
    record RandomErasing(@Schema(defaultValue = "0.5") Double probability,
            @Schema(defaultValue = "0.02") Double minArea, @Schema(defaultValue = "0.33") Double maxArea,
            @Schema(defaultValue = "0.3") Double minAspect,
            @Schema(defaultValue = "0") Double value) implements AugmentationConfig {
        @Override
        public AugmentationConfig withDefaults() {
            return new RandomErasing(probability != null ? probability : 0.5, minArea != null ? minArea : 0.02,
                    maxArea != null ? maxArea : 0.33, minAspect != null ? minAspect : 0.3, value != null ? value : 0.0);
        }
    }

}
