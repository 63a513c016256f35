package dev.trainyard.prediction.internal;

import dev.trainyard.engine.kernel.Kernels;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Has the engine choose and load its kernels while the application starts, before the web
 * server takes requests: the GEMM providers (the native one copies the OpenBLAS library
 * out of the jar and loads it, seconds on a busy machine) and the Vector API decision.
 * Otherwise the first predictions of every new instance wait for them, all at once.
 */
@Component
class KernelWarmUp implements SmartInitializingSingleton {

    @Override
    public void afterSingletonsInstantiated() {
        Kernels.support();
        Kernels.gemm();
        Kernels.blockInvariantGemm();
    }

}
