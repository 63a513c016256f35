package dev.trainyard.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One poll of an event stream: however it ends, the poller stops and the client's stream
 * is ended, never left open without a poller (which would hang the client until its
 * timeout).
 */
class PolledEventStreamTest {

    /** Records what the stream did instead of writing to a response. */
    private static final class RecordingEmitter extends SseEmitter {

        final List<String> sent = new ArrayList<>();

        Throwable failure;

        boolean completed;

        boolean clientGone;

        @Override
        public void send(SseEventBuilder builder) throws IOException {
            if (this.clientGone) {
                throw new IOException("Broken pipe");
            }
            this.sent.add(builder.build().toString());
        }

        @Override
        public void complete() {
            this.completed = true;
        }

        @Override
        public void completeWithError(Throwable ex) {
            this.failure = ex;
        }

    }

    private final AtomicInteger stops = new AtomicInteger();

    private final Runnable stop = this.stops::incrementAndGet;

    @Test
    void aFailureToReadTheEventsEndsTheStreamWithIt() {
        RecordingEmitter emitter = new RecordingEmitter();
        IllegalStateException failure = new IllegalStateException("connection pool shut down");

        PolledEventStream.send(after -> {
            throw failure;
        }, emitter, new AtomicLong(), this.stop);

        assertThat(this.stops).hasValue(1);
        assertThat(emitter.failure).isSameAs(failure);
    }

    @Test
    void sendsTheEventsAndCompletesAfterTheCompletedOne() {
        RecordingEmitter emitter = new RecordingEmitter();
        AtomicLong last = new AtomicLong(4);
        List<Long> askedAfter = new ArrayList<>();

        PolledEventStream.send(after -> {
            askedAfter.add(after);
            return List.of(new PolledEventStream.Event(5, "epoch", "{}"),
                    new PolledEventStream.Event(6, "completed", "{}"), new PolledEventStream.Event(7, "epoch", "{}"));
        }, emitter, last, this.stop);

        assertThat(askedAfter).containsExactly(4L);
        assertThat(emitter.sent).hasSize(2);
        assertThat(last).hasValue(6);
        assertThat(emitter.completed).isTrue();
        assertThat(emitter.failure).isNull();
        assertThat(this.stops).hasValue(1);
    }

    @Test
    void aClientThatLeftStopsThePollerQuietly() {
        RecordingEmitter emitter = new RecordingEmitter();
        emitter.clientGone = true;

        PolledEventStream.send(after -> List.of(new PolledEventStream.Event(1, "epoch", "{}")), emitter,
                new AtomicLong(), this.stop);

        assertThat(this.stops).hasValue(1);
        assertThat(emitter.failure).isNull();
    }

}
