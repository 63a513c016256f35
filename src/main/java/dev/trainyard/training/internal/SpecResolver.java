package dev.trainyard.training.internal;

import dev.trainyard.dataset.DatasetService;
import dev.trainyard.dataset.DatasetView;
import dev.trainyard.engine.nn.InvalidLayerException;
import dev.trainyard.engine.nn.LayerSpec;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.nn.Summary;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.system.JsonPointers;
import dev.trainyard.training.JobSpec;
import dev.trainyard.training.ModelSummary;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Checks a submitted spec against its data: ranges first, then the datasets (known, the
 * tenant's, test data shaped like the training data), then the model's shapes layer by
 * layer on the dataset's example shape, the way the worker will build it.
 */
@Component
public class SpecResolver {

    private final DatasetService datasets;

    SpecResolver(DatasetService datasets) {
        this.datasets = datasets;
    }

    /**
     * A valid spec with its defaults, its plan and its model summary; a 400 problem
     * otherwise.
     */
    public record Resolved(JobSpec spec, JobPlan plan, ModelSummary summary, DatasetView dataset) {
    }

    public Resolved resolve(java.util.UUID tenantId, JobSpec submitted) {
        JobSpec spec = submitted.withDefaults();
        SpecValidator.validate(spec).throwIfAny();
        DatasetView dataset = dataset(tenantId, "/datasetId", spec.datasetId());
        if (spec.testDatasetId() != null) {
            DatasetView test = dataset(tenantId, "/testDatasetId", spec.testDatasetId());
            if (!test.featureShape().equals(dataset.featureShape()) || !test.classes().equals(dataset.classes())) {
                throw Violations.single("/testDatasetId",
                        "the test dataset must have the training dataset's example shape " + dataset.featureShape()
                                + " and classes " + dataset.classes() + "; it has " + test.featureShape() + " and "
                                + test.classes());
            }
        }
        JobPlan plan = JobPlan.of(spec);
        Shape input = Shape.of(dataset.featureShape().stream().mapToInt(Integer::intValue).toArray());
        if (!spec.training().augmentation().isEmpty() && input.rank() != 3) {
            throw Violations.single("/training/augmentation/0",
                    "augmentation transforms images of shape (C, H, W), but the dataset's examples have shape "
                            + dataset.featureShape() + "; upload images (an IDX or image ZIP dataset) or leave "
                            + "augmentation out");
        }
        Sequential model;
        try {
            model = plan.model(input, spec.seed());
        }
        catch (InvalidLayerException e) {
            String at = JsonPointers.of("model", "layers", e.layerIndex()).substring(1);
            for (Object token : e.path()) {
                at = JsonPointers.append(at, token);
            }
            throw Violations.single(at, "layer " + e.layerIndex() + " does not fit its input: " + e.reason());
        }
        catch (IllegalArgumentException e) {
            throw Violations.single("/model/layers", e.getMessage());
        }
        int classes = dataset.classes().size();
        Shape out = model.outputShape();
        if (out.rank() != 1 || out.dim(0) != classes) {
            int last = spec.model().layers().size() - 1;
            boolean dense = plan.layers().get(last) instanceof LayerSpec.Dense;
            throw Violations.single("/model/layers/" + last + (dense ? "/units" : ""),
                    "the model must end with one output per class: the dataset has " + classes
                            + " classes but the last layer outputs " + out
                            + (out.rank() == 1 ? "" : " (add a flatten and a dense layer)"));
        }
        return new Resolved(spec, plan, summary(model.summary(), dataset.classes()), dataset);
    }

    private DatasetView dataset(java.util.UUID tenantId, String pointer, java.util.UUID id) {
        Optional<DatasetView> dataset = datasets.find(tenantId, id);
        if (dataset.isEmpty()) {
            throw Violations.single(pointer, "there is no dataset " + id);
        }
        return dataset.get();
    }

    private static ModelSummary summary(Summary s, List<String> classes) {
        return new ModelSummary(dims(s.inputShape()),
                s.rows()
                    .stream()
                    .map(r -> new ModelSummary.Layer(r.index(), r.kind(), dims(r.outputShape()), r.parameters()))
                    .toList(),
                s.totalParameters(), classes);
    }

    private static List<Integer> dims(Shape shape) {
        return Arrays.stream(shape.dims()).boxed().toList();
    }

}
