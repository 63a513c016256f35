package dev.trainyard.prediction;

import dev.trainyard.dataset.DatasetService;
import dev.trainyard.dataset.DatasetView;
import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.ensemble.Combination;
import dev.trainyard.engine.tensor.Tensor;
import dev.trainyard.model.ModelService;
import dev.trainyard.model.ModelView;
import dev.trainyard.prediction.internal.EnsembleStore;
import dev.trainyard.prediction.internal.LoadedModel;
import dev.trainyard.prediction.internal.ModelCache;
import dev.trainyard.system.ApiException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The ensembles' API: create one from a tenant's models (the HTTP API, and the training
 * module when a job with K members finishes), describe one. Members must all belong to
 * the tenant and share classes (in the same order) and feature shape, else 422. With a
 * test set, the ensemble (probability averaging, weighted if weights are given) and each
 * member are evaluated on it.
 */
@Service
public class EnsembleService {

    /** Examples per forward pass when evaluating on a test set. */
    static final int EVALUATION_BATCH = 256;

    /** Ensembles remembered at most; beyond, the memory starts over. */
    static final int KNOWN_ENSEMBLES = 10_000;

    private final Map<Key, EnsembleView> known = new ConcurrentHashMap<>();

    private final ModelService models;

    private final ModelCache cache;

    private final EnsembleStore store;

    private final DatasetService datasets;

    EnsembleService(ModelService models, ModelCache cache, EnsembleStore store, DatasetService datasets) {
        this.models = models;
        this.cache = cache;
        this.store = store;
        this.datasets = datasets;
    }

    /**
     * Creates an ensemble; with {@code testDatasetId} (a stored dataset with the members'
     * classes and feature shape) it is evaluated on that dataset. Returns the new
     * ensemble's id.
     */
    @Transactional
    public UUID create(UUID tenantId, String name, List<UUID> modelIds, List<Double> weights, UUID testDatasetId) {
        return createView(tenantId, name, modelIds, weights, testDatasetId).id();
    }

    /** As {@link #create}, returning the new ensemble's description. */
    @Transactional
    public EnsembleView createView(UUID tenantId, String name, List<UUID> modelIds, List<Double> weights,
            UUID testDatasetId) {
        List<ModelView> members = validate(tenantId, name, modelIds, weights);
        Dataset test = null;
        if (testDatasetId != null) {
            test = testSet(tenantId, testDatasetId, members.getFirst());
        }
        return save(tenantId, name, modelIds, weights, test, testDatasetId);
    }

    /**
     * Creates an ensemble evaluated on an in-memory test set whose labels index the
     * members' classes (e.g. a job's test split); {@code testSet} may be null.
     */
    @Transactional
    public UUID create(UUID tenantId, String name, List<UUID> modelIds, List<Double> weights, Dataset testSet) {
        validate(tenantId, name, modelIds, weights);
        return save(tenantId, name, modelIds, weights, testSet, null).id();
    }

    /**
     * The test accuracy of each of the tenant's ensembles among {@code ids} that was
     * evaluated, read in one query; ids of other tenants are absent like unknown ones.
     */
    @Transactional(readOnly = true)
    public Map<UUID, Double> testAccuracies(UUID tenantId, Collection<UUID> ids) {
        return store.testAccuracies(tenantId, ids);
    }

    @Transactional(readOnly = true)
    public Optional<EnsembleView> find(UUID tenantId, UUID id) {
        return store.find(tenantId, id);
    }

    /**
     * The ensemble, or a 404 problem (also for another tenant's ensemble). Ensembles
     * never change, so they are remembered once read: predictions with a known ensemble
     * read nothing from the database.
     */
    public EnsembleView get(UUID tenantId, UUID id) {
        Key key = new Key(tenantId, id);
        EnsembleView known = known(key);
        if (known != null) {
            return known;
        }
        EnsembleView view = store.find(tenantId, id)
            .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "Ensemble not found",
                    "There is no ensemble " + id + ".")
                .with("ensembleId", id));
        remember(key, view);
        return view;
    }

    private record Key(UUID tenantId, UUID id) {
    }

    private EnsembleView known(Key key) {
        return known.get(key);
    }

    private void remember(Key key, EnsembleView view) {
        if (known.size() >= KNOWN_ENSEMBLES) {
            known.clear();
        }
        known.put(key, view);
    }

    private EnsembleView save(UUID tenantId, String name, List<UUID> modelIds, List<Double> weights, Dataset test,
            UUID testDatasetId) {
        Double accuracy = null;
        List<Double> memberAccuracies = null;
        if (test != null) {
            List<LoadedModel> loaded = modelIds.stream().map(id -> cache.get(tenantId, id)).toList();
            double[] w = weights == null ? null : weights.stream().mapToDouble(Double::doubleValue).toArray();
            int[] memberCorrect = new int[loaded.size()];
            int correct = 0;
            int n = test.size();
            for (int from = 0; from < n; from += EVALUATION_BATCH) {
                int to = Math.min(n, from + EVALUATION_BATCH);
                float[] raw = test.features().slice(from, to).toArray();
                List<Tensor> probabilities = new ArrayList<>();
                for (LoadedModel m : loaded) {
                    probabilities.add(m.probabilities(raw, to - from));
                }
                Combination.Result r = Combination.combine(Combination.Method.AVERAGE, probabilities, w);
                for (int i = 0; i < to - from; i++) {
                    int label = test.labels()[from + i];
                    correct += r.labels()[i] == label ? 1 : 0;
                    for (int j = 0; j < loaded.size(); j++) {
                        memberCorrect[j] += r.memberLabels()[i][j] == label ? 1 : 0;
                    }
                }
            }
            accuracy = (double) correct / n;
            memberAccuracies = new ArrayList<>();
            for (int c : memberCorrect) {
                memberAccuracies.add((double) c / n);
            }
        }
        return store.insert(tenantId, name.strip(), modelIds, weights, testDatasetId, accuracy, memberAccuracies);
    }

    private List<ModelView> validate(UUID tenantId, String name, List<UUID> modelIds, List<Double> weights) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw unprocessable("An ensemble needs a name of 1 to 200 characters.").with("pointer", "/name");
        }
        if (modelIds == null || modelIds.isEmpty()) {
            throw unprocessable("An ensemble needs at least one model.").with("pointer", "/modelIds");
        }
        if (modelIds.stream().anyMatch(Objects::isNull) || new HashSet<>(modelIds).size() != modelIds.size()) {
            throw unprocessable("modelIds must be distinct model ids.").with("pointer", "/modelIds");
        }
        if (weights != null) {
            if (weights.size() != modelIds.size()) {
                throw unprocessable(modelIds.size() + " models but " + weights.size() + " weights.").with("pointer",
                        "/weights");
            }
            double sum = 0;
            for (Double w : weights) {
                if (w == null || !Double.isFinite(w) || w < 0) {
                    throw unprocessable("Weights must be finite and non-negative, got " + w + ".").with("pointer",
                            "/weights");
                }
                sum += w;
            }
            if (!(sum > 0)) {
                throw unprocessable("Weights must not all be zero.").with("pointer", "/weights");
            }
        }
        // held until the ensemble is stored, so that none of its models is deleted
        // meanwhile
        models.reserve(tenantId, modelIds);
        List<ModelView> members = new ArrayList<>();
        for (int i = 0; i < modelIds.size(); i++) {
            UUID id = modelIds.get(i);
            int index = i;
            members.add(models.find(tenantId, id)
                .orElseThrow(() -> unprocessable("There is no model " + id + ".").with("modelId", id)
                    .with("pointer", "/modelIds/" + index)));
        }
        ModelView first = members.getFirst();
        for (ModelView m : members) {
            if (!m.classes().equals(first.classes())) {
                throw unprocessable("Model " + m.id() + " has classes " + m.classes() + " but model " + first.id()
                        + " has " + first.classes() + "; an ensemble's members share their classes.")
                    .with("modelId", m.id());
            }
            if (!m.featureShape().equals(first.featureShape())) {
                throw unprocessable("Model " + m.id() + " takes features shaped " + m.featureShape() + " but model "
                        + first.id() + " takes " + first.featureShape() + "; an ensemble's members share it.")
                    .with("modelId", m.id());
            }
        }
        return members;
    }

    /**
     * The stored dataset with labels mapped onto the model's classes; 422 when it does
     * not fit.
     */
    private Dataset testSet(UUID tenantId, UUID datasetId, ModelView model) {
        DatasetView view = datasets.find(tenantId, datasetId)
            .orElseThrow(
                    () -> unprocessable("There is no dataset " + datasetId + ".").with("pointer", "/testDatasetId"));
        if (!view.featureShape().equals(model.featureShape())) {
            throw unprocessable("Test dataset " + datasetId + " has features shaped " + view.featureShape()
                    + " but the models take " + model.featureShape() + ".")
                .with("pointer", "/testDatasetId");
        }
        int[] map = new int[view.classes().size()];
        for (int c = 0; c < map.length; c++) {
            map[c] = model.classes().indexOf(view.classes().get(c));
            if (map[c] < 0) {
                throw unprocessable("Test dataset " + datasetId + " has class " + view.classes().get(c)
                        + " that the models do not know " + model.classes() + ".")
                    .with("pointer", "/testDatasetId");
            }
        }
        Dataset raw = datasets.load(tenantId, datasetId);
        int[] labels = new int[raw.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = map[raw.labels()[i]];
        }
        return new Dataset(raw.features(), labels, model.classes().size());
    }

    private static ApiException unprocessable(String detail) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid ensemble", detail);
    }

}
