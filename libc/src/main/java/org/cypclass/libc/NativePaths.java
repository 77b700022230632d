package org.cypclass.libc;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Objects;

/** Turns {@link Path}s into the strings C opens. */
final class NativePaths {

    private NativePaths() {
    }

    /**
     * Returns the string to pass to C for {@code path}.
     *
     * @param path a path on the default file system
     * @return {@code path.toString()}
     */
    static String name(Path path) {
        Objects.requireNonNull(path, "path");
        if (path.getFileSystem() != FileSystems.getDefault()) {
            throw new IllegalArgumentException(path + " is on " + path.getFileSystem()
                + ", not on the default file system that C can open");
        }
        return path.toString();
    }
}
