package dev.trainyard.experiment.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Streams an experiment's events from {@code experiment_events}, whichever instance
 * advances it: each stream polls for rows after the last one it sent (the SSE id), so
 * {@code Last-Event-ID} resumes, and ends after the {@code completed} event.
 */
@Component
public class ExperimentEventStream implements DisposableBean {

    static final long POLL_MILLIS = 250;

    static final Duration TIMEOUT = Duration.ofHours(12);

    private final ExperimentStore store;

    private final ScheduledExecutorService pollers = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "experiment-events");
        t.setDaemon(true);
        return t;
    });

    ExperimentEventStream(ExperimentStore store) {
        this.store = store;
    }

    public SseEmitter open(UUID experimentId, long lastEventId) {
        SseEmitter emitter = new SseEmitter(TIMEOUT.toMillis());
        AtomicLong last = new AtomicLong(lastEventId);
        AtomicReference<ScheduledFuture<?>> poll = new AtomicReference<>();
        Runnable stop = () -> {
            ScheduledFuture<?> f = poll.get();
            if (f != null) {
                f.cancel(false);
            }
        };
        emitter.onCompletion(stop);
        emitter.onTimeout(() -> {
            stop.run();
            emitter.complete();
        });
        emitter.onError(e -> stop.run());
        poll.set(pollers.scheduleWithFixedDelay(() -> send(experimentId, emitter, last, stop), 0, POLL_MILLIS,
                TimeUnit.MILLISECONDS));
        return emitter;
    }

    private void send(UUID experimentId, SseEmitter emitter, AtomicLong last, Runnable stop) {
        try {
            for (ExperimentStore.StoredEvent e : store.eventsAfter(experimentId, last.get(), 100)) {
                emitter.send(SseEmitter.event()
                    .id(Long.toString(e.id()))
                    .name(e.type())
                    .data(e.data(), MediaType.APPLICATION_JSON));
                last.set(e.id());
                if (e.type().equals("completed")) {
                    stop.run();
                    emitter.complete();
                    return;
                }
            }
        }
        catch (IOException | IllegalStateException clientGone) {
            stop.run();
        }
        catch (RuntimeException e) {
            stop.run();
            emitter.completeWithError(e);
        }
    }

    @Override
    public void destroy() {
        pollers.shutdownNow();
    }

}
