package dev.trainyard.engine.io;

import dev.trainyard.engine.nn.Parameter;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Weights in PyTorch's {@code state_dict} naming for the {@code nn.Sequential} equivalent
 * of a model: {@code <index>.weight}, {@code <index>.bias} for dense (torch Linear: (out,
 * in)), conv2d ((filters, C, k, k)) and batch norm, {@code <index>.running_mean},
 * {@code <index>.running_var} and the I64 counter {@code <index>.num_batches_tracked} for
 * batch norm. Layers without state (activations, pooling, dropout, flatten) have no
 * tensors, so the indices match torch's. A residual's sub-layers sit under its index:
 * {@code <index>.body.<j>.weight}, {@code <index>.shortcut.1.running_mean}.
 */
public final class StateDict {

    private StateDict() {
    }

    /**
     * The model's parameters and running statistics by state_dict name (copies), in layer
     * order.
     */
    public static Map<String, Tensor> of(Sequential model) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            tensors.put(p.name(), p.value().copy());
        }
        for (Map.Entry<String, Tensor> e : model.state().entrySet()) {
            tensors.put(e.getKey(), e.getValue().copy());
        }
        return tensors;
    }

    /**
     * Loads every parameter and running statistic of {@code model} from a safetensors
     * container (e.g. written from a torch {@code state_dict}); counters are optional.
     * Any missing, mis-shaped or unused tensor is a {@link TensorMismatchException}
     * naming it and both shapes, and leaves the model partly loaded (load into a fresh
     * model).
     */
    public static void load(Sequential model, SafeTensors.Contents contents) {
        Set<String> used = new HashSet<>();
        for (Parameter p : model.parameters()) {
            copy(contents, p.name(), p.value());
            used.add(p.name());
        }
        for (Map.Entry<String, Tensor> e : model.state().entrySet()) {
            copy(contents, e.getKey(), e.getValue());
            used.add(e.getKey());
        }
        for (Map.Entry<String, Tensor> e : contents.tensors().entrySet()) {
            if (!used.contains(e.getKey())) {
                throw new TensorMismatchException(e.getKey(), null, e.getValue().shape());
            }
        }
        Set<String> counters = model.batchNormCounters().keySet();
        for (Map.Entry<String, long[]> e : contents.integers().entrySet()) {
            if (!counters.contains(e.getKey()) || e.getValue().length != 1) {
                throw new TensorMismatchException(e.getKey(), null, Shape.of(Math.max(1, e.getValue().length)));
            }
            model.setBatchNormCounter(e.getKey(), e.getValue()[0]);
        }
    }

    private static void copy(SafeTensors.Contents contents, String name, Tensor target) {
        Tensor t = contents.tensors().get(name);
        if (t == null) {
            throw new TensorMismatchException(name, target.shape(), null);
        }
        if (!t.shape().equals(target.shape())) {
            throw new TensorMismatchException(name, target.shape(), t.shape());
        }
        target.copyFrom(t);
    }

}
