package dev.trainyard.prediction.internal;

import dev.trainyard.model.ModelDeleted;
import dev.trainyard.model.ModelRegistry;
import dev.trainyard.model.ModelView;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Loaded models, least recently used first out once their weights exceed
 * {@code trainyard.prediction.cache-bytes}. A hit reads nothing from the database. Models
 * never change once registered, so an entry is only dropped when evicted or when its
 * model is deleted (on this instance; another instance drops it when evicted).
 */
@Component
public class ModelCache {

    private record Key(UUID tenantId, UUID modelId) {
    }

    private final ModelRegistry registry;

    private final PredictionProperties properties;

    private final LinkedHashMap<Key, LoadedModel> entries = new LinkedHashMap<>(16, 0.75f, true);

    /** One lock per key being loaded, so concurrent misses on one model load it once. */
    private final Map<Key, Object> loading = new ConcurrentHashMap<>();

    private long bytes;

    ModelCache(ModelRegistry registry, PredictionProperties properties) {
        this.registry = registry;
        this.properties = properties;
    }

    /** The tenant's model, loaded; a 404 problem if the tenant has no such model. */
    public LoadedModel get(UUID tenantId, UUID modelId) {
        Key key = new Key(tenantId, modelId);
        LoadedModel hit = lookup(key);
        if (hit != null) {
            return hit;
        }
        synchronized (loading.computeIfAbsent(key, k -> new Object())) {
            try {
                hit = lookup(key);
                if (hit != null) {
                    return hit;
                }
                ModelView view = registry.get(tenantId, modelId);
                LoadedModel loaded = new LoadedModel(tenantId, view, registry.file(tenantId, modelId),
                        properties.replicas());
                put(key, loaded);
                return loaded;
            }
            finally {
                loading.remove(key);
            }
        }
    }

    /** Whether the model is loaded now (for tests and metrics). */
    public synchronized boolean contains(UUID tenantId, UUID modelId) {
        return entries.containsKey(new Key(tenantId, modelId));
    }

    public synchronized long bytes() {
        return bytes;
    }

    @EventListener
    void on(ModelDeleted deleted) {
        remove(new Key(deleted.tenantId(), deleted.modelId()));
    }

    private synchronized LoadedModel lookup(Key key) {
        return entries.get(key);
    }

    private synchronized void put(Key key, LoadedModel model) {
        LoadedModel old = entries.put(key, model);
        if (old != null) {
            bytes -= old.weightBytes();
        }
        bytes += model.weightBytes();
        Iterator<Map.Entry<Key, LoadedModel>> eldest = entries.entrySet().iterator();
        // keep at least the model just loaded, even when it alone exceeds the budget
        while (bytes > properties.cacheBytes().toBytes() && entries.size() > 1 && eldest.hasNext()) {
            Map.Entry<Key, LoadedModel> e = eldest.next();
            if (e.getKey().equals(key)) {
                continue;
            }
            bytes -= e.getValue().weightBytes();
            eldest.remove();
        }
    }

    private synchronized void remove(Key key) {
        LoadedModel old = entries.remove(key);
        if (old != null) {
            bytes -= old.weightBytes();
        }
    }

}
