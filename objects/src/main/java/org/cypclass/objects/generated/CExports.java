package org.cypclass.objects.generated;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.NativeAccess;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.CyType;
import org.cypclass.objects.internal.SharedSecrets;
import org.cypclass.objects.internal.TypesAccess;

/**
 * The C side of a cypclass's {@code @CExport} methods: the table of function pointers
 * ({@code struct X_methods} of the generated {@code X.h}), the upcall stubs in it, and what each
 * stub's Java target calls.
 *
 * <p>The table, in memory that lives as long as the process, published in the type object's
 * {@code tp_methods} by {@link #register} (from the generated class's initializer):
 * <pre>
 *   0   type        const CyTypeObject *        the type these are the methods of
 *   8   count       int32                       how many function pointers follow
 *  12   reserved    int32                       0
 *  16   last_error  const char *(*)(void)       the calling thread's last failure message
 *  24   the functions, 8 bytes each, in declaration order
 * </pre>
 * Each function returns an {@code int32_t} status ({@link #OK} or a {@code CY_E*} code, the
 * constants below, twins of {@code cyobject.h}'s) and passes its result through a last pointer
 * parameter, which may be NULL to drop it (not for a constructor: its new object would have no
 * owner, so the call is refused). A generated target is shaped so that nothing escapes the
 * upcall:
 * <pre>{@code
 * private static final CExports.Calls CEXPORT$CALLS = CExports.register(TYPE, MethodHandles.lookup(),
 *     "add", "cexport$add");
 *
 * private static int cexport$add(long self, int v, long result) {
 *     try {
 *         CEXPORT$CALLS.result(result, CEXPORT$CALLS.receiver(TYPE, self).add(v));
 *         return CExports.OK;
 *     } catch (Throwable failure) {
 *         return CExports.fail(failure);     // an exception escaping an upcall ends the JVM
 *     }
 * }
 * }</pre>
 * A failure's message is kept per thread, in native memory that stays valid until the
 * thread's next failure, for {@code last_error}; a success leaves it as it was (as errno).
 *
 * <p>For generated code; see the {@linkplain org.cypclass.objects.generated package}.
 */
public final class CExports {

    /** The call ran; its result, if any, was stored. */
    public static final int OK = 0;
    /** The receiver (or an argument) is thread-local to another thread. */
    public static final int WRONG_THREAD = -1;
    /** The receiver is locked and nobody holds its lock. */
    public static final int NOT_LOCKED = -2;
    /** Another capability rule: active receiver, inside a locked graph, a write to a frozen object or under a read lock. */
    public static final int CAPABILITY = -3;
    /** NULL or dead receiver or argument. */
    public static final int DEAD = -4;
    /** An argument of the wrong class, or a constructor's NULL result pointer. */
    public static final int ARGUMENT = -5;
    /** The Java method threw. */
    public static final int EXCEPTION = -6;
    /** The size of the table's head, before the first function. */
    public static final long HEAD_SIZE = 24;

    private static final TypesAccess TYPES = SharedSecrets.types();
    private static final MemorySegment ALL = NativeAccess.ALL;
    /** The calling thread's last failure message, NUL-terminated, freed when replaced. */
    private static final ThreadLocal<MemorySegment> LAST_ERROR = new ThreadLocal<>();
    private static final MemorySegment NO_ERROR = Arena.global().allocateFrom("");
    private static final long LAST_ERROR_STUB;

    static {
        try {
            LAST_ERROR_STUB = NativeAccess.permanentUpcall(MethodHandles.lookup().findStatic(CExports.class, "lastError",
                MethodType.methodType(MemorySegment.class)), FunctionDescriptor.of(ValueLayout.ADDRESS));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private CExports() {
    }

    /**
     * Builds a cypclass's table of C functions and publishes it in its type object; the
     * generated class calls it once, from its initializer, after {@code TYPE}.
     *
     * @param type the cypclass's type
     * @param lookup the generated class's lookup, which finds its private static targets
     * @param entries the C name and the target method's name of each function, in pairs, in
     *        the order of {@code struct X_methods}
     * @return what the targets call, to keep in a private static final field: it alone reads and
     *         writes the raw addresses C passes, so only the generated class can use it
     * @throws IllegalArgumentException if there is no entry, or a target is missing, not static,
     *         overloaded, or of a type that has no C twin
     * @throws IllegalStateException if the type already has a table
     */
    public static Calls register(CyType<?> type, MethodHandles.Lookup lookup, String... entries) {
        if (entries.length == 0 || entries.length % 2 != 0) {
            throw new IllegalArgumentException("entries come in pairs, C name and target, at least one pair");
        }
        java.util.Objects.requireNonNull(type, "type");
        java.util.Objects.requireNonNull(lookup, "lookup");
        int count = entries.length / 2;
        List<Long> stubs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Method target = target(lookup.lookupClass(), entries[2 * i + 1]);
            MethodHandle handle;
            try {
                handle = lookup.unreflect(target);
            } catch (IllegalAccessException e) {
                throw new IllegalArgumentException("cannot reach " + target, e);
            }
            stubs.add(NativeAccess.permanentUpcall(handle, descriptor(target)));
        }
        MemorySegment table = Arena.global().allocate(MemoryLayout.sequenceLayout(3 + count, ValueLayout.JAVA_LONG));
        table.set(ValueLayout.JAVA_LONG, 0, BlockTypes.typeObject(SharedSecrets.objects().typeIdOf(type.javaClass())));
        table.set(ValueLayout.JAVA_INT, 8, count);
        table.set(ValueLayout.JAVA_LONG, 16, LAST_ERROR_STUB);
        for (int i = 0; i < count; i++) {
            table.set(ValueLayout.JAVA_LONG, HEAD_SIZE + 8L * i, stubs.get(i));
        }
        BlockTypes.setMethods(SharedSecrets.objects().typeIdOf(type.javaClass()), table.address());
        return new Calls(type);
    }

    private static Method target(Class<?> owner, String name) {
        Method found = null;
        for (Method method : owner.getDeclaredMethods()) {
            if (method.getName().equals(name)) {
                if (found != null) {
                    throw new IllegalArgumentException(owner.getName() + "." + name + " is overloaded");
                }
                found = method;
            }
        }
        if (found == null || !Modifier.isStatic(found.getModifiers()) || found.getReturnType() != int.class) {
            throw new IllegalArgumentException(owner.getName() + " has no static int " + name + "(...)");
        }
        return found;
    }

    private static FunctionDescriptor descriptor(Method target) {
        Class<?>[] parameters = target.getParameterTypes();
        MemoryLayout[] layouts = new MemoryLayout[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            layouts[i] = layout(parameters[i], target);
        }
        return FunctionDescriptor.of(ValueLayout.JAVA_INT, layouts);
    }

    private static MemoryLayout layout(Class<?> type, Method target) {
        if (type == boolean.class) {
            return ValueLayout.JAVA_BOOLEAN;
        } else if (type == byte.class) {
            return ValueLayout.JAVA_BYTE;
        } else if (type == short.class) {
            return ValueLayout.JAVA_SHORT;
        } else if (type == char.class) {
            return ValueLayout.JAVA_CHAR;
        } else if (type == int.class) {
            return ValueLayout.JAVA_INT;
        } else if (type == long.class) {
            return ValueLayout.JAVA_LONG;       // also pointers passed as addresses: 8 bytes on the one platform
        } else if (type == float.class) {
            return ValueLayout.JAVA_FLOAT;
        } else if (type == double.class) {
            return ValueLayout.JAVA_DOUBLE;
        } else if (type == MemorySegment.class) {
            return ValueLayout.ADDRESS;
        }
        throw new IllegalArgumentException(target + " takes a " + type.getName() + ", which has no C twin");
    }

    /**
     * What the C targets of one cypclass call: made once by {@link #register}, kept by the
     * generated class in a private field. Its methods take the raw addresses C passed (receiver,
     * arguments, result pointers), which is why no other code can reach an instance.
     *
     * <p>Thread-safety: stateless beyond its type; any thread C calls on.
     */
    public static final class Calls {

        private final CyType<?> type;

        private Calls(CyType<?> type) {
            this.type = type;
        }

        /**
         * Returns the reference through which a call from C runs on its receiver: the calling
         * thread's borrowed reference for an instance thread-local to it or frozen, a view valid
         * while C holds the lock for a locked one.
         *
         * @param type the exporting cypclass's type, the one these calls were registered for
         * @param self the receiver, as C passed it
         * @param <T> the cypclass
         * @return a reference usable for the call; borrowed, nothing to close
         * @throws IllegalStateException (with the status for {@link #fail}) if the calling thread may
         *         not call a method of it: NULL or dead, of another class, thread-local to another
         *         thread, locked without a holder, active or inside a locked graph
         */
        public <T extends CyObject> @NotOwning T receiver(CyType<T> type, long self) {
            if (type != this.type) {
                throw new IllegalArgumentException(type + " is not the type of these calls, " + this.type);
            }
            return TYPES.cReceiver(type, self);
        }

        /**
         * Returns a cypclass argument C passed, borrowed for the call (a handle only for a locked or
         * active object); its uses check the thread rules as a field read's do.
         *
         * @param declared the parameter's cypclass
         * @param address the argument, as C passed it
         * @param <V> the parameter's cypclass
         * @return the reference, or null for NULL
         * @throws IllegalStateException (with the status for {@link #fail}) if it is dead or of another class
         */
        public <V extends CyObject> @NotOwning V argument(Class<V> declared, long address) {
            return TYPES.cArgument(declared, address);
        }

        /**
         * Stores a constructor's new instance for C, which then owns its count.
         *
         * @param at where C wants it ({@code struct X **})
         * @param created the new instance's only reference, spent by this call
         * @throws IllegalArgumentException if {@code at} is NULL: the instance is released, and the
         *         status is {@link #ARGUMENT}
         */
        public void created(long at, @Owning CyObject created) {
            if (at == 0) {
                created.close();
                throw new NullResult();
            }
            ALL.set(ValueLayout.JAVA_LONG, at, TYPES.cExportOwned(created));
        }

        /**
         * Stores a cypclass result for C with a count of C's own, which C gives back with
         * {@code Cy_DECREF}: an owned result's count (the reference is spent), else a new one.
         * If {@code at} is NULL, an owned result is closed and nothing is stored.
         *
         * @param at where C wants it ({@code struct Y **}), or 0
         * @param value the result, or null
         */
        public void result(long at, CyObject value) {
            long address = TYPES.cExportResult(value, at != 0);
            if (at != 0) {
                ALL.set(ValueLayout.JAVA_LONG, at, address);
            }
        }

        /**
         * Stores a result for C; nothing if {@code at} is NULL.
         *
         * @param at where C wants it, or 0
         * @param value the result
         */
        public void result(long at, MemorySegment value) {
            if (at != 0) {
                ALL.set(ValueLayout.JAVA_LONG, at, value == null ? 0 : value.address());
            }
        }

        /**
         * Stores a result for C ({@code bool}, one byte 0 or 1); nothing if {@code at} is NULL.
         *
         * @param at where C wants it, or 0
         * @param value the result
         */
        public void result(long at, boolean value) {
            if (at != 0) {
                ALL.set(ValueLayout.JAVA_BOOLEAN, at, value);
            }
        }

        /**
         * Stores a result for C; nothing if {@code at} is NULL.
         *
         * @param at where C wants it, or 0
         * @param value the result
         */
        public void result(long at, byte value) {
            if (at != 0) {
                ALL.set(ValueLayout.JAVA_BYTE, at, value);
            }
        }

        /**
         * Stores a result for C; nothing if {@code at} is NULL.
         *
         * @param at where C wants it, or 0
         * @param value the result
         */
        public void result(long at, short value) {
            if (at != 0) {
                ALL.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, value);
            }
        }

        /**
         * Stores a result for C ({@code uint16_t}); nothing if {@code at} is NULL.
         *
         * @param at where C wants it, or 0
         * @param value the result
         */
        public void result(long at, char value) {
            if (at != 0) {
                ALL.set(ValueLayout.JAVA_CHAR_UNALIGNED, at, value);
            }
        }

        /**
         * Stores a result for C; nothing if {@code at} is NULL.
         *
         * @param at where C wants it, or 0
         * @param value the result
         */
        public void result(long at, int value) {
            if (at != 0) {
                ALL.set(ValueLayout.JAVA_INT_UNALIGNED, at, value);
            }
        }

        /**
         * Stores a result for C; nothing if {@code at} is NULL.
         *
         * @param at where C wants it, or 0
         * @param value the result
         */
        public void result(long at, long value) {
            if (at != 0) {
                ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, at, value);
            }
        }

        /**
         * Stores a result for C; nothing if {@code at} is NULL.
         *
         * @param at where C wants it, or 0
         * @param value the result
         */
        public void result(long at, float value) {
            if (at != 0) {
                ALL.set(ValueLayout.JAVA_FLOAT_UNALIGNED, at, value);
            }
        }

        /**
         * Stores a result for C; nothing if {@code at} is NULL.
         *
         * @param at where C wants it, or 0
         * @param value the result
         */
        public void result(long at, double value) {
            if (at != 0) {
                ALL.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, at, value);
            }
        }
    }

    /**
     * Turns what a call from C threw into its status, and keeps its message for
     * {@code Cy_LastError}. Never throws: whatever fails here leaves the status.
     *
     * @param failure what the call threw
     * @return the status for C, below 0
     */
    public static int fail(Throwable failure) {
        int status = EXCEPTION;
        try {
            status = failure instanceof NullResult ? ARGUMENT : TYPES.cStatus(failure);
            String message = failure.getMessage();
            String text = status == EXCEPTION || message == null ? failure.toString() : message;
            LAST_ERROR.set(Arena.ofAuto().allocateFrom(text));
        } catch (Throwable ignored) {
            // Out of memory, or a message that cannot be encoded: the status still tells C what happened.
        }
        return status;
    }

    /** A constructor's NULL result pointer. */
    private static final class NullResult extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        NullResult() {
            super("a C constructor was called with a NULL result pointer: its new instance would have no owner, so it"
                + " was released");
        }
    }

    /** The {@code last_error} target: the calling thread's last failure message, or "". */
    private static MemorySegment lastError() {
        try {
            MemorySegment message = LAST_ERROR.get();
            return message == null ? NO_ERROR : message;
        } catch (Throwable t) {
            return NO_ERROR;
        }
    }
}
