package dev.trainyard.prediction.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.stereotype.Component;

/**
 * How well prediction requests batch: forward passes run for queued requests
 * ({@code trainyard.prediction.forward.batches}) and the requests they served
 * ({@code trainyard.prediction.forward.requests}), over every model of this process.
 * Their ratio is the mean batch: 1 when every request ran alone and read all the weights
 * for itself. An ensemble request counts once per member. The rows the passes computed
 * ({@code trainyard.prediction.forward.rows}) and the time they took
 * ({@code trainyard.prediction.forward.time}) give the cost of a pass and of a row.
 */
@Component
class PredictionMeters implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("trainyard.prediction.forward.batches", BatchQueue.ALL_BATCHES, LongAdder::sum)
            .description("Forward passes run for queued prediction requests")
            .register(registry);
        FunctionCounter
            .builder("trainyard.prediction.forward.requests", BatchQueue.ALL_BATCHED_REQUESTS, LongAdder::sum)
            .description("Prediction requests served by those forward passes (one per ensemble member)")
            .register(registry);
        FunctionCounter.builder("trainyard.prediction.forward.rows", BatchQueue.ALL_BATCHED_ROWS, LongAdder::sum)
            .description("Instances (rows) those forward passes computed")
            .register(registry);
        FunctionCounter
            .builder("trainyard.prediction.forward.time", BatchQueue.ALL_FORWARD_NANOS, nanos -> nanos.sum() / 1e9)
            .baseUnit("seconds")
            .description("Time those forward passes took on the threads that ran them (wall clock)")
            .register(registry);
    }

}
