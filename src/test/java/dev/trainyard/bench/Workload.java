package dev.trainyard.bench;

import java.io.PrintStream;

/**
 * One benchmark the {@link Bench} entry point can run. A workload prints its result as
 * JSON lines (the same keys as {@code src/test/bench/pytorch_peer.py}, so
 * {@code compare.sh} can pair them) and nothing else on {@code out}; diagnostics go to
 * standard error.
 */
public interface Workload {

    void run(BenchOptions options, PrintStream out) throws Exception;

}
