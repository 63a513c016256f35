package dev.trainyard.engine.kernel;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * OpenBLAS {@code cblas_sgemm} called through the Foreign Function &amp; Memory API,
 * zero-copy: the heap {@code float[]} arrays are passed as heap segments to a critical
 * downcall ({@code Linker.Option.critical(true)}), so OpenBLAS reads and writes them in
 * place.
 *
 * <p>
 * OpenBLAS runs single-threaded per call ({@code openblas_set_num_threads(1)}):
 * parallelism and the fixed work split are the {@link Gemm} facade's, which keeps results
 * independent of the thread count and never oversubscribes the cores when several jobs
 * run. Semantics are BLAS's: with {@code alpha == 0} the product is skipped (NaN in A or
 * B does not reach C).
 *
 * <p>
 * Construction throws {@link UnsatisfiedLinkError} when no OpenBLAS library can be
 * loaded.
 */
public final class NativeGemm implements GemmProvider {

    private static final int ROW_MAJOR = 101;

    private static final int NO_TRANS = 111;

    private static final int TRANS = 112;

    private final MethodHandle sgemm;

    private final String description;

    private final String coreName;

    public NativeGemm() {
        OpenBlasLibrary.Loaded lib = OpenBlasLibrary.get();
        Linker linker = Linker.nativeLinker();
        ValueLayout.OfInt i = ValueLayout.JAVA_INT;
        ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT;
        this.sgemm = linker.downcallHandle(symbol(lib, "cblas_sgemm"), FunctionDescriptor.ofVoid(i, i, i, i, i, i, f,
                ValueLayout.ADDRESS, i, ValueLayout.ADDRESS, i, f, ValueLayout.ADDRESS, i),
                Linker.Option.critical(true));
        MethodHandle setThreads = linker.downcallHandle(symbol(lib, "openblas_set_num_threads"),
                FunctionDescriptor.ofVoid(i));
        try {
            setThreads.invokeExact(1);
        }
        catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads failed", t);
        }
        this.coreName = coreName(lib);
        this.description = lib.origin() + ", core " + coreName;
    }

    @Override
    public boolean blockInvariant() {
        return false;
    }

    @Override
    public String name() {
        return "native";
    }

    /**
     * Where the library came from and which OpenBLAS kernel set it picked, for the
     * start-up log.
     */
    public String description() {
        return description;
    }

    /**
     * OpenBLAS's kernel set (openblas_get_corename, e.g. Haswell), or {@code unknown}.
     */
    public String coreName() {
        return coreName;
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k == 0) {
            // OpenBLAS would reject lda = 0 for an empty A; C = beta * C is all that is
            // left to do.
            BetaScale.apply(m, n, beta, c, cOff, ldc);
            return;
        }
        try {
            sgemm.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
                    slice(a, aOff), lda, slice(b, bOff), ldb, beta, slice(c, cOff), ldc);
        }
        catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm failed", t);
        }
    }

    private static MemorySegment slice(float[] array, int offset) {
        return MemorySegment.ofArray(array).asSlice((long) offset * Float.BYTES);
    }

    private static MemorySegment symbol(OpenBlasLibrary.Loaded lib, String name) {
        return lib.symbols()
            .find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError(name + " not found in " + lib.origin()));
    }

    private static String coreName(OpenBlasLibrary.Loaded lib) {
        return lib.symbols().find("openblas_get_corename").map(addr -> {
            try {
                MethodHandle h = Linker.nativeLinker().downcallHandle(addr, FunctionDescriptor.of(ValueLayout.ADDRESS));
                MemorySegment s = (MemorySegment) h.invokeExact();
                return s.reinterpret(64).getString(0);
            }
            catch (Throwable t) {
                return "unknown";
            }
        }).orElse("unknown");
    }

}
