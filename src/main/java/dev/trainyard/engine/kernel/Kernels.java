package dev.trainyard.engine.kernel;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;

/**
 * Chooses the kernel implementations once per process and logs the choice.
 *
 * <p>
 * GEMM: {@code trainyard.engine.blas} = {@code native} | {@code java} | {@code reference}
 * forces a provider; otherwise the best one available. Other kernels: the Vector API
 * implementation when {@link #simdEnabled()}, else the scalar reference. Fast
 * implementations are loaded by class name so the scalar path never links incubator
 * classes.
 *
 * <p>
 * SIMD is used when the {@code jdk.incubator.vector} module is in the boot layer, the C2
 * compiler is on (without it the Vector API runs interpreted, far slower than scalar
 * code) and the system property {@code trainyard.engine.simd} is not {@code false}. The
 * decision is made once; when the JVM rules it out a single WARN says how to enable it.
 */
public final class Kernels {

    private static final System.Logger LOG = System.getLogger(Kernels.class.getName());

    /** System property; {@code false} forces the scalar kernels. */
    public static final String SIMD_PROPERTY = "trainyard.engine.simd";

    static final String PANAMA_KERNELS = "dev.trainyard.engine.kernel.PanamaKernels";

    private Kernels() {
    }

    /**
     * Its own holder, so that {@code chooseGemm()} and {@code chooseSupport()} may both
     * ask {@link #simdEnabled()}.
     */
    private static final class Simd {

        static final SimdDecision DECISION = decide();

        private static SimdDecision decide() {
            SimdDecision d = SimdDecision.of(vectorModulePresent(), c2Enabled(), System.getProperty(SIMD_PROPERTY));
            if (!d.enabled()) {
                LOG.log(d.forcedOff() ? Level.INFO : Level.WARNING, "Vector API kernels off: {0}", d.reason());
            }
            return d;
        }

    }

    /**
     * Separate holders: elementwise code never waits for a GEMM library to load, and vice
     * versa.
     */
    private static final class GemmHolder {

        static final GemmProvider GEMM = chooseGemm();

    }

    private static final class BlockInvariantHolder {

        static final GemmProvider GEMM = chooseBlockInvariant();

    }

    private static final class SupportHolder {

        static final KernelSupport SUPPORT = chooseSupport();

    }

    public static GemmProvider gemm() {
        return GemmHolder.GEMM;
    }

    /**
     * A provider whose elements of C do not depend on the block of C they are computed
     * in: the process's provider when it is so, else the Vector API provider when SIMD is
     * enabled, else the scalar reference.
     */
    public static GemmProvider blockInvariantGemm() {
        return BlockInvariantHolder.GEMM;
    }

    public static KernelSupport support() {
        return SupportHolder.SUPPORT;
    }

    /**
     * Whether Vector API (SIMD) implementations may be used in this JVM: decided once,
     * see the class comment. Providers that need {@code jdk.incubator.vector} must check
     * this first.
     */
    public static boolean simdEnabled() {
        return Simd.DECISION.enabled();
    }

    /** Whether the Vector API module is loaded in this JVM. */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * Whether HotSpot's optimising compiler (C2) is on: not {@code -Xint}, and tiered
     * compilation not stopped below level 4. Assumed on where the VM does not tell.
     */
    static boolean c2Enabled() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (vm == null) {
                return true;
            }
            if ("false".equals(vm.getVMOption("UseCompiler").getValue())) {
                return false;
            }
            boolean tiered = "true".equals(vm.getVMOption("TieredCompilation").getValue());
            int stopAt = Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue());
            return !tiered || stopAt >= 4;
        }
        catch (RuntimeException | LinkageError e) {
            return true;
        }
    }

    /** The outcome of the SIMD checks, with the reason when it is off. */
    record SimdDecision(boolean enabled, boolean forcedOff, String reason) {

        /**
         * Pure decision from the three inputs, so tests can cover every branch in one
         * JVM.
         */
        static SimdDecision of(boolean modulePresent, boolean c2, String simdProperty) {
            if ("false".equalsIgnoreCase(simdProperty)) {
                return new SimdDecision(false, true, SIMD_PROPERTY + "=false forces the scalar kernels");
            }
            if (!modulePresent) {
                return new SimdDecision(false, false, "module jdk.incubator.vector is not loaded; start the JVM with"
                        + " --add-modules jdk.incubator.vector to enable the fast kernels");
            }
            if (!c2) {
                return new SimdDecision(false, false, "the C2 compiler is off (-Xint or -XX:TieredStopAtLevel < 4);"
                        + " do not limit tiered compilation to enable the fast kernels");
            }
            return new SimdDecision(true, false, "");
        }
    }

    private static GemmProvider chooseGemm() {
        GemmProviders.Choice choice = GemmProviders.choose(System.getProperty(GemmProviders.PROPERTY));
        if (choice.degraded()) {
            LOG.log(Level.WARNING,
                    "GEMM provider: {0} ({1}); bundle OpenBLAS (org.bytedeco:openblas) or start the JVM"
                            + " with --add-modules jdk.incubator.vector for a fast one",
                    choice.provider().name(), choice.detail());
        }
        else {
            LOG.log(Level.INFO, "GEMM provider: {0} ({1})", choice.provider().name(), choice.detail());
        }
        return choice.provider();
    }

    private static GemmProvider chooseBlockInvariant() {
        GemmProvider p = gemm();
        if (!p.blockInvariant()) {
            p = simdEnabled() ? GemmProviders.load("java") : new ReferenceGemm();
        }
        LOG.log(Level.INFO, "GEMM provider for batched predictions (block-invariant): {0}", p.name());
        return p;
    }

    private static KernelSupport chooseSupport() {
        KernelSupport k = supportFor(simdEnabled());
        LOG.log(Level.INFO, "kernels: {0}", k.name());
        return k;
    }

    /**
     * The Vector API kernels when {@code simd}, else the reference; package-private for
     * tests.
     */
    static KernelSupport supportFor(boolean simd) {
        if (!simd) {
            return new ReferenceKernels();
        }
        try {
            return (KernelSupport) Class.forName(PANAMA_KERNELS).getDeclaredConstructor().newInstance();
        }
        catch (ReflectiveOperationException | LinkageError e) {
            LOG.log(Level.WARNING, "Vector API kernels failed to load, using the scalar reference: {0}", e.toString());
            return new ReferenceKernels();
        }
    }

}
