package org.cypclass.libc.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.cypclass.bindings.libc.libc_h;

/**
 * Downcall handles for the {@code printf} family, one per call shape: a variadic C function
 * needs a handle linked for the exact C types of its variadic arguments
 * ({@code Linker.Option.firstVariadicArg}). Handles are linked on first use of a shape and
 * cached per function, so all formats with the same argument types share one handle.
 *
 * <p>Each handle captures {@code errno} and takes the capture segment first, then the fixed
 * arguments ({@code FILE*} for fprintf; buffer and size for snprintf; then the format), then
 * the variadic ones.
 *
 * <p>Thread-safety: safe to use from any thread; the handle caches are concurrent maps.
 */
public final class Variadic {

    /**
     * The three functions, with their fixed parameters as jextract generated them.
     */
    public enum Function {
        /** {@code int printf(const char *format, ...)}. */
        PRINTF(libc_h.printf.address(), libc_h.printf.makeInvoker().descriptor()),
        /** {@code int fprintf(FILE *stream, const char *format, ...)}. */
        FPRINTF(libc_h.fprintf.address(), libc_h.fprintf.makeInvoker().descriptor()),
        /** {@code int snprintf(char *s, size_t n, const char *format, ...)}. */
        SNPRINTF(libc_h.snprintf.address(), libc_h.snprintf.makeInvoker().descriptor());

        private final MemorySegment address;
        private final FunctionDescriptor fixed;
        private final ConcurrentMap<List<FormatParser.CType>, MethodHandle> shapes = new ConcurrentHashMap<>();

        Function(MemorySegment address, FunctionDescriptor fixed) {
            this.address = address;
            this.fixed = fixed;
        }

        /**
         * Returns the handle for one shape, linking it on first use.
         *
         * @param shape the C types of the variadic arguments
         * @return a handle taking the capture segment, the fixed arguments and one argument
         *         per entry of {@code shape} (int, long, double or MemorySegment)
         */
        public MethodHandle handle(List<FormatParser.CType> shape) {
            return shapes.computeIfAbsent(List.copyOf(shape), this::link);
        }

        private MethodHandle link(List<FormatParser.CType> shape) {
            MemoryLayout[] layouts = new MemoryLayout[shape.size()];
            for (int i = 0; i < layouts.length; i++) {
                layouts[i] = switch (shape.get(i)) {
                    case INT, CHAR -> libc_h.C_INT;
                    case LONG -> libc_h.C_LONG;
                    case DOUBLE -> libc_h.C_DOUBLE;
                    case STRING, POINTER -> libc_h.C_POINTER;
                };
            }
            return Downcalls.variadicWithErrno(address, fixed, layouts);
        }
    }

    private Variadic() {
    }
}
