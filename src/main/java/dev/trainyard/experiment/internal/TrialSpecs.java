package dev.trainyard.experiment.internal;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The spec of one job of a trial: the trial's spec with the seed of its repeat (the
 * spec's seed, 0 when absent, plus the repeat), the epochs of its rung under successive
 * halving, and a name that says which experiment, trial, rung and repeat it belongs to.
 */
public final class TrialSpecs {

    private TrialSpecs() {
    }

    public static ObjectNode job(ObjectNode trialSpec, String experimentName, int trial, Integer rung, int repeat,
            Integer epochs) {
        ObjectNode spec = trialSpec.deepCopy();
        JsonNode seed = spec.get("seed");
        if (seed == null || seed.isNull()) {
            spec.put("seed", (long) repeat);
        }
        else if (seed.isIntegralNumber()) {
            spec.put("seed", seed.asLong() + repeat);
        }
        if (epochs != null) {
            JsonPointerWriter.write(spec, "/training/epochs", spec.numberNode(epochs));
        }
        String name = (experimentName.length() > 150 ? experimentName.substring(0, 150) : experimentName) + " / trial "
                + trial + (rung != null ? " / rung " + rung : "") + " / repeat " + repeat;
        spec.put("name", name);
        return spec;
    }

}
