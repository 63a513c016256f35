package dev.trainyard.engine.kernel;

import java.lang.System.Logger.Level;

/**
 * Chooses the kernel implementations once per process and logs the choice.
 *
 * <p>GEMM: {@code trainyard.engine.blas} = {@code native} | {@code java} | {@code reference}
 * forces a provider; otherwise the best one available. Other kernels: the Vector API
 * implementation when {@code jdk.incubator.vector} is present and {@code trainyard.engine.simd}
 * is not {@code false}, else the scalar reference. Fast implementations are loaded by class name
 * so the scalar path never links incubator classes.
 */
public final class Kernels {

    private static final System.Logger LOG = System.getLogger(Kernels.class.getName());

    private Kernels() {
    }

    private static final class Holder {
        static final GemmProvider GEMM = chooseGemm();
        static final KernelSupport SUPPORT = chooseSupport();
    }

    public static GemmProvider gemm() {
        return Holder.GEMM;
    }

    public static KernelSupport support() {
        return Holder.SUPPORT;
    }

    /** Whether the Vector API module is loaded in this JVM. */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    private static GemmProvider chooseGemm() {
        GemmProviders.Choice choice = GemmProviders.choose(System.getProperty(GemmProviders.PROPERTY));
        if (choice.degraded()) {
            LOG.log(Level.WARNING, "GEMM provider: {0} ({1}); bundle OpenBLAS (org.bytedeco:openblas) or start the JVM"
                    + " with --add-modules jdk.incubator.vector for a fast one", choice.provider().name(), choice.detail());
        } else {
            LOG.log(Level.INFO, "GEMM provider: {0} ({1})", choice.provider().name(), choice.detail());
        }
        return choice.provider();
    }

    private static KernelSupport chooseSupport() {
        KernelSupport k = new ReferenceKernels();
        LOG.log(Level.INFO, "kernels: {0}", k.name());
        return k;
    }
}
