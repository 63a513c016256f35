package dev.trainyard.prediction.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import dev.trainyard.model.ModelDeleted;
import dev.trainyard.model.ModelService;
import dev.trainyard.model.ModelView;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Loaded models, a Caffeine cache weighed in bytes ({@link LoadedModel#weightBytes()})
 * and bounded by {@code trainyard.prediction.cache-bytes}. Caffeine picks what to evict
 * by recency and frequency (W-TinyLFU), so a model asked for once may be left out rather
 * than push out one in steady use; a model heavier than the whole budget is served but
 * not kept. A hit reads nothing from the database and takes no lock; concurrent misses on
 * one model load it once. Models never change once registered (an import makes a new id),
 * so an entry is only dropped when evicted or when its model is deleted: at once on the
 * instance that deleted it (after the deletion committed), and on every other instance
 * sharing the database at its next {@link #evictDeleted()}, which {@link ModelCacheCheck}
 * runs every {@code trainyard.prediction.cache-check-interval}.
 */
@Component
public class ModelCache {

    private record Key(UUID tenantId, UUID modelId) {
    }

    private final ModelService registry;

    private final PredictionProperties properties;

    private final Cache<Key, LoadedModel> models;

    private final Policy.Eviction<Key, LoadedModel> eviction;

    /** Held once, so that a hit allocates no loader. */
    private final Function<Key, LoadedModel> loader = this::load;

    ModelCache(ModelService registry, PredictionProperties properties) {
        this.registry = registry;
        this.properties = properties;
        // Caffeine's maintenance (weights, eviction) runs on the thread that loaded or
        // removed a model, so an evicted model's bytes are given up before its
        // successor's load returns, rather than later on the common pool.
        this.models = Caffeine.newBuilder()
            .maximumWeight(properties.cacheBytes().toBytes())
            .weigher(ModelCache::weight)
            .executor(Runnable::run)
            .build();
        this.eviction = models.policy().eviction().orElseThrow();
    }

    /** The tenant's model, loaded; a 404 problem if the tenant has no such model. */
    public LoadedModel get(UUID tenantId, UUID modelId) {
        return models.get(new Key(tenantId, modelId), loader);
    }

    /**
     * Whether the model is loaded now (for tests and metrics); does not count as a use.
     */
    public boolean contains(UUID tenantId, UUID modelId) {
        return models.asMap().containsKey(new Key(tenantId, modelId));
    }

    /** Weight bytes of the models loaded now. */
    public long bytes() {
        return eviction.weightedSize().orElseThrow();
    }

    /**
     * Drops the loaded models that are no longer stored, with one query (per 1,000 models
     * loaded) and no lock on the entries; returns how many it dropped. A model loaded
     * while the query runs is left for the next call.
     */
    public int evictDeleted() {
        Set<UUID> loaded = new HashSet<>();
        for (Key key : models.asMap().keySet()) {
            loaded.add(key.modelId());
        }
        if (loaded.isEmpty()) {
            return 0;
        }
        Set<UUID> existing = registry.existing(loaded);
        int dropped = 0;
        for (Key key : models.asMap().keySet()) {
            if (loaded.contains(key.modelId()) && !existing.contains(key.modelId())) {
                models.invalidate(key);
                dropped++;
            }
        }
        return dropped;
    }

    /**
     * After the deletion committed, so that a request racing it cannot load the model
     * again from rows that are still visible; without a transaction, at once.
     */
    @TransactionalEventListener(fallbackExecution = true)
    void on(ModelDeleted deleted) {
        models.invalidate(new Key(deleted.tenantId(), deleted.modelId()));
    }

    private LoadedModel load(Key key) {
        ModelView view = registry.get(key.tenantId(), key.modelId());
        return new LoadedModel(key.tenantId(), view, registry.file(key.tenantId(), key.modelId()),
                properties.replicas(), properties.batchRows());
    }

    /** Caffeine weighs in ints: a model past 2 GiB counts as 2 GiB. */
    private static int weight(Key key, LoadedModel model) {
        return (int) Math.min(model.weightBytes(), Integer.MAX_VALUE);
    }

}
