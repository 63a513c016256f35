package dev.trainyard.training.internal;

import dev.trainyard.system.PolledEventStream;
import java.time.Duration;
import java.util.UUID;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Streams a job's events from {@code training_events}, whichever instance trains it,
 * resumable with {@code Last-Event-ID} ({@link PolledEventStream}).
 */
@Component
public class JobEventStream implements DisposableBean {

    static final Duration TIMEOUT = Duration.ofHours(2);

    private final JobStore store;

    private final PolledEventStream streams = new PolledEventStream("training-events", 2, TIMEOUT);

    JobEventStream(JobStore store) {
        this.store = store;
    }

    public SseEmitter open(UUID jobId, long lastEventId) {
        return this.streams.open(after -> this.store.eventsAfter(jobId, after, PolledEventStream.BATCH), lastEventId);
    }

    @Override
    public void destroy() {
        this.streams.close();
    }

}
