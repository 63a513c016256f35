package dev.trainyard.prediction.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs {@link ModelCache#evictDeleted()} every
 * {@code trainyard.prediction.cache-check-interval} (500 ms by default) on one thread of
 * its own, so that a model deleted through any instance sharing the database stops
 * serving here within about that interval. Predictions never wait for it: the hot path
 * reads the cache only. While the database cannot be reached, loaded models keep serving
 * and the check retries; it warns once per outage.
 */
@Component
class ModelCacheCheck implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ModelCacheCheck.class);

    private final ModelCache cache;

    private final Duration interval;

    private ScheduledExecutorService executor;

    private boolean failing;

    ModelCacheCheck(ModelCache cache, PredictionProperties properties) {
        this.cache = cache;
        this.interval = properties.cacheCheckInterval();
    }

    private void check() {
        try {
            int dropped = cache.evictDeleted();
            if (dropped > 0) {
                log.debug("Dropped {} loaded models deleted elsewhere", dropped);
            }
            if (failing) {
                log.info("Checking loaded models against the database works again");
                failing = false;
            }
        }
        catch (RuntimeException e) {
            if (!failing) {
                log.warn("Could not check loaded models against the database; they keep serving and the check"
                        + " retries every {}", interval, e);
                failing = true;
            }
        }
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "model-cache-check");
            t.setDaemon(true);
            return t;
        });
        long nanos = interval.toNanos();
        executor.scheduleWithFixedDelay(this::check, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

}
