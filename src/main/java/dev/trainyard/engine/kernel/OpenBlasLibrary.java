package dev.trainyard.engine.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds and loads an OpenBLAS shared library for {@link NativeGemm}, once per process.
 *
 * <p>
 * First choice: the binary shipped inside the {@code org.bytedeco:openblas} platform jar
 * (only used as a carrier: none of JavaCPP's Java classes are touched). Its {@code .so}
 * files are copied to a private temporary directory and loaded with
 * {@link SymbolLookup#libraryLookup(Path, Arena)} in dependency order (libquadmath,
 * libgfortran, then libopenblas, whose RUNPATH is its own directory), and the directory
 * is deleted as soon as they are loaded: the loader keeps its mappings of deleted files,
 * and a process that is killed (no shutdown hook runs) leaves nothing behind. Fallback: a
 * system libopenblas (Debian's pthread build or any on the loader's path).
 */
final class OpenBlasLibrary {

    /** Resource folder of the bytedeco jar for this platform. */
    private static final String JAR_FOLDER = "org/bytedeco/openblas/" + platform() + "/";

    /** Shipped libraries in load order: dependencies first. */
    private static final List<String> JAR_LIBRARIES = List.of("libquadmath.so.0", "libgfortran.so.5",
            "libopenblas.so.0");

    private static final List<String> SYSTEM_LIBRARIES = List.of(
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0", "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
            "libopenblas.so.0", "libopenblas.so");

    /**
     * The loaded library and where it came from, for the start-up log;
     * {@code extractedTo} the temporary directory it was loaded from (deleted since),
     * null for a system library.
     */
    record Loaded(SymbolLookup symbols, String origin, Path extractedTo) {
    }

    private OpenBlasLibrary() {
    }

    private static final class Holder {

        static final Object LOADED = loadOrReason();

    }

    /**
     * The loaded library; throws {@link UnsatisfiedLinkError} with every reason when none
     * loads (the first attempt is remembered, so later calls fail the same way without
     * retrying).
     */
    static Loaded get() {
        if (Holder.LOADED instanceof Loaded loaded) {
            return loaded;
        }
        throw new UnsatisfiedLinkError((String) Holder.LOADED);
    }

    private static Object loadOrReason() {
        List<String> reasons = new ArrayList<>();
        try {
            return fromJar();
        }
        catch (IOException | RuntimeException e) {
            reasons.add("bundled (" + JAR_FOLDER + "): " + e.getMessage());
        }
        for (String name : SYSTEM_LIBRARIES) {
            try {
                SymbolLookup lookup = name.startsWith("/") ? SymbolLookup.libraryLookup(Path.of(name), Arena.global())
                        : SymbolLookup.libraryLookup(name, Arena.global());
                return new Loaded(lookup, name, null);
            }
            catch (IllegalArgumentException e) {
                reasons.add(name + ": " + e.getMessage());
            }
        }
        return "no OpenBLAS library could be loaded: " + String.join("; ", reasons);
    }

    private static Loaded fromJar() throws IOException {
        ClassLoader loader = OpenBlasLibrary.class.getClassLoader();
        if (loader.getResource(JAR_FOLDER + "libopenblas.so.0") == null) {
            throw new IllegalStateException("org.bytedeco:openblas:" + platform() + " is not on the class path");
        }
        Path dir = Files.createTempDirectory("trainyard-openblas-");
        SymbolLookup last = null;
        try {
            for (String name : JAR_LIBRARIES) {
                Path target = dir.resolve(name);
                try (InputStream in = loader.getResourceAsStream(JAR_FOLDER + name)) {
                    if (in == null) {
                        throw new IllegalStateException(name + " is missing from the jar");
                    }
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                // Libraries stay loaded for the life of the process (global arena).
                last = SymbolLookup.libraryLookup(target, Arena.global());
            }
        }
        finally {
            deleteQuietly(dir);
        }
        return new Loaded(last, "bundled org.bytedeco:openblas (" + platform() + ")", dir);
    }

    private static void deleteQuietly(Path dir) {
        for (String name : JAR_LIBRARIES) {
            try {
                Files.deleteIfExists(dir.resolve(name));
            }
            catch (IOException ignored) {
                // what cannot be deleted now is left to the system's temporary-file
                // cleaning
            }
        }
        try {
            Files.deleteIfExists(dir);
        }
        catch (IOException ignored) {
            // as above
        }
    }

    private static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase().startsWith("linux") ? "linux" : "unsupported";
        String arch = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm64";
            default -> "unsupported";
        };
        return os + "-" + arch;
    }

}
