package org.cypclass.libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import org.cypclass.libc.internal.Downcalls;
import org.cypclass.libc.internal.Errno;
import org.cypclass.libc.internal.FormatParser.CType;
import org.cypclass.libc.internal.Variadic;

/**
 * A {@link Format} of up to three primitive arguments, prepared for {@code fprintf} calls that
 * allocate nothing on the Java heap: the printf of a hot loop.
 * {@snippet :
 * PreparedFormat point = Format.prepare("%d %.3f\n", int.class, double.class);
 * try (CFile out = CFile.open(path, "w")) {
 *     for (int i = 0; i < n; i++) {
 *         point.fprintf(out, i, values[i]);   // no boxing, no arena, no list
 *     }
 * }
 * }
 *
 * <h2>What preparing does once</h2>
 * {@link Format#prepare} checks the format against the types as {@link Format#of} does,
 * copies it into native memory, and adapts the variadic downcall handle of its exact shape to
 * take {@code long} for each {@code int}, {@code char} and {@code long} argument and
 * {@code double} for each {@code double}. A call then checks, without allocating, that it was
 * given that shape (and that a value declared {@code int} or {@code char} fits an {@code int}),
 * and invokes the handle with {@code invokeExact}. Argument types are limited to {@code int},
 * {@code long}, {@code double} and {@code char}: a string argument would need a native copy per
 * call; use {@link Format#fprintf} for those.
 *
 * <h2>Choosing the overload</h2>
 * Each call method takes one {@code long} or {@code double} per argument, in the format's
 * order: Java picks the overload from the static types of the values, an {@code int} or
 * {@code char} value as a {@code long}. An integer literal where the format declared
 * {@code double} picks a {@code long} overload and is refused with an
 * {@link IllegalArgumentException} that says so: write {@code 1.0}, not {@code 1}.
 *
 * <p>Allocation: once the JIT has compiled the caller, a call allocates nothing on the Java
 * heap (checked inside a {@code NogilRegion} by the test suite, and by
 * {@code LibcBench.printfPrepared}). Failures allocate their exception.
 *
 * <p>Thread-safety: safe to use from any thread; a prepared format is immutable, and its native
 * copy of the format lives as long as it does.
 */
public final class PreparedFormat {

    /** The most arguments a prepared format takes: its call methods cover every shape up to it. */
    public static final int MAX_ARGUMENTS = 3;

    private final Format format;
    /** {@code (MemorySegment capture, MemorySegment stream, long|double...)int}: the format bound, errno captured. */
    private final MethodHandle handle;
    /** {@code arity << 3 | bit i set when argument i is a double}: the shape the call methods check. */
    private final int shape;
    /** Bit i set when argument i is declared {@code int} or {@code char}: its {@code long} must fit an int. */
    private final int intArguments;

    private PreparedFormat(Format format, MethodHandle handle, int shape, int intArguments) {
        this.format = format;
        this.handle = handle;
        this.shape = shape;
        this.intArguments = intArguments;
    }

    /** Prepares a checked format; see {@link Format#prepare}. */
    static PreparedFormat of(Format format, List<CType> types) {
        if (types.size() > MAX_ARGUMENTS) {
            throw new IllegalArgumentException("Format.prepare(\"" + format.format() + "\"): a prepared format takes at most "
                + MAX_ARGUMENTS + " arguments, this one " + types.size() + "; use Format.of(...).fprintf, which boxes");
        }
        Class<?>[] carriers = new Class<?>[types.size()];
        int shape = types.size() << 3;
        int ints = 0;
        for (int i = 0; i < carriers.length; i++) {
            switch (types.get(i)) {
                case INT, CHAR -> {
                    carriers[i] = long.class;
                    ints |= 1 << i;
                }
                case LONG -> carriers[i] = long.class;
                case DOUBLE -> {
                    carriers[i] = double.class;
                    shape |= 1 << i;
                }
                case STRING, POINTER -> throw new IllegalArgumentException("Format.prepare(\"" + format.format()
                    + "\"): argument " + (i + 1) + " is declared " + format.argumentTypes().get(i).getName()
                    + "; a prepared format takes int, long, double and char only (a string needs a native copy per call:"
                    + " use Format.of(...).fprintf)");
            }
        }
        // The format's native copy lives as long as the handle it is bound into: an automatic arena.
        MemorySegment cFormat = Arena.ofAuto().allocateFrom(format.format());
        MethodHandle bound = MethodHandles.insertArguments(Variadic.Function.FPRINTF.handle(types), 2, cFormat);
        MethodType exact = MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class).appendParameterTypes(carriers);
        return new PreparedFormat(format, MethodHandles.explicitCastArguments(bound, exact), shape, ints);
    }

    /**
     * {@return the format this was prepared from}
     */
    public Format format() {
        return format;
    }

    /**
     * Prints with {@code fprintf} a format prepared for no argument. The bytes go to the file's
     * buffer, as with {@link CFile#write(MemorySegment)}. Every overload has these exceptions.
     *
     * @param out an open file opened for writing
     * @return the number of bytes printed
     * @throws NullPointerException if {@code out} is null
     * @throws IllegalArgumentException if the format was not prepared for the overload's
     *         argument kinds, or a value declared {@code int} or {@code char} does not fit an
     *         {@code int}
     * @throws IllegalStateException if {@code out} is closed
     * @throws java.nio.file.AccessDeniedException if {@code out} was not opened for writing
     * @throws IOException if C reports an error
     */
    public int fprintf(CFile out) throws IOException {
        checkShape(0, out);
        MemorySegment errno = Errno.state();
        MemorySegment stream = out.enter("fprintf");
        int n;
        try {
            n = (int) handle.invokeExact(errno, stream);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        } finally {
            out.exit();
        }
        return n >= 0 ? n : failed(out, errno);
    }

    /**
     * Prints with {@code fprintf} a format prepared for 1 argument (long).
     *
     * @param out an open file opened for writing
     * @param a argument 1, declared int, char or long
     * @return the number of bytes printed
     * @throws IOException if C reports an error; see {@link #fprintf(CFile)} for the other exceptions
     */
    public int fprintf(CFile out, long a) throws IOException {
        checkShape(8, out);
        checkInt(0, a);
        MemorySegment errno = Errno.state();
        MemorySegment stream = out.enter("fprintf");
        int n;
        try {
            n = (int) handle.invokeExact(errno, stream, a);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        } finally {
            out.exit();
        }
        return n >= 0 ? n : failed(out, errno);
    }

    /**
     * Prints with {@code fprintf} a format prepared for 1 argument (double).
     *
     * @param out an open file opened for writing
     * @param a argument 1, declared double
     * @return the number of bytes printed
     * @throws IOException if C reports an error; see {@link #fprintf(CFile)} for the other exceptions
     */
    public int fprintf(CFile out, double a) throws IOException {
        checkShape(9, out);
        MemorySegment errno = Errno.state();
        MemorySegment stream = out.enter("fprintf");
        int n;
        try {
            n = (int) handle.invokeExact(errno, stream, a);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        } finally {
            out.exit();
        }
        return n >= 0 ? n : failed(out, errno);
    }

    /**
     * Prints with {@code fprintf} a format prepared for 2 arguments (long, long).
     *
     * @param out an open file opened for writing
     * @param a argument 1, declared int, char or long
     * @param b argument 2, declared int, char or long
     * @return the number of bytes printed
     * @throws IOException if C reports an error; see {@link #fprintf(CFile)} for the other exceptions
     */
    public int fprintf(CFile out, long a, long b) throws IOException {
        checkShape(16, out);
        checkInt(0, a);
        checkInt(1, b);
        MemorySegment errno = Errno.state();
        MemorySegment stream = out.enter("fprintf");
        int n;
        try {
            n = (int) handle.invokeExact(errno, stream, a, b);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        } finally {
            out.exit();
        }
        return n >= 0 ? n : failed(out, errno);
    }

    /**
     * Prints with {@code fprintf} a format prepared for 2 arguments (long, double).
     *
     * @param out an open file opened for writing
     * @param a argument 1, declared int, char or long
     * @param b argument 2, declared double
     * @return the number of bytes printed
     * @throws IOException if C reports an error; see {@link #fprintf(CFile)} for the other exceptions
     */
    public int fprintf(CFile out, long a, double b) throws IOException {
        checkShape(18, out);
        checkInt(0, a);
        MemorySegment errno = Errno.state();
        MemorySegment stream = out.enter("fprintf");
        int n;
        try {
            n = (int) handle.invokeExact(errno, stream, a, b);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        } finally {
            out.exit();
        }
        return n >= 0 ? n : failed(out, errno);
    }

    /**
     * Prints with {@code fprintf} a format prepared for 2 arguments (double, long).
     *
     * @param out an open file opened for writing
     * @param a argument 1, declared double
     * @param b argument 2, declared int, char or long
     * @return the number of bytes printed
     * @throws IOException if C reports an error; see {@link #fprintf(CFile)} for the other exceptions
     */
    public int fprintf(CFile out, double a, long b) throws IOException {
        checkShape(17, out);
        checkInt(1, b);
        MemorySegment errno = Errno.state();
        MemorySegment stream = out.enter("fprintf");
        int n;
        try {
            n = (int) handle.invokeExact(errno, stream, a, b);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        } finally {
            out.exit();
        }
        return n >= 0 ? n : failed(out, errno);
    }

    /**
     * Prints with {@code fprintf} a format prepared for 2 arguments (double, double).
     *
     * @param out an open file opened for writing
     * @param a argument 1, declared double
     * @param b argument 2, declared double
     * @return the number of bytes printed
     * @throws IOException if C reports an error; see {@link #fprintf(CFile)} for the other exceptions
     */
    public int fprintf(CFile out, double a, double b) throws IOException {
        checkShape(19, out);
        MemorySegment errno = Errno.state();
        MemorySegment stream = out.enter("fprintf");
        int n;
        try {
            n = (int) handle.invokeExact(errno, stream, a, b);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        } finally {
            out.exit();
        }
        return n >= 0 ? n : failed(out, errno);
    }

    /**
     * Prints with {@code fprintf} a format prepared for 3 arguments (long, long, long).
     *
     * @param out an open file opened for writing
     * @param a argument 1, declared int, char or long
     * @param b argument 2, declared int, char or long
     * @param c argument 3, declared int, char or long
     * @return the number of bytes printed
     * @throws IOException if C reports an error; see {@link #fprintf(CFile)} for the other exceptions
     */
    public int fprintf(CFile out, long a, long b, long c) throws IOException {
        checkShape(24, out);
        checkInt(0, a);
        checkInt(1, b);
        checkInt(2, c);
        MemorySegment errno = Errno.state();
        MemorySegment stream = out.enter("fprintf");
        int n;
        try {
            n = (int) handle.invokeExact(errno, stream, a, b, c);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        } finally {
            out.exit();
        }
        return n >= 0 ? n : failed(out, errno);
    }

    /**
     * Prints with {@code fprintf} a format prepared for 3 arguments (long, long, double).
     *
     * @param out an open file opened for writing
     * @param a argument 1, declared int, char or long
     * @param b argument 2, declared int, char or long
     * @param c argument 3, declared double
     * @return the number of bytes printed
     * @throws IOException if C reports an error; see {@link #fprintf(CFile)} for the other exceptions
     */
    public int fprintf(CFile out, long a, long b, double c) throws IOException {
        checkShape(28, out);
        checkInt(0, a);
        checkInt(1, b);
        MemorySegment errno = Errno.state();
        MemorySegment stream = out.enter("fprintf");
        int n;
        try {
            n = (int) handle.invokeExact(errno, stream, a, b, c);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        } finally {
            out.exit();
        }
        return n >= 0 ? n : failed(out, errno);
    }

    /**
     * Prints with {@code fprintf} a format prepared for 3 arguments (long, double, long).
     *
     * @param out an open file opened for writing
     * @param a argument 1, declared int, char or long
     * @param b argument 2, declared double
     * @param c argument 3, declared int, char or long
     * @return the number of bytes printed
     * @throws IOException if C reports an error; see {@link #fprintf(CFile)} for the other exceptions
     */
    public int fprintf(CFile out, long a, double b, long c) throws IOException {
        checkShape(26, out);
        checkInt(0, a);
        checkInt(2, c);
        MemorySegment errno = Errno.state();
        MemorySegment stream = out.enter("fprintf");
        int n;
        try {
            n = (int) handle.invokeExact(errno, stream, a, b, c);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        } finally {
            out.exit();
        }
        return n >= 0 ? n : failed(out, errno);
    }

    /**
     * Prints with {@code fprintf} a format prepared for 3 arguments (long, double, double).
     *
     * @param out an open file opened for writing
     * @param a argument 1, declared int, char or long
     * @param b argument 2, declared double
     * @param c argument 3, declared double
     * @return the number of bytes printed
     * @throws IOException if C reports an error; see {@link #fprintf(CFile)} for the other exceptions
     */
    public int fprintf(CFile out, long a, double b, double c) throws IOException {
        checkShape(30, out);
        checkInt(0, a);
        MemorySegment errno = Errno.state();
        MemorySegment stream = out.enter("fprintf");
        int n;
        try {
            n = (int) handle.invokeExact(errno, stream, a, b, c);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        } finally {
            out.exit();
        }
        return n >= 0 ? n : failed(out, errno);
    }

    /**
     * Prints with {@code fprintf} a format prepared for 3 arguments (double, long, long).
     *
     * @param out an open file opened for writing
     * @param a argument 1, declared double
     * @param b argument 2, declared int, char or long
     * @param c argument 3, declared int, char or long
     * @return the number of bytes printed
     * @throws IOException if C reports an error; see {@link #fprintf(CFile)} for the other exceptions
     */
    public int fprintf(CFile out, double a, long b, long c) throws IOException {
        checkShape(25, out);
        checkInt(1, b);
        checkInt(2, c);
        MemorySegment errno = Errno.state();
        MemorySegment stream = out.enter("fprintf");
        int n;
        try {
            n = (int) handle.invokeExact(errno, stream, a, b, c);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        } finally {
            out.exit();
        }
        return n >= 0 ? n : failed(out, errno);
    }

    /**
     * Prints with {@code fprintf} a format prepared for 3 arguments (double, long, double).
     *
     * @param out an open file opened for writing
     * @param a argument 1, declared double
     * @param b argument 2, declared int, char or long
     * @param c argument 3, declared double
     * @return the number of bytes printed
     * @throws IOException if C reports an error; see {@link #fprintf(CFile)} for the other exceptions
     */
    public int fprintf(CFile out, double a, long b, double c) throws IOException {
        checkShape(29, out);
        checkInt(1, b);
        MemorySegment errno = Errno.state();
        MemorySegment stream = out.enter("fprintf");
        int n;
        try {
            n = (int) handle.invokeExact(errno, stream, a, b, c);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        } finally {
            out.exit();
        }
        return n >= 0 ? n : failed(out, errno);
    }

    /**
     * Prints with {@code fprintf} a format prepared for 3 arguments (double, double, long).
     *
     * @param out an open file opened for writing
     * @param a argument 1, declared double
     * @param b argument 2, declared double
     * @param c argument 3, declared int, char or long
     * @return the number of bytes printed
     * @throws IOException if C reports an error; see {@link #fprintf(CFile)} for the other exceptions
     */
    public int fprintf(CFile out, double a, double b, long c) throws IOException {
        checkShape(27, out);
        checkInt(2, c);
        MemorySegment errno = Errno.state();
        MemorySegment stream = out.enter("fprintf");
        int n;
        try {
            n = (int) handle.invokeExact(errno, stream, a, b, c);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        } finally {
            out.exit();
        }
        return n >= 0 ? n : failed(out, errno);
    }

    /**
     * Prints with {@code fprintf} a format prepared for 3 arguments (double, double, double).
     *
     * @param out an open file opened for writing
     * @param a argument 1, declared double
     * @param b argument 2, declared double
     * @param c argument 3, declared double
     * @return the number of bytes printed
     * @throws IOException if C reports an error; see {@link #fprintf(CFile)} for the other exceptions
     */
    public int fprintf(CFile out, double a, double b, double c) throws IOException {
        checkShape(31, out);
        MemorySegment errno = Errno.state();
        MemorySegment stream = out.enter("fprintf");
        int n;
        try {
            n = (int) handle.invokeExact(errno, stream, a, b, c);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        } finally {
            out.exit();
        }
        return n >= 0 ? n : failed(out, errno);
    }

    /** Checks that a call method of shape {@code called} fits this format, and that {@code out} may be written. */
    private void checkShape(int called, CFile out) throws IOException {
        if (called != shape) {
            throw wrongShape(called);
        }
        if (out == null) {
            throw new NullPointerException("fprintf with " + this + ": the file is null");
        }
        out.checkWritable("fprintf");
    }

    private void checkInt(int position, long value) {
        if ((intArguments >>> position & 1) != 0 && (int) value != value) {
            throw new IllegalArgumentException("fprintf with " + this + ": argument " + (position + 1) + " is declared "
                + format.argumentTypes().get(position).getName() + ", but " + value + " does not fit an int");
        }
    }

    private IllegalArgumentException wrongShape(int called) {
        return new IllegalArgumentException("fprintf with " + this + ": called with " + describe(called) + ", but the format"
            + " takes " + describe(shape) + " (an int, char or long goes as long, a double as double; write 1.0 for a"
            + " double, not 1)");
    }

    private static String describe(int shape) {
        int arity = shape >>> 3;
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < arity; i++) {
            s.append(i == 0 ? "" : ", ").append((shape >>> i & 1) != 0 ? "double" : "long");
        }
        return s.append(')').toString();
    }

    private int failed(CFile out, MemorySegment errno) throws IOException {
        throw Errno.exception(Errno.value(errno), out.path(), "fprintf");
    }

    /**
     * Describes this prepared format.
     *
     * @return {@code PreparedFormat["...", [int, double]]}
     */
    @Override
    public String toString() {
        return "Prepared" + format;
    }
}
