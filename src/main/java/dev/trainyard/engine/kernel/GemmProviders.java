package dev.trainyard.engine.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loads GEMM providers by name and applies the selection rule of {@link Kernels#gemm()}:
 * {@code trainyard.engine.blas} = {@code native} | {@code java} | {@code reference}
 * forces one (a forced provider that cannot load fails with the reason); otherwise native
 * if OpenBLAS loads, else the Vector API provider if the module is present, C2 is on and
 * {@code trainyard.engine.simd} is not {@code false}, else the scalar reference (with a
 * WARN).
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

    private GemmProviders() {
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
        try {
            GemmProvider p = loadNative();
            return new Choice(p, "default" + detail(p), false);
        }
        catch (IllegalStateException e) {
            skipped.add(e.getMessage());
        }
        String vectorProblem = vectorProblem();
        if (vectorProblem == null) {
            GemmProvider p = loadJava();
            return new Choice(p, "default; " + String.join("; ", skipped), false);
        }
        skipped.add("java: " + vectorProblem);
        return new Choice(new ReferenceGemm(), "slow scalar fallback; " + String.join("; ", skipped), true);
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
