package dev.trainyard.experiment.internal;

import dev.trainyard.system.PolledEventStream;
import java.time.Duration;
import java.util.UUID;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Streams an experiment's events from {@code experiment_events}, whichever instance
 * advances it, resumable with {@code Last-Event-ID} ({@link PolledEventStream}).
 */
@Component
public class ExperimentEventStream implements DisposableBean {

    static final Duration TIMEOUT = Duration.ofHours(12);

    private final ExperimentStore store;

    private final PolledEventStream streams = new PolledEventStream("experiment-events", 1, TIMEOUT);

    ExperimentEventStream(ExperimentStore store) {
        this.store = store;
    }

    public SseEmitter open(UUID experimentId, long lastEventId) {
        return this.streams.open(after -> this.store.eventsAfter(experimentId, after, PolledEventStream.BATCH),
                lastEventId);
    }

    @Override
    public void destroy() {
        this.streams.close();
    }

}
