package dev.trainyard.system;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events read from a table of stored events, whichever instance wrote them:
 * each stream polls for the events after the last one it sent (its SSE id), so a client's
 * {@code Last-Event-ID} resumes, and it ends after the {@code completed} event. Polling
 * runs on a small pool of daemon threads of its own; {@link #close()} stops them.
 */
public final class PolledEventStream implements AutoCloseable {

    /** An event as stored: its id (increasing), SSE name and JSON data. */
    public record Event(long id, String type, String data) {
    }

    static final long POLL_MILLIS = 250;

    /** Events read per poll. */
    public static final int BATCH = 100;

    private final Duration timeout;

    private final ScheduledExecutorService pollers;

    public PolledEventStream(String threadName, int threads, Duration timeout) {
        this.timeout = timeout;
        this.pollers = Executors.newScheduledThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A stream of the events {@code eventsAfter} finds after {@code lastEventId} (at most
     * {@link #BATCH} per call, in id order), polled until {@code completed} is sent, the
     * client leaves or the timeout passes.
     */
    public SseEmitter open(LongFunction<List<Event>> eventsAfter, long lastEventId) {
        SseEmitter emitter = new SseEmitter(this.timeout.toMillis());
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
        poll.set(this.pollers.scheduleWithFixedDelay(() -> send(eventsAfter, emitter, last, stop), 0, POLL_MILLIS,
                TimeUnit.MILLISECONDS));
        return emitter;
    }

    /**
     * One poll: sends the events after {@code last}, completes the stream after
     * {@code completed}. A failure to read the events ends the stream with that error
     * (the client sees it end and may reconnect with its {@code Last-Event-ID}); a
     * failure to send means the client is gone.
     */
    static void send(LongFunction<List<Event>> eventsAfter, SseEmitter emitter, AtomicLong last, Runnable stop) {
        List<Event> events;
        try {
            events = eventsAfter.apply(last.get());
        }
        catch (RuntimeException e) {
            stop.run();
            emitter.completeWithError(e);
            return;
        }
        try {
            for (Event e : events) {
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
    public void close() {
        this.pollers.shutdownNow();
    }

}
