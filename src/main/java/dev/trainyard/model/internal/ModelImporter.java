package dev.trainyard.model.internal;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.init.Zeros;
import dev.trainyard.engine.io.ModelFile;
import dev.trainyard.engine.io.SafeTensors;
import dev.trainyard.engine.io.StateDict;
import dev.trainyard.engine.io.TensorMismatchException;
import dev.trainyard.engine.kernel.Kernels;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.model.LayerInfo;
import dev.trainyard.model.ModelMetrics;
import dev.trainyard.model.NewModel;
import dev.trainyard.model.Provenance;
import dev.trainyard.system.ApiException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Turns an import (PyTorch-named safetensors weights and a spec) into a model to
 * register: builds the architecture, loads every tensor (422 naming a tensor that is
 * missing, unused or mis-shaped, with both shapes) and writes the engine model file.
 */
@Component
public class ModelImporter {

    private final ObjectProvider<BuildProperties> build;

    private final ObjectProvider<GitProperties> git;

    ModelImporter(ObjectProvider<BuildProperties> build, ObjectProvider<GitProperties> git) {
        this.build = build;
        this.git = git;
    }

    public NewModel prepare(UUID tenantId, byte[] weights, String specText) {
        ImportSpec spec = ImportSpec.parse(specText);
        Sequential model;
        try {
            model = Sequential.build(spec.featureShape(), spec.layers(), new Zeros(), 0);
        }
        catch (IllegalArgumentException e) {
            throw ImportSpec.invalid("#/layers", "The layers do not fit the feature shape: " + e.getMessage() + ".");
        }
        if (model.outputShape().rank() != 1 || model.outputShape().dim(0) != spec.classes().size()) {
            throw ImportSpec.invalid("#/layers", "The model outputs " + model.outputShape() + " but there are "
                    + spec.classes().size() + " classes.");
        }
        SafeTensors.Contents contents;
        try {
            contents = SafeTensors.read(weights);
        }
        catch (IllegalArgumentException e) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid weights",
                    "weights is not a readable safetensors file: " + e.getMessage() + ".")
                .with("part", "weights");
        }
        try {
            StateDict.load(model, contents);
        }
        catch (TensorMismatchException e) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Weights do not fit the architecture",
                    "The " + e.getMessage() + ".")
                .with("part", "weights")
                .with("tensor", e.tensor())
                .with("expectedShape", e.expected() == null ? null : dims(e.expected().dims()))
                .with("actualShape", e.actual() == null ? null : dims(e.actual().dims()));
        }
        Map<String, Object> preprocessing = new LinkedHashMap<>();
        preprocessing.put("method", spec.preprocessing().method());
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("source", "import");
        byte[] file = ModelFile.of(model, null, preprocessing, provenance).toBytes();
        Provenance origin = new Provenance(null, null, specText, 0, engineVersion(), gitCommit(), Kernels.simdEnabled(),
                ComputePool.shared().threads(), Instant.now(), null);
        return new NewModel(tenantId, null, 0, 0, LayerInfo.describe(model), model.parameterCount(), spec.classes(),
                Arrays.stream(spec.featureShape().dims()).boxed().toList(), spec.preprocessing(), ModelMetrics.NONE,
                origin, file);
    }

    private String engineVersion() {
        BuildProperties b = build.getIfAvailable();
        return b == null ? "dev" : b.getVersion();
    }

    private String gitCommit() {
        GitProperties g = git.getIfAvailable();
        return g == null ? null : g.getShortCommitId();
    }

    private static java.util.List<Integer> dims(int[] dims) {
        return Arrays.stream(dims).boxed().toList();
    }

}
