package dev.trainyard.prediction.internal;

import dev.trainyard.model.ModelDeleted;
import dev.trainyard.model.ModelRegistry;
import dev.trainyard.model.ModelView;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Loaded models, least recently used first out once their weights exceed
 * {@code trainyard.prediction.cache-bytes}. A hit reads nothing from the database and
 * takes no lock: it reads a concurrent map and stamps the entry with a use counter;
 * eviction, rare, scans the entries for the oldest stamp. Models never change once
 * registered, so an entry is only dropped when evicted or when its model is deleted (on
 * this instance; another instance drops it when evicted).
 */
@Component
public class ModelCache {

    private record Key(UUID tenantId, UUID modelId) {
    }

    private static final class Entry {

        final LoadedModel model;

        volatile long lastUse;

        Entry(LoadedModel model, long lastUse) {
            this.model = model;
            this.lastUse = lastUse;
        }

    }

    private final ModelRegistry registry;

    private final PredictionProperties properties;

    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();

    private final AtomicLong uses = new AtomicLong();

    /** One lock per key being loaded, so concurrent misses on one model load it once. */
    private final Map<Key, Object> loading = new ConcurrentHashMap<>();

    /** Weight bytes of the entries; written under this object's lock. */
    private volatile long bytes;

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
                        properties.replicas(), properties.batchRows());
                put(key, loaded);
                return loaded;
            }
            finally {
                loading.remove(key);
            }
        }
    }

    /** Whether the model is loaded now (for tests and metrics). */
    public boolean contains(UUID tenantId, UUID modelId) {
        return entries.containsKey(new Key(tenantId, modelId));
    }

    public long bytes() {
        return bytes;
    }

    @EventListener
    void on(ModelDeleted deleted) {
        remove(new Key(deleted.tenantId(), deleted.modelId()));
    }

    private LoadedModel lookup(Key key) {
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        e.lastUse = uses.incrementAndGet();
        return e.model;
    }

    private synchronized void put(Key key, LoadedModel model) {
        Entry old = entries.put(key, new Entry(model, uses.incrementAndGet()));
        long total = bytes + model.weightBytes() - (old == null ? 0 : old.model.weightBytes());
        // keep at least the model just loaded, even when it alone exceeds the budget
        while (total > properties.cacheBytes().toBytes() && entries.size() > 1) {
            Map.Entry<Key, Entry> eldest = null;
            for (Map.Entry<Key, Entry> e : entries.entrySet()) {
                if (!e.getKey().equals(key) && (eldest == null || e.getValue().lastUse < eldest.getValue().lastUse)) {
                    eldest = e;
                }
            }
            if (eldest == null || !entries.remove(eldest.getKey(), eldest.getValue())) {
                break;
            }
            total -= eldest.getValue().model.weightBytes();
        }
        bytes = total;
    }

    private synchronized void remove(Key key) {
        Entry old = entries.remove(key);
        if (old != null) {
            bytes -= old.model.weightBytes();
        }
    }

}
