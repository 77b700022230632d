package org.cypclass.libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.cypclass.bindings.libc.libc_h;
import org.cypclass.libc.internal.Downcalls;
import org.cypclass.libc.internal.Errno;
import org.cypclass.libc.internal.FormatParser;
import org.cypclass.libc.internal.FormatParser.CType;
import org.cypclass.libc.internal.Platform;
import org.cypclass.libc.internal.Stdio;
import org.cypclass.libc.internal.Variadic;

/**
 * A C {@code printf} format checked against the Java types of its arguments, for C's
 * {@code printf}, {@code fprintf} and {@code snprintf}:
 * {@snippet :
 * Format line = Format.of("%-10s %5d %8.3f\n", String.class, int.class, double.class);
 * line.fprintf(file, "apples", 12, 0.5);
 * String s = line.sprintf("pears", 3, 1.25);
 * }
 *
 * <h2>Type checking</h2>
 * {@link #of} parses the format and checks, once, that each directive gets an argument of a
 * matching type; each call then checks that the values match the declared types. Accepted
 * types per directive:
 * <table class="striped">
 *   <caption>Directives and Java types</caption>
 *   <thead><tr><th>Directive</th><th>Java type</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code %d %i %o %u %x %X} (also with {@code hh}, {@code h}), {@code *}</td><td>{@code int.class}</td></tr>
 *   <tr><td>the same with {@code l ll j z t}</td><td>{@code long.class}</td></tr>
 *   <tr><td>{@code %f %F %e %E %g %G %a %A}</td><td>{@code double.class}</td></tr>
 *   <tr><td>{@code %c}</td><td>{@code char.class} or {@code int.class}</td></tr>
 *   <tr><td>{@code %s}</td><td>{@code String.class}, or {@code MemorySegment.class} holding a
 *       NUL-terminated native string</td></tr>
 *   <tr><td>{@code %p}</td><td>{@code MemorySegment.class}</td></tr>
 *   </tbody>
 * </table>
 * {@code %n}, positional arguments, {@code long double} and wide characters are refused.
 *
 * <p>Each call shape (list of C argument types) needs its own variadic downcall handle; it is
 * linked on first use and shared by all formats with that shape. These calls are not a hot
 * path: they box their arguments and copy strings into a confined arena freed on return. For a
 * hot loop, {@link #prepare} a format of primitive arguments: a {@link PreparedFormat}'s
 * {@code fprintf} allocates nothing on the Java heap.
 *
 * <p>Output of {@link #printf} goes to C's {@code stdout}, which has its own buffer, separate
 * from {@link System#out}; {@link #flushStdout()} flushes it.
 *
 * <p>Thread-safety: safe to use from any thread; a format is immutable.
 */
public final class Format {

    private static final int FIRST_BUFFER = 256;

    private final String format;
    private final List<Class<?>> types;
    private final List<CType> shape;

    private Format(String format, List<Class<?>> types, List<CType> shape) {
        this.format = format;
        this.types = types;
        this.shape = shape;
    }

    /**
     * Parses and checks a format.
     *
     * @param format a C format string
     * @param argumentTypes the Java type of each argument, in order (see the table above)
     * @return the checked format
     * @throws NullPointerException if {@code format} or a type is null
     * @throws IllegalArgumentException if the format is malformed or refused, if the number
     *         of types differs from the number of arguments it consumes, or if a type does
     *         not fit its directive; the message names the directive and the argument
     * @throws UnsupportedOperationException on any platform but Linux x86-64 with glibc (see
     *         the {@linkplain org.cypclass.libc package documentation})
     */
    public static Format of(String format, Class<?>... argumentTypes) {
        Platform.requireSupported();
        Objects.requireNonNull(format, "format");
        List<Class<?>> types = List.of(argumentTypes);
        List<FormatParser.Argument> arguments = FormatParser.parse(format);
        if (arguments.size() != types.size()) {
            throw new IllegalArgumentException("printf format \"" + format + "\" consumes " + arguments.size()
                + " arguments " + arguments.stream().map(FormatParser.Argument::directive).toList()
                + ", but " + types.size() + " types were declared " + names(types));
        }
        List<CType> shape = new ArrayList<>(types.size());
        for (int i = 0; i < types.size(); i++) {
            FormatParser.Argument argument = arguments.get(i);
            Class<?> type = types.get(i);
            if (!fits(argument.type(), type)) {
                throw new IllegalArgumentException("printf format \"" + format + "\": argument " + (i + 1)
                    + " (" + argument.directive() + ") needs " + expected(argument.type())
                    + ", but was declared " + type.getName());
            }
            shape.add(argument.type());
        }
        return new Format(format, types, List.copyOf(shape));
    }

    /**
     * Parses and checks a format as {@link #of} does, and prepares it for calls that allocate
     * nothing on the Java heap: see {@link PreparedFormat}.
     *
     * @param format a C format string
     * @param argumentTypes at most {@value PreparedFormat#MAX_ARGUMENTS} types among
     *        {@code int.class}, {@code long.class}, {@code double.class} and {@code char.class}
     * @return the prepared format
     * @throws NullPointerException if {@code format} or a type is null
     * @throws IllegalArgumentException for every reason of {@link #of}, and for more than
     *         {@value PreparedFormat#MAX_ARGUMENTS} arguments or a {@code String} or
     *         {@code MemorySegment} argument
     * @throws UnsupportedOperationException on any platform but Linux x86-64 with glibc
     */
    public static PreparedFormat prepare(String format, Class<?>... argumentTypes) {
        Format checked = of(format, argumentTypes);
        return PreparedFormat.of(checked, checked.shape);
    }

    /**
     * {@return the format string, as given to {@link #of}}
     */
    public String format() {
        return format;
    }

    /**
     * Returns the declared argument types.
     *
     * @return an unmodifiable list, in order
     */
    public List<Class<?>> argumentTypes() {
        return types;
    }

    /**
     * Prints to C's {@code stdout} with {@code printf}.
     *
     * @param args one value per declared type, boxed
     * @return the number of bytes printed
     * @throws IllegalArgumentException if the arguments do not match the declared types
     * @throws NullPointerException if an argument is null
     * @throws IOException if C reports an error
     */
    public int printf(Object... args) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Errno.state();
            List<Object> call = new ArrayList<>(args.length + 2);
            call.add(errno);
            call.add(arena.allocateFrom(format));
            int n = invoke(Variadic.Function.PRINTF, call, args, arena);
            if (n < 0) {
                throw Errno.exception(Errno.value(errno), "<stdout>", "printf");
            }
            return n;
        }
    }

    /**
     * Prints to a file with {@code fprintf}. The bytes go to the file's buffer, as with
     * {@link CFile#write(MemorySegment)}.
     *
     * @param file an open file opened for writing
     * @param args one value per declared type, boxed
     * @return the number of bytes printed
     * @throws NullPointerException if {@code file} or an argument is null
     * @throws IllegalArgumentException if the arguments do not match the declared types
     * @throws IllegalStateException if {@code file} is closed
     * @throws java.nio.file.AccessDeniedException if {@code file} was not opened for writing
     * @throws IOException if C reports an error
     */
    public int fprintf(CFile file, Object... args) throws IOException {
        Objects.requireNonNull(file, "file");
        file.checkWritable("fprintf");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Errno.state();
            List<Object> call = new ArrayList<>(args.length + 3);
            call.add(errno);
            call.add(null); // the stream, set once the file is entered
            call.add(arena.allocateFrom(format));
            Object[] marshalled = marshal(args, arena);
            MemorySegment stream = file.enter("fprintf");
            int n;
            try {
                call.set(1, stream);
                n = invoke(Variadic.Function.FPRINTF, call, marshalled);
            } finally {
                file.exit();
            }
            if (n < 0) {
                throw Errno.exception(Errno.value(errno), file.path(), "fprintf");
            }
            return n;
        }
    }

    /**
     * Formats into a native buffer with {@code snprintf}: writes at most
     * {@code dst.byteSize()} bytes, including the terminating NUL.
     *
     * @param dst a native, writable segment of at least 1 byte
     * @param args one value per declared type, boxed
     * @return the length of the whole formatted text, without NUL; if it is
     *         {@code >= dst.byteSize()}, the text was truncated
     * @throws NullPointerException if {@code dst} or an argument is null
     * @throws IllegalArgumentException if {@code dst} is a heap, read-only or empty segment,
     *         or the arguments do not match the declared types
     */
    public int snprintf(MemorySegment dst, Object... args) {
        Objects.requireNonNull(dst, "dst");
        if (!dst.isNative() || dst.isReadOnly() || dst.byteSize() == 0) {
            throw new IllegalArgumentException("snprintf with format \"" + format + "\": " + dst
                + " must be a native, writable segment of at least 1 byte");
        }
        try (Arena arena = Arena.ofConfined()) {
            return snprintf(dst, marshal(args, arena), arena);
        }
    }

    /**
     * Formats to a Java string with {@code snprintf}.
     *
     * @param args one value per declared type, boxed
     * @return the formatted text, decoded as UTF-8
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the arguments do not match the declared types
     */
    public String sprintf(Object... args) {
        try (Arena arena = Arena.ofConfined()) {
            Object[] marshalled = marshal(args, arena);
            MemorySegment buffer = arena.allocate(FIRST_BUFFER);
            int n = snprintf(buffer, marshalled, arena);
            if (n >= FIRST_BUFFER) {
                buffer = arena.allocate(n + 1L);
                snprintf(buffer, marshalled, arena);
            }
            return buffer.getString(0);
        }
    }

    /**
     * Flushes C's {@code stdout} ({@code fflush(stdout)}), where {@link #printf} writes.
     *
     * @throws IOException if C reports an error
     * @throws UnsupportedOperationException on any platform but Linux x86-64 with glibc
     */
    public static void flushStdout() throws IOException {
        Platform.requireSupported();
        MemorySegment errno = Errno.state();
        if (Stdio.fflush(errno, libc_h.stdout()) != 0) {
            throw Errno.exception(Errno.value(errno), "<stdout>", "fflush");
        }
    }

    /**
     * Describes this format.
     *
     * @return {@code Format["...", [int, java.lang.String]]}
     */
    @Override
    public String toString() {
        return "Format[\"" + format + "\", " + names(types) + "]";
    }

    private int snprintf(MemorySegment dst, Object[] marshalled, Arena arena) {
        List<Object> call = new ArrayList<>(marshalled.length + 4);
        call.add(Errno.state());
        call.add(dst);
        call.add(dst.byteSize());
        call.add(arena.allocateFrom(format));
        int n = invoke(Variadic.Function.SNPRINTF, call, marshalled);
        if (n < 0) {
            throw new IllegalStateException("snprintf with format \"" + format + "\" failed: "
                + Errno.describe(Errno.value((MemorySegment) call.get(0))));
        }
        return n;
    }

    private int invoke(Variadic.Function function, List<Object> call, Object[] args, Arena arena) {
        return invoke(function, call, marshal(args, arena));
    }

    private int invoke(Variadic.Function function, List<Object> call, Object[] marshalled) {
        MethodHandle handle = function.handle(shape);
        call.addAll(Arrays.asList(marshalled));
        try {
            return (int) handle.invokeWithArguments(call);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Checks the values against the declared types and converts them to C values. */
    private Object[] marshal(Object[] args, Arena arena) {
        Objects.requireNonNull(args, "args");
        if (args.length != types.size()) {
            throw new IllegalArgumentException("printf format \"" + format + "\" takes " + types.size()
                + " arguments " + names(types) + ", but " + args.length + " were passed");
        }
        Object[] values = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            Class<?> type = types.get(i);
            if (arg == null) {
                throw new NullPointerException("printf format \"" + format + "\": argument " + (i + 1) + " is null");
            }
            if (!box(type).isInstance(arg)) {
                throw new IllegalArgumentException("printf format \"" + format + "\": argument " + (i + 1)
                    + " is a " + arg.getClass().getName() + ", but was declared " + type.getName());
            }
            boolean cString = shape.get(i) == CType.STRING;
            int index = i;
            values[i] = switch (arg) {
                case Character c -> (int) c;
                case String s -> arena.allocateFrom(s);
                case MemorySegment m when cString -> checkCString(m, index);
                default -> arg;
            };
        }
        return values;
    }

    private MemorySegment checkCString(MemorySegment segment, int index) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("printf format \"" + format + "\": argument " + (index + 1)
                + " is a heap segment; %s needs a native, NUL-terminated string");
        }
        for (long i = 0; i < segment.byteSize(); i++) {
            if (segment.get(ValueLayout.JAVA_BYTE, i) == 0) {
                return segment;
            }
        }
        throw new IllegalArgumentException("printf format \"" + format + "\": argument " + (index + 1)
            + " (" + segment + ") has no NUL terminator within its " + segment.byteSize() + " bytes");
    }

    private static boolean fits(CType c, Class<?> type) {
        return switch (c) {
            case INT -> type == int.class;
            case CHAR -> type == char.class || type == int.class;
            case LONG -> type == long.class;
            case DOUBLE -> type == double.class;
            case STRING -> type == String.class || type == MemorySegment.class;
            case POINTER -> type == MemorySegment.class;
        };
    }

    private static String expected(CType c) {
        return switch (c) {
            case INT -> "int";
            case CHAR -> "char or int";
            case LONG -> "long";
            case DOUBLE -> "double";
            case STRING -> "String or MemorySegment";
            case POINTER -> "MemorySegment";
        };
    }

    private static Class<?> box(Class<?> type) {
        if (type == int.class) {
            return Integer.class;
        }
        if (type == long.class) {
            return Long.class;
        }
        if (type == double.class) {
            return Double.class;
        }
        if (type == char.class) {
            return Character.class;
        }
        return type;
    }

    private static List<String> names(List<Class<?>> types) {
        return types.stream().map(Class::getName).toList();
    }
}
