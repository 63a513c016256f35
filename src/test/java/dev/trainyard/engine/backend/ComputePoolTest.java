package dev.trainyard.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The compute pool's threads, as thread dumps and profiles show them. */
class ComputePoolTest {

    @Test
    void everyWorkerHasANameOfItsOwn() throws InterruptedException {
        Map<Thread, String> names = new ConcurrentHashMap<>();
        try (ComputePool pool = ComputePool.create(3)) {
            // each chunk waits (a bounded time) until two workers have run one, so that
            // at least two take part
            pool.parallelFor(12, i -> {
                Thread t = Thread.currentThread();
                names.put(t, t.getName());
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (names.size() < 2 && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            });
        }
        assertThat(names).hasSizeGreaterThanOrEqualTo(2);
        assertThat(names.values()).doesNotHaveDuplicates().allMatch(n -> n.matches("trainyard-compute-\\d+"));
    }

}
