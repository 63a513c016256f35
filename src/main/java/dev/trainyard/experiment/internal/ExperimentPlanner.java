package dev.trainyard.experiment.internal;

import dev.trainyard.experiment.ExperimentPlan;
import dev.trainyard.experiment.ExperimentRequest;
import dev.trainyard.system.ApiException;
import dev.trainyard.training.JobService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * Expands a request into trials and validates each trial's first job spec through the
 * training module, as its submission will be, before anything runs. A problem in a
 * trial's spec is reported at the parameter value that caused it
 * ({@code #/parameters/1/values/2}) with the spec member ({@code specPointer},
 * {@code #/training/optimizer/learningRate}); one the base spec causes by itself at
 * {@code #/baseSpec/...}. Each distinct problem is listed once.
 */
@Component
public class ExperimentPlanner {

    private final JobService jobs;

    private final ExperimentJson json;

    ExperimentPlanner(JobService jobs, ExperimentJson json) {
        this.jobs = jobs;
        this.json = json;
    }

    /** A trial with its first job's validated spec and what that job costs. */
    public record Planned(TrialPlanner.Trial trial, int epochs, long parameterCount, long trainingExamples,
            int members) {

        long costPerEpoch() {
            return parameterCount * trainingExamples * members;
        }
    }

    public List<Planned> plan(UUID tenantId, ExperimentRequest r) {
        List<TrialPlanner.Trial> trials = TrialPlanner.plan(r);
        Halving halving = halving(r);
        Problems problems = new Problems();
        List<Planned> planned = new ArrayList<>();
        for (TrialPlanner.Trial t : trials) {
            ObjectNode spec = TrialSpecs.job(t.spec(), r.name(), t.index(), halving != null ? 0 : null, 0,
                    halving != null ? halving.epochs(0) : null);
            try {
                JobService.Validated v = jobs.validate(tenantId, json.write(spec));
                if (!(v.spec().validationFraction() > 0)) {
                    String at = t.parameters().has("/validationFraction") ? source(r, t, "/validationFraction")
                            : "#/baseSpec/validationFraction";
                    if (!problems.contains(at, "#/validationFraction")) {
                        problems.add(at,
                                "experiments rank trials by a validation metric: validationFraction must " + "be > 0",
                                "#/validationFraction", t.index());
                    }
                }
                planned.add(new Planned(t, v.spec().training().epochs(), v.model().parameterCount(),
                        v.trainingExamples(), v.spec().ensemble().members()));
            }
            catch (ApiException e) {
                if (e.status().value() != 400 || !(e.properties().get("errors") instanceof List<?> errors)) {
                    throw e;
                }
                for (Object error : errors) {
                    Map<?, ?> item = (Map<?, ?>) error;
                    String specPointer = String.valueOf(item.get("pointer"));
                    String at = attribute(r, t, specPointer);
                    if (!problems.contains(at, specPointer)) {
                        problems.add(at, String.valueOf(item.get("detail")), specPointer, t.index());
                    }
                }
            }
        }
        problems.throwIfAny();
        return planned;
    }

    public ExperimentPlan describe(ExperimentRequest r, List<Planned> planned) {
        Halving halving = halving(r);
        List<ExperimentPlan.PlannedTrial> trials = planned.stream()
            .map(p -> new ExperimentPlan.PlannedTrial(p.trial().index(), p.trial().parameters(), p.epochs(),
                    p.parameterCount(), p.trainingExamples(), p.costPerEpoch() * p.epochs() * r.repeats()))
            .toList();
        long cost = trials.stream().mapToLong(ExperimentPlan.PlannedTrial::cost).sum();
        int jobs = planned.size() * r.repeats();
        List<ExperimentPlan.Rung> rungs = null;
        if (halving != null) {
            rungs = new ArrayList<>();
            List<Long> perEpoch = planned.stream()
                .map(Planned::costPerEpoch)
                .sorted(Comparator.reverseOrder())
                .toList();
            int entered = planned.size();
            rungs.add(new ExperimentPlan.Rung(0, halving.epochs(0), entered));
            for (int k = 1; k <= halving.lastRung(); k++) {
                entered = halving.survivors(entered);
                int epochs = halving.epochs(k);
                rungs.add(new ExperimentPlan.Rung(k, epochs, entered));
                jobs += entered * r.repeats();
                cost += perEpoch.subList(0, entered).stream().mapToLong(Long::longValue).sum() * epochs * r.repeats();
            }
        }
        return new ExperimentPlan(planned.size(), r.repeats(), jobs, cost, trials, rungs);
    }

    static Halving halving(ExperimentRequest r) {
        ExperimentRequest.Strategy s = r.strategy();
        return s.halving() ? new Halving(s.minEpochs(), s.maxEpochs(), s.reductionFactor()) : null;
    }

    /** The request member that caused a problem at {@code specPointer}. */
    private static String attribute(ExperimentRequest r, TrialPlanner.Trial t, String specPointer) {
        for (int j = 0; j < r.parameters().size(); j++) {
            String path = "#" + r.parameters().get(j).path();
            if (specPointer.equals(path) || specPointer.startsWith(path + "/")) {
                return t.sources().get(j);
            }
        }
        return "#/baseSpec" + specPointer.substring(1);
    }

    private static String source(ExperimentRequest r, TrialPlanner.Trial t, String path) {
        for (int j = 0; j < r.parameters().size(); j++) {
            if (r.parameters().get(j).path().equals(path)) {
                return t.sources().get(j);
            }
        }
        return "#/baseSpec" + path;
    }

}
