package dev.trainyard.prediction.batch;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a finished batch's results, one line per example in dataset order, reading one
 * stored chunk at a time (never the whole result):
 *
 * <ul>
 * <li>CSV (RFC 4180, CRLF): {@code index,label,p_<class>...[,trueLabel]}, a header line
 * first; fields with a comma, quote or line break are quoted;
 * <li>JSON Lines:
 * {@code {"index":0,"label":"cat","probabilities":[...],"trueLabel":"cat"}}.
 * </ul>
 *
 * {@code label} is the predicted class name, the probabilities follow the model's
 * classes, and {@code trueLabel} is there only for a labelled batch. Probabilities are
 * written as the shortest decimal that reads back as the same float32; a value that is
 * not finite as the string {@code "NaN"} (JSON) or {@code NaN} (CSV).
 */
@Component
class ResultsWriter {

    private final BatchStore store;

    private final JsonMapper json;

    ResultsWriter(BatchStore store, JsonMapper json) {
        this.store = store;
        this.json = json;
    }

    void write(BatchRow batch, ResultFormat format, OutputStream out) throws IOException {
        List<String> classes = batch.classes();
        int k = classes.size();
        boolean csv = format == ResultFormat.CSV;
        String[] names = new String[k];
        for (int c = 0; c < k; c++) {
            names[c] = csv ? csvField(classes.get(c)) : json.writeValueAsString(classes.get(c));
        }
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        StringBuilder text = new StringBuilder(1 << 16);
        if (csv) {
            text.append("index,label");
            for (String name : classes) {
                text.append(',').append(csvField("p_" + name));
            }
            text.append(batch.labelled() ? ",trueLabel\r\n" : "\r\n");
        }
        for (int chunk = 0; chunk < batch.progress().chunksDone(); chunk++) {
            BatchStore.StoredChunk stored = chunk(batch.id(), chunk);
            int[] labels = ChunkScores.ints(stored.labels());
            float[] p = ChunkScores.floats(stored.probabilities());
            int[] truth = stored.trueLabels() == null ? null : ChunkScores.ints(stored.trueLabels());
            for (int r = 0; r < stored.rows(); r++) {
                int index = stored.firstRow() + r;
                if (csv) {
                    csvLine(text, index, names, labels[r], p, r * k, truth == null ? -1 : truth[r]);
                }
                else {
                    jsonLine(text, index, names, labels[r], p, r * k, truth == null ? -1 : truth[r]);
                }
            }
            w.append(text);
            text.setLength(0);
        }
        w.append(text);
        w.flush();
    }

    private BatchStore.StoredChunk chunk(UUID id, int chunk) {
        return store.chunk(id, chunk)
            .orElseThrow(() -> new IllegalStateException("batch prediction " + id + " lacks chunk " + chunk));
    }

    private static void csvLine(StringBuilder text, int index, String[] names, int label, float[] p, int offset,
            int truth) {
        text.append(index).append(',').append(names[label]);
        for (int c = 0; c < names.length; c++) {
            text.append(',');
            float v = p[offset + c];
            if (Float.isFinite(v)) {
                text.append(v);
            }
            else {
                text.append("NaN");
            }
        }
        if (truth >= 0) {
            text.append(',').append(names[truth]);
        }
        text.append("\r\n");
    }

    private static void jsonLine(StringBuilder text, int index, String[] names, int label, float[] p, int offset,
            int truth) {
        text.append("{\"index\":")
            .append(index)
            .append(",\"label\":")
            .append(names[label])
            .append(",\"probabilities\":[");
        for (int c = 0; c < names.length; c++) {
            if (c > 0) {
                text.append(',');
            }
            float v = p[offset + c];
            if (Float.isFinite(v)) {
                text.append(v);
            }
            else {
                text.append("\"NaN\"");
            }
        }
        text.append(']');
        if (truth >= 0) {
            text.append(",\"trueLabel\":").append(names[truth]);
        }
        text.append("}\n");
    }

    private static String csvField(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }

}
