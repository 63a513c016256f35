package dev.trainyard.engine.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Loads GEMM providers by name and applies the selection rule of {@link Kernels#gemm()}:
 * {@code trainyard.engine.blas} = {@code native} | {@code java} | {@code reference}
 * forces one (a forced provider that cannot load fails with the reason); otherwise the
 * pure rule {@link #pick}: the Vector API provider where its vectors are 512 bits wide
 * and OpenBLAS's kernels are not AVX-512 ones (measured on an AVX-512 EPYC against
 * OPENBLAS_CORETYPE=Haswell: 1.3-2.2x on the convolution shapes of the cnn and resnet
 * workloads), else native if OpenBLAS loads, else the Vector API provider if the module
 * is present, C2 is on and {@code trainyard.engine.simd} is not {@code false}, else the
 * scalar reference (with a WARN).
 *
 * <p>
 * The Vector API provider is instantiated by class name, so this class and the scalar
 * path never link {@code jdk.incubator.vector} classes.
 */
public final class GemmProviders {

    /** System property that forces a provider. */
    public static final String PROPERTY = "trainyard.engine.blas";

    private static final String PANAMA_CLASS = "dev.trainyard.engine.kernel.PanamaGemm";

    /**
     * The chosen provider, a line for the start-up log, and whether it is a slow fallback
     * worth a WARN.
     */
    public record Choice(GemmProvider provider, String detail, boolean degraded) {
    }

    /** Providers the default rule can pick. */
    enum Pick {

        NATIVE, JAVA, REFERENCE

    }

    /** The default rule's pick and why, for the start-up log. */
    record Decision(Pick pick, String reason) {
    }

    /**
     * OpenBLAS kernel sets (openblas_get_corename, lower case) with AVX-512 GEMM kernels
     * of their own, which the Vector API provider is not measured to beat.
     */
    private static final Set<String> AVX512_CORES = Set.of("skylakex", "cooperlake", "sapphirerapids");

    private GemmProviders() {
    }

    /**
     * The default provider from what this JVM offers: whether OpenBLAS loaded and its
     * core name (null when it did not load), whether the Vector API may be used, and the
     * width in bits of its preferred float vectors (0 when it may not).
     */
    static Decision pick(String nativeCore, boolean vectorUsable, int vectorBits) {
        boolean nativeAvx512 = nativeCore != null && AVX512_CORES.contains(nativeCore.toLowerCase(Locale.ROOT));
        if (vectorUsable && vectorBits >= 512 && !nativeAvx512) {
            return new Decision(Pick.JAVA, "Vector API at " + vectorBits + " bits"
                    + (nativeCore == null ? "" : ", ahead of OpenBLAS core " + nativeCore + " without AVX-512"));
        }
        if (nativeCore != null) {
            return new Decision(Pick.NATIVE,
                    "OpenBLAS core " + nativeCore + (vectorUsable ? ", Vector API only " + vectorBits + " bits" : ""));
        }
        if (vectorUsable) {
            return new Decision(Pick.JAVA, "Vector API at " + vectorBits + " bits, OpenBLAS not loaded");
        }
        return new Decision(Pick.REFERENCE, "neither OpenBLAS nor the Vector API");
    }

    /**
     * Loads the provider called {@code name}.
     * @throws IllegalStateException with the reason when it cannot be loaded here
     */
    public static GemmProvider load(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "reference" -> new ReferenceGemm();
            case "native" -> loadNative();
            case "java" -> loadJava();
            default ->
                throw new IllegalArgumentException(PROPERTY + " must be native, java or reference, got '" + name + "'");
        };
    }

    /** Applies the selection rule; {@code forced} is the property's value or null. */
    public static Choice choose(String forced) {
        if (forced != null && !forced.isBlank()) {
            GemmProvider p = load(forced.trim());
            return new Choice(p, "forced by " + PROPERTY + detail(p), false);
        }
        List<String> skipped = new ArrayList<>();
        NativeGemm nativeGemm = null;
        try {
            nativeGemm = (NativeGemm) loadNative();
        }
        catch (IllegalStateException e) {
            skipped.add(e.getMessage());
        }
        String vectorProblem = vectorProblem();
        if (vectorProblem != null) {
            skipped.add("java: " + vectorProblem);
        }
        Decision d = pick(nativeGemm == null ? null : nativeGemm.coreName(), vectorProblem == null,
                vectorProblem == null ? javaVectorBits() : 0);
        String why = "default: " + d.reason() + (skipped.isEmpty() ? "" : "; " + String.join("; ", skipped));
        return switch (d.pick()) {
            case JAVA -> new Choice(loadJava(), why, false);
            case NATIVE -> new Choice(nativeGemm, why + detail(nativeGemm), false);
            case REFERENCE -> new Choice(new ReferenceGemm(), "slow scalar fallback; " + why, true);
        };
    }

    /**
     * Bit width of the Vector API provider's preferred float vectors, asked by name so
     * this class never links {@code jdk.incubator.vector}; 0 when it cannot say.
     */
    private static int javaVectorBits() {
        try {
            return (int) Class.forName(PANAMA_CLASS).getDeclaredMethod("vectorBits").invoke(null);
        }
        catch (ReflectiveOperationException | LinkageError e) {
            return 0;
        }
    }

    private static String detail(GemmProvider p) {
        return p instanceof NativeGemm n ? ", " + n.description() : "";
    }

    private static GemmProvider loadNative() {
        try {
            return new NativeGemm();
        }
        catch (UnsatisfiedLinkError | IllegalStateException | IllegalCallerException e) {
            throw new IllegalStateException("native: " + e.getMessage() + (e instanceof IllegalCallerException
                    ? " (start the JVM with --enable-native-access=ALL-UNNAMED)" : ""), e);
        }
    }

    private static GemmProvider loadJava() {
        if (!Kernels.vectorModulePresent()) {
            throw new IllegalStateException(
                    "java: module jdk.incubator.vector is absent (start the JVM with --add-modules jdk.incubator.vector)");
        }
        try {
            return (GemmProvider) Class.forName(PANAMA_CLASS).getDeclaredConstructor().newInstance();
        }
        catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("java: cannot load " + PANAMA_CLASS + ": " + e, e);
        }
    }

    /**
     * Why the Vector API provider should not be the default, or null when it may: the
     * same rule as the other kernels ({@link Kernels.SimdDecision}: module present, C2
     * on, {@code trainyard.engine.simd} not {@code false}).
     */
    static String vectorProblem() {
        Kernels.SimdDecision d = Kernels.SimdDecision.of(Kernels.vectorModulePresent(), Kernels.c2Enabled(),
                System.getProperty(Kernels.SIMD_PROPERTY));
        return d.enabled() ? null : d.reason();
    }

}
