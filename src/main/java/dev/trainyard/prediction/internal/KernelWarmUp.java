package dev.trainyard.prediction.internal;

import dev.trainyard.engine.kernel.Kernels;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Has the engine choose and load its kernels while the application starts, on a thread of
 * its own beside the rest of the start-up: the GEMM providers (the native one copies the
 * OpenBLAS library out of the jar and loads it, seconds on a busy machine) and the Vector
 * API decision. Otherwise the first predictions of every new instance wait for all of it;
 * a prediction that arrives while it still runs waits only for the rest.
 */
@Component
class KernelWarmUp implements SmartInitializingSingleton {

    @Override
    public void afterSingletonsInstantiated() {
        Thread.ofPlatform().name("kernel-warm-up").daemon().start(() -> {
            Kernels.support();
            Kernels.gemm();
            Kernels.blockInvariantGemm();
        });
    }

}
