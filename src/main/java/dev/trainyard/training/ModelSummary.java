package dev.trainyard.training;

import java.util.List;

/**
 * The model a spec describes, resolved against its dataset: per layer the output shape of
 * one example and the parameter count ({@code POST /api/v1/jobs?dryRun=true}).
 */
public record ModelSummary(List<Integer> inputShape, List<Layer> layers, long parameterCount, List<String> classes) {

    public record Layer(int index, String type, List<Integer> outputShape, long parameters) {
    }

}
