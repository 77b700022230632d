package org.cypclass.libc.internal;

import static org.cypclass.bindings.libc.libc_h.EACCES;
import static org.cypclass.bindings.libc.libc_h.EAGAIN;
import static org.cypclass.bindings.libc.libc_h.EBADF;
import static org.cypclass.bindings.libc.libc_h.EBUSY;
import static org.cypclass.bindings.libc.libc_h.EDQUOT;
import static org.cypclass.bindings.libc.libc_h.EEXIST;
import static org.cypclass.bindings.libc.libc_h.EFAULT;
import static org.cypclass.bindings.libc.libc_h.EFBIG;
import static org.cypclass.bindings.libc.libc_h.EINTR;
import static org.cypclass.bindings.libc.libc_h.EINVAL;
import static org.cypclass.bindings.libc.libc_h.EIO;
import static org.cypclass.bindings.libc.libc_h.EISDIR;
import static org.cypclass.bindings.libc.libc_h.ELOOP;
import static org.cypclass.bindings.libc.libc_h.EMFILE;
import static org.cypclass.bindings.libc.libc_h.ENAMETOOLONG;
import static org.cypclass.bindings.libc.libc_h.ENFILE;
import static org.cypclass.bindings.libc.libc_h.ENOENT;
import static org.cypclass.bindings.libc.libc_h.ENOMEM;
import static org.cypclass.bindings.libc.libc_h.ENOSPC;
import static org.cypclass.bindings.libc.libc_h.ENOTDIR;
import static org.cypclass.bindings.libc.libc_h.EPERM;
import static org.cypclass.bindings.libc.libc_h.EPIPE;
import static org.cypclass.bindings.libc.libc_h.EROFS;
import static org.cypclass.bindings.libc.libc_h.ESPIPE;
import static org.cypclass.bindings.libc.libc_h.ETXTBSY;
import static org.cypclass.bindings.libc.libc_h.EXDEV;

import java.io.IOException;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.cypclass.bindings.libc.libc_h;

/**
 * C {@code errno}: where downcalls save it, how to read it, and which Java exception each
 * value becomes.
 *
 * <p>Every downcall that can fail is linked with {@code captureCallState("errno")}, which
 * copies {@code errno} into a small capture segment right after the C function returns, before
 * the JVM can overwrite it. Each thread owns one capture segment ({@link #state()}, kept by
 * {@link CallState}), so that concurrent calls on one file never mix their values and no call
 * allocates.
 *
 * <p>Mapping, as the JDK's own file system provider does it: ENOENT becomes
 * {@link NoSuchFileException}, EACCES and EPERM {@link AccessDeniedException}, EEXIST
 * {@link FileAlreadyExistsException}; every other value a {@link FileSystemException}. The
 * reason of each exception is {@code strerror}'s text followed by the symbolic name and the
 * failing C function, for example {@code "/tmp/x: No space left on device (ENOSPC, fclose)"}.
 */
public final class Errno {

    /** The layout of a capture segment: the platform's {@code captureStateLayout()}. */
    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();

    private static final VarHandle ERRNO =
        CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final String[] NAMES = names();

    private Errno() {
    }

    /**
     * Returns the calling thread's capture segment, the first argument of every handle
     * linked by {@link Downcalls#withErrno}; see {@link CallState#errno()}.
     *
     * @return a segment that only the calling thread writes
     */
    public static MemorySegment state() {
        return CallState.current().errno();
    }

    /**
     * Reads the {@code errno} that the last capturing downcall of this thread saved.
     *
     * @param state the segment returned by {@link #state()} and passed to that call
     * @return the C error number
     */
    public static int value(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /**
     * {@return the symbolic name of an error number, such as {@code "ENOENT"}, or
     * {@code "errno 1234"} for a number this class does not know}
     *
     * @param errno a C error number
     */
    public static String name(int errno) {
        if (errno > 0 && errno < NAMES.length && NAMES[errno] != null) {
            return NAMES[errno];
        }
        return "errno " + errno;
    }

    /**
     * Returns the C library's description of an error number.
     *
     * @param errno a C error number
     * @return {@code strerror(errno)}, such as {@code "No such file or directory"}
     */
    public static String describe(int errno) {
        return Downcalls.cString(libc_h.strerror(errno));
    }

    /**
     * Builds the exception for a failed C call on a file.
     *
     * @param errno the error number the call left
     * @param path the file's path, as the user gave it
     * @param function the C function that failed, such as {@code "fopen"}
     * @return the matching exception, not thrown yet
     */
    public static IOException exception(int errno, String path, String function) {
        String reason = describe(errno) + " (" + name(errno) + ", " + function + ")";
        if (errno == ENOENT()) {
            return new NoSuchFileException(path, null, reason);
        }
        if (errno == EACCES() || errno == EPERM()) {
            return new AccessDeniedException(path, null, reason);
        }
        if (errno == EEXIST()) {
            return new FileAlreadyExistsException(path, null, reason);
        }
        return new FileSystemException(path, null, reason);
    }

    private static String[] names() {
        int[] values = {
            EPERM(), ENOENT(), EINTR(), EIO(), EBADF(), EAGAIN(), ENOMEM(), EACCES(), EFAULT(),
            EBUSY(), EEXIST(), EXDEV(), ENOTDIR(), EISDIR(), EINVAL(), ENFILE(), EMFILE(),
            ETXTBSY(), EFBIG(), ENOSPC(), ESPIPE(), EROFS(), EPIPE(), ENAMETOOLONG(), ELOOP(),
            EDQUOT(),
        };
        String[] names = {
            "EPERM", "ENOENT", "EINTR", "EIO", "EBADF", "EAGAIN", "ENOMEM", "EACCES", "EFAULT",
            "EBUSY", "EEXIST", "EXDEV", "ENOTDIR", "EISDIR", "EINVAL", "ENFILE", "EMFILE",
            "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE", "EROFS", "EPIPE", "ENAMETOOLONG", "ELOOP",
            "EDQUOT",
        };
        int max = 0;
        for (int v : values) {
            max = Math.max(max, v);
        }
        String[] table = new String[max + 1];
        for (int i = 0; i < values.length; i++) {
            table[values[i]] = names[i];
        }
        return table;
    }
}
