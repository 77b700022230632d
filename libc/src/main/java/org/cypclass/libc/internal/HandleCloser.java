package org.cypclass.libc.internal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;

/**
 * Frees one native file handle ({@code FILE*} or descriptor), once. A file registers its
 * closer with the module's {@link Cleaner}: the file's {@code close()} runs it through
 * {@link Cleaner.Cleanable#clean()} and then reads {@link #errno()}; if the application drops
 * an open file instead, the cleaner thread runs it once the file is unreachable, so the handle
 * does not leak (its errors are then lost).
 *
 * <p>The closer holds the handle, never the file, so that the file can become unreachable.
 *
 * <p>Thread-safety: safe to use from any thread through its {@link Registration}:
 * {@link #run()} runs at most once, by {@link Cleaner.Cleanable#clean()} (on the closing
 * thread, or on the cleaner thread for a dropped file); {@link #errno()} is read by the
 * thread that called {@code clean()}.
 */
public final class HandleCloser implements Runnable {

    /** The module's one cleaner thread, also used by {@link GetlineBuffer}. */
    static final Cleaner CLEANER = Cleaner.create();

    private final MemorySegment stream;
    private final int fd;
    private int errno;

    private HandleCloser(MemorySegment stream, int fd) {
        this.stream = stream;
        this.fd = fd;
    }

    /**
     * Registers {@code owner} so that its {@code FILE*} is closed with {@code fclose}.
     *
     * @param owner the file object that owns the stream
     * @param stream the stream
     * @return the closer, whose {@code run} the returned cleanable performs
     */
    public static Registration forStream(Object owner, MemorySegment stream) {
        return register(owner, new HandleCloser(stream, -1));
    }

    /**
     * Registers {@code owner} so that its descriptor is closed with {@code close}.
     *
     * @param owner the file object that owns the descriptor
     * @param fd the descriptor
     * @return the closer, whose {@code run} the returned cleanable performs
     */
    public static Registration forDescriptor(Object owner, int fd) {
        return register(owner, new HandleCloser(null, fd));
    }

    private static Registration register(Object owner, HandleCloser closer) {
        return new Registration(closer, CLEANER.register(owner, closer));
    }

    /**
     * A closer and its registration with the cleaner.
     *
     * <p>Thread-safety: safe to use from any thread; {@link #closeOnce} may be called any number
     * of times.
     *
     * @param closer the action, to read its {@link HandleCloser#errno()} afterwards
     * @param cleanable runs {@code closer} at most once
     */
    public record Registration(HandleCloser closer, Cleaner.Cleanable cleanable) {

        /**
         * Closes the handle once, after the calls running on it: the {@code close()} of a
         * file. Later calls return at once.
         *
         * @param gate the file's gate
         * @param path the file's path, for the exception
         * @throws IOException if C reported an error while closing (the handle is freed anyway)
         */
        public void closeOnce(UseGate gate, String path) throws IOException {
            if (!gate.close()) {
                return;
            }
            cleanable.clean();
            if (closer.errno != 0) {
                throw Errno.exception(closer.errno, path, closer.stream != null ? "fclose" : "close");
            }
        }
    }

    /** Closes the handle; records {@code errno} if C reported an error. */
    @Override
    public void run() {
        MemorySegment state = Errno.state();
        int result = stream != null ? Stdio.fclose(state, stream) : Posix.close(state, fd);
        errno = result == 0 ? 0 : Errno.value(state);
    }

    /**
     * {@return the error of the close: 0 if it succeeded, else the {@code errno} it left}
     */
    public int errno() {
        return errno;
    }
}
