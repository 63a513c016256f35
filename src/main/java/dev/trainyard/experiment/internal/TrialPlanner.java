package dev.trainyard.experiment.internal;

import dev.trainyard.experiment.ExperimentRequest;
import dev.trainyard.experiment.ExperimentRequest.Parameter;
import dev.trainyard.experiment.ExperimentRequest.Strategy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks an experiment request (defaults filled in) and expands it into trials: the grid
 * of the parameters' values (the first parameter varies slowest), or {@code trials} draws
 * from a {@link Random} seeded with the strategy's seed (per trial, each parameter in
 * order), so the same request gives the same trials. Each trial's spec is the base spec
 * with its values written at their pointers; seeds, epochs and names are set per job by
 * {@link TrialSpecs}.
 */
public final class TrialPlanner {

    /** Trials x repeats of one experiment. */
    public static final int MAX_JOBS = 1000;

    public static final int MAX_CONCURRENT = 64;

    public static final int MAX_REPEATS = 20;

    static final int MAX_PARAMETERS = 16;

    static final int MAX_EPOCHS = 100_000;

    private static final Set<String> DISTRIBUTIONS = Set.of("choice", "uniform", "log_uniform", "int_uniform");

    /**
     * @param parameters path to value, in parameter order
     * @param sources per parameter, the pointer into the request the value came from
     * ({@code #/parameters/1/values/2}, or {@code #/parameters/1} for a drawn value)
     * @param spec the base spec with the values written in
     */
    public record Trial(int index, ObjectNode parameters, List<String> sources, ObjectNode spec) {
    }

    private TrialPlanner() {
    }

    public static List<Trial> plan(ExperimentRequest r) {
        check(r);
        List<Trial> trials = r.strategy().sampled() ? drawn(r) : grid(r);
        Problems problems = new Problems();
        List<Trial> written = new ArrayList<>();
        for (Trial t : trials) {
            ObjectNode spec = (ObjectNode) r.baseSpec().deepCopy();
            for (int j = 0; j < r.parameters().size(); j++) {
                String path = r.parameters().get(j).path();
                String problem = JsonPointerWriter.write(spec, path, t.parameters().get(path));
                if (problem != null && !problems.contains("#/parameters/" + j + "/path", null)) {
                    problems.add("#/parameters/" + j + "/path", problem);
                }
            }
            written.add(new Trial(t.index(), t.parameters(), t.sources(), spec));
        }
        problems.throwIfAny();
        return written;
    }

    private static void check(ExperimentRequest r) {
        Problems p = new Problems();
        if (r.name().isBlank() || r.name().length() > 200) {
            p.add("#/name", "name must have 1 to 200 characters");
        }
        if (r.baseSpec() == null || !r.baseSpec().isObject()) {
            p.add("#/baseSpec", "baseSpec is required and must be a job spec (JSON object)");
        }
        if (!r.metric().equals("val_accuracy") && !r.metric().equals("val_loss")) {
            p.add("#/metric", "metric must be val_accuracy or val_loss, got '" + r.metric() + "'");
        }
        if (r.repeats() < 1 || r.repeats() > MAX_REPEATS) {
            p.add("#/repeats", "repeats must be from 1 to " + MAX_REPEATS + ", got " + r.repeats());
        }
        if (r.maxConcurrentTrials() < 1 || r.maxConcurrentTrials() > MAX_CONCURRENT) {
            p.add("#/maxConcurrentTrials",
                    "maxConcurrentTrials must be from 1 to " + MAX_CONCURRENT + ", got " + r.maxConcurrentTrials());
        }
        strategy(r.strategy(), p);
        if (r.parameters().size() > MAX_PARAMETERS) {
            p.add("#/parameters", "at most " + MAX_PARAMETERS + " parameters, got " + r.parameters().size());
        }
        Set<String> paths = new HashSet<>();
        for (int j = 0; j < r.parameters().size(); j++) {
            parameter(r.parameters().get(j), "#/parameters/" + j, r.strategy(), paths, p);
        }
        p.throwIfAny();
        long trials = r.strategy().sampled() ? r.strategy().trials() : gridSize(r.parameters());
        if (trials * r.repeats() > MAX_JOBS) {
            String at = r.strategy().sampled() ? "#/strategy/trials" : "#/parameters";
            throw Problems.single(at,
                    (r.strategy().sampled() ? "" : "the grid has ") + trials + " trials x " + r.repeats()
                            + " repeats = " + trials * r.repeats() + " jobs; an experiment may have at most "
                            + MAX_JOBS);
        }
    }

    private static void strategy(Strategy s, Problems p) {
        switch (s.type()) {
            case Strategy.GRID -> {
                unused(s.trials(), "#/strategy/trials", "grid", p);
                unused(s.minEpochs(), "#/strategy/minEpochs", "grid", p);
                unused(s.maxEpochs(), "#/strategy/maxEpochs", "grid", p);
                unused(s.reductionFactor(), "#/strategy/reductionFactor", "grid", p);
                unused(s.seed(), "#/strategy/seed", "grid", p);
            }
            case Strategy.RANDOM -> {
                if (s.trials() == null) {
                    p.add("#/strategy/trials", "random search needs trials (1 to " + MAX_JOBS + ")");
                }
                unused(s.minEpochs(), "#/strategy/minEpochs", "random", p);
                unused(s.maxEpochs(), "#/strategy/maxEpochs", "random", p);
                unused(s.reductionFactor(), "#/strategy/reductionFactor", "random", p);
            }
            case Strategy.SUCCESSIVE_HALVING -> {
                if (s.minEpochs() == null || s.minEpochs() < 1 || s.minEpochs() > MAX_EPOCHS) {
                    p.add("#/strategy/minEpochs", "minEpochs must be from 1 to " + MAX_EPOCHS);
                }
                else if (s.maxEpochs() == null || s.maxEpochs() < s.minEpochs() || s.maxEpochs() > MAX_EPOCHS) {
                    p.add("#/strategy/maxEpochs", "maxEpochs must be from minEpochs to " + MAX_EPOCHS);
                }
                if (s.reductionFactor() < 2 || s.reductionFactor() > 10) {
                    p.add("#/strategy/reductionFactor",
                            "reductionFactor must be from 2 to 10, got " + s.reductionFactor());
                }
            }
            default -> p.add("#/strategy/type",
                    "strategy type must be grid, random or successive_halving, got '" + s.type() + "'");
        }
        if (s.trials() != null && (s.trials() < 1 || s.trials() > MAX_JOBS)) {
            p.add("#/strategy/trials", "trials must be from 1 to " + MAX_JOBS + ", got " + s.trials());
        }
    }

    private static void unused(Object value, String at, String type, Problems p) {
        if (value != null) {
            p.add(at, at.substring(at.lastIndexOf('/') + 1) + " does not apply to the " + type + " strategy");
        }
    }

    private static void parameter(Parameter parameter, String at, Strategy s, Set<String> paths, Problems p) {
        if (parameter == null) {
            p.add(at, "a parameter must be an object with a path");
            return;
        }
        String path = parameter.path();
        if (path == null || !path.startsWith("/")) {
            p.add(at + "/path", "path must be a JSON Pointer into the job spec, such as /training/epochs");
        }
        else if (!paths.add(path)) {
            p.add(at + "/path", "path " + path + " is varied by an earlier parameter already");
        }
        else if (s.halving() && path.equals("/training/epochs")) {
            p.add(at + "/path", "successive halving sets /training/epochs itself (minEpochs to maxEpochs)");
        }
        String distribution = parameter.distribution() != null ? parameter.distribution()
                : parameter.values() != null ? "choice" : null;
        if (distribution == null) {
            p.add(at, "a parameter needs values or a distribution with min and max");
            return;
        }
        if (!DISTRIBUTIONS.contains(distribution)) {
            p.add(at + "/distribution",
                    "distribution must be choice, uniform, log_uniform or int_uniform, got '" + distribution + "'");
            return;
        }
        if (distribution.equals("choice")) {
            if (parameter.values() == null || parameter.values().isEmpty() || parameter.values().size() > MAX_JOBS) {
                p.add(at + "/values", "values must list 1 to " + MAX_JOBS + " values");
            }
            unused(parameter.min(), at + "/min", "choice", p);
            unused(parameter.max(), at + "/max", "choice", p);
            return;
        }
        if (!s.sampled()) {
            p.add(at + "/distribution", "a " + distribution + " distribution needs random trials: strategy random, "
                    + "or successive_halving with trials; the grid takes values");
        }
        if (parameter.values() != null) {
            p.add(at + "/values", "values go with the choice distribution; " + distribution + " takes min and max");
        }
        Double min = parameter.min();
        Double max = parameter.max();
        if (min == null || !Double.isFinite(min)) {
            p.add(at + "/min", "min is required and must be a finite number");
        }
        else if (max == null || !Double.isFinite(max) || max < min) {
            p.add(at + "/max", "max is required and must be a finite number >= min");
        }
        else if (distribution.equals("log_uniform") && min <= 0) {
            p.add(at + "/min", "log_uniform needs min > 0, got " + min);
        }
        else if (distribution.equals("int_uniform")
                && (min != Math.rint(min) || max != Math.rint(max) || Math.abs(max) > 1e15 || Math.abs(min) > 1e15)) {
            p.add(at + "/min", "int_uniform needs integer min and max");
        }
    }

    private static long gridSize(List<Parameter> parameters) {
        long size = 1;
        for (Parameter p : parameters) {
            size *= p.values().size();
            if (size > MAX_JOBS) {
                return size;
            }
        }
        return size;
    }

    private static List<Trial> grid(ExperimentRequest r) {
        List<Parameter> parameters = r.parameters();
        int count = (int) gridSize(parameters);
        List<Trial> trials = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            ObjectNode values = JsonNodeFactory.instance.objectNode();
            List<String> sources = new ArrayList<>();
            int rest = index;
            int[] picks = new int[parameters.size()];
            for (int j = parameters.size() - 1; j >= 0; j--) {
                int n = parameters.get(j).values().size();
                picks[j] = rest % n;
                rest /= n;
            }
            for (int j = 0; j < parameters.size(); j++) {
                Parameter p = parameters.get(j);
                values.set(p.path(), value(p.values().get(picks[j])));
                sources.add("#/parameters/" + j + "/values/" + picks[j]);
            }
            trials.add(new Trial(index, values, sources, null));
        }
        return trials;
    }

    private static List<Trial> drawn(ExperimentRequest r) {
        Random random = new Random(r.strategy().seed());
        List<Trial> trials = new ArrayList<>();
        for (int index = 0; index < r.strategy().trials(); index++) {
            ObjectNode values = JsonNodeFactory.instance.objectNode();
            List<String> sources = new ArrayList<>();
            for (int j = 0; j < r.parameters().size(); j++) {
                Parameter p = r.parameters().get(j);
                String distribution = p.distribution() != null ? p.distribution() : "choice";
                JsonNode value = switch (distribution) {
                    case "uniform" ->
                        JsonNodeFactory.instance.numberNode(p.min() + (p.max() - p.min()) * random.nextDouble());
                    case "log_uniform" -> JsonNodeFactory.instance.numberNode(Math
                        .exp(Math.log(p.min()) + (Math.log(p.max()) - Math.log(p.min())) * random.nextDouble()));
                    case "int_uniform" -> JsonNodeFactory.instance
                        .numberNode((long) (p.min() + Math.floor(random.nextDouble() * (p.max() - p.min() + 1))));
                    default -> {
                        int pick = random.nextInt(p.values().size());
                        sources.add("#/parameters/" + j + "/values/" + pick);
                        yield value(p.values().get(pick));
                    }
                };
                if (!distribution.equals("choice")) {
                    sources.add("#/parameters/" + j);
                }
                values.set(p.path(), value);
            }
            trials.add(new Trial(index, values, sources, null));
        }
        return trials;
    }

    private static JsonNode value(JsonNode value) {
        return value == null ? JsonNodeFactory.instance.nullNode() : value;
    }

}
