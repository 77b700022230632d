package org.cypclass.benchmarks;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Where the bench tools keep their files: under the benchmarks module's {@code target} folder,
 * found from where this class was loaded ({@code benchmarks/target/benchmarks.jar}, or
 * {@code benchmarks/target/classes} in the module's own tests), so that a run writes to the
 * same place whatever its working directory.
 */
public final class BenchPaths {

    private BenchPaths() {
    }

    /** {@return the benchmarks module's {@code target} folder} */
    public static Path target() {
        try {
            return Path.of(BenchPaths.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toAbsolutePath().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where the benchmarks were loaded from", e);
        }
    }

    /** {@return the benchmarks module's folder, the parent of {@link #target()}} */
    public static Path module() {
        return target().getParent();
    }
}
