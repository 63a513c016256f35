package dev.trainyard.experiment.internal;

import dev.trainyard.experiment.ExperimentRequest;
import dev.trainyard.experiment.ExperimentView;
import dev.trainyard.experiment.TrialMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import tools.jackson.databind.JsonNode;

/**
 * {@code results.csv}: a header, then one row per trial in index order with its rank on
 * the leaderboard (1 = best), each parameter's value (strings as they are, other values
 * as JSON), status, rung, epochs, the metrics and their standard deviations over repeats
 * (empty when absent), the job ids (separated by spaces) and the error. Fields with a
 * comma, quote or line break are quoted as RFC 4180 says.
 */
public final class ResultsCsv {

    private ResultsCsv() {
    }

    public static String write(ExperimentRequest request, ExperimentView view) {
        List<String> paths = request.parameters().stream().map(ExperimentRequest.Parameter::path).toList();
        Map<Integer, Integer> rank = IntStream.range(0, view.leaderboard().size())
            .boxed()
            .collect(Collectors.toMap(view.leaderboard()::get, i -> i + 1));
        StringBuilder csv = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("index", "rank"));
        header.addAll(paths);
        header.addAll(List.of("status", "rung", "epochs", "bestValAccuracy", "bestValAccuracyStd", "bestValLoss",
                "bestValLossStd", "testAccuracy", "testAccuracyStd", "jobIds", "error"));
        line(csv, header);
        for (ExperimentView.Trial t : view.trials()) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(t.index()), rank.get(t.index()).toString()));
            for (String path : paths) {
                JsonNode value = t.parameters().get(path);
                row.add(value == null ? "" : value.isString() ? value.asString() : value.toString());
            }
            TrialMetrics m = t.metrics();
            row.addAll(List.of(t.status().name(), t.rung() == null ? "" : t.rung().toString(),
                    Integer.toString(t.epochs()), number(m.bestValAccuracy()), number(m.bestValAccuracyStd()),
                    number(m.bestValLoss()), number(m.bestValLossStd()), number(m.testAccuracy()),
                    number(m.testAccuracyStd()), String.join(" ", t.jobIds().stream().map(UUID::toString).toList()),
                    t.error() == null ? "" : t.error()));
            line(csv, row);
        }
        return csv.toString();
    }

    private static String number(Double value) {
        return value == null ? "" : value.toString();
    }

    private static void line(StringBuilder csv, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            String f = fields.get(i);
            if (f.contains(",") || f.contains("\"") || f.contains("\n") || f.contains("\r")) {
                csv.append('"').append(f.replace("\"", "\"\"")).append('"');
            }
            else {
                csv.append(f);
            }
        }
        csv.append("\r\n");
    }

}
