package org.cypclass.memory.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The {@code tp_dealloc} entry of every native {@code CyTypeObject}: the upcall through which
 * C's {@code Cy_DECREF}, having released the last reference, has the object destroyed exactly
 * as a Java release would ({@link RefCount#lastReleasedByC}).
 *
 * <p>One stub serves every type: the destructor is found from the object's block prefix, as
 * on the Java path. It lives as long as the process, since type objects do.
 *
 * <p>An exception escaping an upcall ends the JVM, and the C caller has no way to receive
 * one, so {@link #deallocate} catches everything and reports it through the
 * {@code org.cypclass.memory} {@link System.Logger}: a failing {@code @Dealloc} hook (the
 * object is freed regardless), a misuse (a count that was not zero, a dead object), or a
 * destruction handed to the owner thread because C ran on the wrong one.
 *
 * <p>Thread-safety: safe to use from any thread: the stub may be called on any thread, native
 * ones included (the JVM attaches them); which thread may destroy which object is decided by
 * {@link RefCount#lastReleasedByC}.
 */
final class TpDealloc {

    private static final System.Logger LOG = System.getLogger("org.cypclass.memory");

    /** Address of the upcall stub, {@code void (*)(CyObject *)}; a pointer travels as a long. */
    static final long STUB;

    static {
        try {
            STUB = NativeAccess.permanentUpcall(
                MethodHandles.lookup().findStatic(TpDealloc.class, "deallocate", MethodType.methodType(void.class, long.class)),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TpDealloc() {
    }

    /** The upcall target; never throws. */
    private static void deallocate(long object) {
        try {
            if (!RefCount.lastReleasedByC(object)) {
                // Repaired, but the C code broke the thread rule: its earlier count updates on
                // this thread may have raced with the owner's plain ones.
                LOG.log(System.Logger.Level.WARNING, "C released the last reference to " + RefCount.describe(object)
                    + " on " + ThreadNames.current() + ", but the object is thread-local to "
                    + ThreadNames.ofId(RefCount.owner(object))
                    + "; that thread will destroy it at its next create() or CyObject.releaseCollected()."
                    + " Give C on other threads a frozen or locked object"
                    + " (Isolated.consume(reference).freeze() or .lock(), org.cypclass.objects.capabilities)");
            }
        } catch (Throwable t) {
            report(object, t);
        }
    }

    private static void report(long object, Throwable failure) {
        // Only the address: after a failed destruction the header may be half torn down, and
        // describing the object would read it.
        try {
            LOG.log(System.Logger.Level.WARNING, "tp_dealloc of the object at 0x" + Long.toHexString(object)
                + " failed; the C caller cannot be told", failure);
        } catch (Throwable ignored) {
            // Even logging failed (out of memory, a broken logger): returning is all that is
            // left, since throwing would end the JVM.
        }
    }
}
