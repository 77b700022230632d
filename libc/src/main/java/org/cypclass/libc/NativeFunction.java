package org.cypclass.libc;

import java.io.IOException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.nio.file.FileSystemException;
import java.util.Objects;
import org.cypclass.libc.internal.Downcalls;
import org.cypclass.libc.internal.Errno;

/**
 * One function of a {@link NativeLibrary}, called with {@code errno} captured and its failures
 * turned into exceptions, by the convention stated when it was bound ({@link Failure}).
 *
 * <h2>Exceptions</h2>
 * A failed call throws the {@link IOException} the libc layer throws for that {@code errno}:
 * {@link java.nio.file.NoSuchFileException} (ENOENT), {@link java.nio.file.AccessDeniedException}
 * (EACCES, EPERM), {@link java.nio.file.FileAlreadyExistsException} (EEXIST), else a
 * {@link java.nio.file.FileSystemException}. Its file is {@code "symbol in library"}; its
 * reason {@code strerror}'s text, the symbolic name and the function, for example
 * {@code "demo_file_size in libdemo.so: No such file or directory (ENOENT, demo_file_size)"}.
 *
 * <p>{@link #invoke} boxes its arguments and result and calls through
 * {@code MethodHandle.invokeWithArguments} (the signature is only known at run time): it
 * allocates on the Java heap on every call, and is for calls outside hot loops.
 *
 * <p>Thread-safety: safe to use from any thread; each thread's {@code errno} is captured in its
 * own segment.
 */
public final class NativeFunction {

    /**
     * How a C function says that it failed, and where its error number is.
     */
    public enum Failure {
        /** It cannot fail: every result is returned as it is. Fits any return type, {@code void} too. */
        NEVER,
        /** Returns -1 and sets {@code errno} ({@code open}, {@code read}...); an {@code int} or {@code long} result. */
        MINUS_ONE_SETS_ERRNO,
        /** Returns any negative value and sets {@code errno}; an {@code int} or {@code long} result. */
        NEGATIVE_SETS_ERRNO,
        /** Returns {@code NULL} and sets {@code errno} ({@code fopen}, {@code malloc}...); a pointer result. */
        NULL_SETS_ERRNO,
        /** Returns the error number negated ({@code -ENOENT}), kernel style, and leaves {@code errno}; an {@code int} or {@code long} result. */
        RETURNS_NEGATED_ERRNO;

        /** Throws unless this convention can read a failure from {@code signature}'s result. */
        void checkFits(FunctionDescriptor signature, String symbol) {
            MemoryLayout result = signature.returnLayout().orElse(null);
            boolean fits = switch (this) {
                case NEVER -> true;
                case NULL_SETS_ERRNO -> result instanceof AddressLayout;
                default -> result instanceof ValueLayout value
                    && (value.carrier() == int.class || value.carrier() == long.class);
            };
            if (!fits) {
                throw new IllegalArgumentException(symbol + ": failure convention " + this + " needs "
                    + (this == NULL_SETS_ERRNO ? "a pointer (ADDRESS)" : "an int or long (JAVA_INT, JAVA_LONG)")
                    + " result, but the signature " + signature + " returns " + (result == null ? "void" : result));
            }
        }

        /** {@return whether {@code result} reports a failure by this convention} */
        boolean failed(Object result) {
            return switch (this) {
                case NEVER -> false;
                case MINUS_ONE_SETS_ERRNO -> integral(result) == -1;
                case NEGATIVE_SETS_ERRNO, RETURNS_NEGATED_ERRNO -> integral(result) < 0;
                case NULL_SETS_ERRNO -> MemorySegment.NULL.equals(result);
            };
        }

        /** {@return the error number of a failed call's {@code result}, from {@code captured} unless it carries it} */
        int errorOf(Object result, MemorySegment captured) {
            return this == RETURNS_NEGATED_ERRNO ? (int) -integral(result) : Errno.value(captured);
        }

        private static long integral(Object result) {
            return result instanceof Integer i ? i : (Long) result;
        }
    }

    private final NativeLibrary library;
    private final String symbol;
    private final FunctionDescriptor signature;
    private final Failure failure;
    /** {@code (MemorySegment capture, <signature's parameters>)<result>}, capturing errno. */
    private final MethodHandle handle;

    NativeFunction(NativeLibrary library, String symbol, FunctionDescriptor signature, Failure failure,
                   MethodHandle handle) {
        this.library = library;
        this.symbol = symbol;
        this.signature = signature;
        this.failure = failure;
        this.handle = handle;
    }

    /**
     * Calls the function.
     *
     * @param args one value per parameter of the signature, boxed: {@code Integer} for
     *        {@code JAVA_INT}, {@code Long} for {@code JAVA_LONG}, {@code Double} for
     *        {@code JAVA_DOUBLE}, a native {@link MemorySegment} for {@code ADDRESS} (and so on
     *        for the other value layouts)
     * @return the result, boxed ({@code Integer}, {@code Long}, ..., a zero-length
     *         {@code MemorySegment} for a pointer), or {@code null} for a {@code void} function
     * @throws NullPointerException if {@code args} or an argument is null
     * @throws IllegalArgumentException if the number or a type of the arguments does not match
     *         the signature
     * @throws IllegalStateException if the library is closed, or a segment argument's arena is
     * @throws IOException if the call failed by the function's {@link Failure} convention: the
     *         exception chosen by its error number (see the class documentation)
     */
    public Object invoke(Object... args) throws IOException {
        Object[] call = arguments(args);
        library.enter(symbol);
        Object result;
        int error = 0;
        try {
            MemorySegment captured = Errno.state();
            call[0] = captured;
            try {
                result = handle.invokeWithArguments(call);
            } catch (Throwable t) {
                throw Downcalls.rethrow(t);
            }
            if (failure.failed(result)) {
                error = failure.errorOf(result, captured);
                if (error == 0) {
                    throw new FileSystemException(toString(), null, "failed (returned " + result + ") but left no"
                        + " error number, against its " + failure + " convention (" + symbol + ")");
                }
            }
        } finally {
            library.exit();
        }
        if (error != 0) {
            throw Errno.exception(error, toString(), symbol);
        }
        return result;
    }

    /** Checks the arguments against the signature; returns them after a slot for the capture segment. */
    private Object[] arguments(Object[] args) {
        Objects.requireNonNull(args, "args");
        MethodType type = handle.type();
        int count = type.parameterCount() - 1;
        if (args.length != count) {
            throw new IllegalArgumentException(this + " takes " + count + " arguments " + signature.argumentLayouts()
                + ", but " + args.length + " were passed");
        }
        Object[] call = new Object[count + 1];
        for (int i = 0; i < count; i++) {
            Object arg = args[i];
            Class<?> expected = type.wrap().parameterType(i + 1);
            if (arg == null) {
                throw new NullPointerException(this + ": argument " + (i + 1) + " is null");
            }
            if (!expected.isInstance(arg)) {
                throw new IllegalArgumentException(this + ": argument " + (i + 1) + " is a " + arg.getClass().getName()
                    + ", but the signature declares " + signature.argumentLayouts().get(i) + " ("
                    + type.parameterType(i + 1).getName() + ")");
            }
            if (arg instanceof MemorySegment segment && !segment.isNative()) {
                throw new IllegalArgumentException(this + ": argument " + (i + 1) + " is a heap segment;"
                    + " C can only reach native segments (Arena.allocate)");
            }
            call[i + 1] = arg;
        }
        return call;
    }

    /**
     * Describes this function.
     *
     * @return {@code "symbol in library"}
     */
    @Override
    public String toString() {
        return symbol + " in " + library.name();
    }
}
