package dev.trainyard.experiment.internal;

import dev.trainyard.experiment.ExperimentRequest;
import dev.trainyard.experiment.ExperimentView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Turns stored rows into the {@link ExperimentView} clients see: one query each for the
 * experiment, its trials and its runs, whatever the number of trials.
 */
@Component
public class ExperimentViews {

    private final ExperimentStore store;

    private final ExperimentJson json;

    ExperimentViews(ExperimentStore store, ExperimentJson json) {
        this.store = store;
        this.json = json;
    }

    public ExperimentView view(UUID id) {
        ExperimentRow e = store.find(id).orElseThrow();
        return view(e, store.trials(id), store.runs(id));
    }

    public ExperimentView view(ExperimentRow e, List<TrialRow> trials, List<RunRow> runs) {
        ExperimentRequest.Strategy strategy = json.readRequest(e.request()).strategy();
        Map<Integer, List<RunRow>> byTrial = runs.stream()
            .collect(Collectors.groupingBy(RunRow::trial, Collectors.toCollection(ArrayList::new)));
        List<ExperimentView.Trial> views = trials.stream()
            .map(t -> trial(strategy.halving(), t, byTrial.getOrDefault(t.trial(), List.of())))
            .toList();
        return new ExperimentView(e.id(), e.name(), e.status(), strategy, e.metric(), e.repeats(), e.maxConcurrent(),
                strategy.halving() ? e.rung() : null, e.createdAt(), e.startedAt(), e.finishedAt(), views,
                Leaderboard.of(e.metric(), trials));
    }

    ExperimentView.Trial trial(boolean halving, TrialRow t, List<RunRow> runs) {
        int epochs = runs.stream().filter(r -> r.rung() == t.rung()).findFirst().map(RunRow::epochs).orElse(0);
        return new ExperimentView.Trial(t.trial(), json.tree(t.parameters()), t.status(),
                runs.stream().map(RunRow::jobId).filter(Objects::nonNull).toList(), halving ? t.rung() : null, epochs,
                t.metrics(), t.error());
    }

}
