package org.cypclass.libc.internal;

import java.lang.foreign.Linker;
import java.util.Locale;
import org.cypclass.bindings.libc.stat;

/**
 * The one platform the bindings fit: Linux on x86-64 with glibc. jextract generated
 * {@code org.cypclass.bindings.libc} there, and its output bakes that platform in: the layout
 * of {@code struct stat}, the values of {@code O_*}, {@code SEEK_*} and {@code errno}
 * constants, {@code stdout} as a glibc variable. Elsewhere the same code would link and then
 * read a wrong {@code st_mode} or pass wrong flags, so every public entry point of the module
 * ({@code CFile.open}, {@code NativeFile.open}, {@code LineBuffer}'s constructor,
 * {@code Format.of} and so {@code Format.prepare}, {@code Format.flushStdout},
 * {@code NativeLibrary.open} and {@code NativeLibrary.load}) calls {@link #requireSupported()}
 * before it touches a binding or loads a library.
 *
 * <p>The check runs once, when this class loads: the JVM's {@code os.name} and
 * {@code os.arch}, then glibc's presence (its {@code gnu_get_libc_version} symbol, which
 * musl and other C libraries lack), then the generated {@code struct stat} layout against
 * the x86-64 glibc ABI (a jextract run with other headers or an older jextract would differ).
 */
public final class Platform {

    /** {@code sizeof(struct stat)} and two offsets the module reads, on x86-64 glibc. */
    static final long STAT_SIZE = 144;
    static final long STAT_MODE_OFFSET = 24;
    static final long STAT_SIZE_OFFSET = 48;

    /** Why the bindings cannot be used here, or {@code null} if they can. */
    private static final String UNSUPPORTED = check();

    private Platform() {
    }

    /**
     * Throws unless the bindings fit the running platform.
     *
     * @throws UnsupportedOperationException on any platform other than Linux on x86-64 with
     *         glibc, with a message naming the platform found
     */
    public static void requireSupported() {
        if (UNSUPPORTED != null) {
            throw new UnsupportedOperationException(UNSUPPORTED);
        }
    }

    private static String check() {
        String why = whyUnsupported(System.getProperty("os.name"), System.getProperty("os.arch"), hasGlibc());
        if (why != null) {
            return why;
        }
        return whyLayoutWrong(stat.layout().byteSize(), stat.st_mode$offset(), stat.st_size$offset());
    }

    /**
     * Decides whether an operating system, architecture and C library are the ones the
     * bindings were generated for; separate from the running JVM's properties so that tests
     * can pass others.
     *
     * @param osName the {@code os.name} property, such as {@code "Linux"}
     * @param osArch the {@code os.arch} property, such as {@code "amd64"}
     * @param glibc whether the process's C library is glibc
     * @return {@code null} if supported, else the message for the exception
     */
    public static String whyUnsupported(String osName, String osArch, boolean glibc) {
        boolean linux = osName != null && osName.toLowerCase(Locale.ROOT).startsWith("linux");
        boolean x64 = "amd64".equals(osArch) || "x86_64".equals(osArch);
        if (linux && x64 && glibc) {
            return null;
        }
        String found = osName + " on " + osArch + (linux ? glibc ? " with glibc" : " without glibc" : "");
        return "org.cypclass.libc runs on Linux x86-64 (amd64) with glibc only, and this JVM runs on " + found
            + ": its jextract bindings (the layout of struct stat, the O_*, SEEK_* and errno values) were"
            + " generated for linux-x86_64 glibc and would misread C data here";
    }

    /**
     * Compares the generated {@code struct stat} layout with the x86-64 glibc ABI.
     *
     * @param size the layout's size
     * @param modeOffset the offset of {@code st_mode}
     * @param sizeOffset the offset of {@code st_size}
     * @return {@code null} if they agree, else the message for the exception
     */
    public static String whyLayoutWrong(long size, long modeOffset, long sizeOffset) {
        if (size == STAT_SIZE && modeOffset == STAT_MODE_OFFSET && sizeOffset == STAT_SIZE_OFFSET) {
            return null;
        }
        return "the generated bindings do not fit linux-x86_64 glibc: struct stat has size " + size
            + ", st_mode at " + modeOffset + ", st_size at " + sizeOffset + " (expected " + STAT_SIZE + ", "
            + STAT_MODE_OFFSET + ", " + STAT_SIZE_OFFSET + "); regenerate them with bindings/generate and the"
            + " toolchain in bindings/GENERATED-WITH";
    }

    /** {@return whether the process's C library is glibc}: musl has no {@code gnu_get_libc_version}. */
    private static boolean hasGlibc() {
        return Linker.nativeLinker().defaultLookup().find("gnu_get_libc_version").isPresent();
    }
}
