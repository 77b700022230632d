package org.cypclass.memory.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import org.cypclass.memory.CyObjectHeader;

/**
 * The {@code tp_lock_wait} and {@code tp_lock_wake} entries of every native
 * {@code CyTypeObject}: the two upcalls through which C's {@code Cy_WLOCK}/{@code Cy_RLOCK}
 * wait for a lock Java's parking lot manages, and {@code Cy_UNWLOCK}/{@code Cy_UNRLOCK} wake its
 * waiters ({@link LockWord}, "C takes the same lock"). C makes every fast-path transition
 * itself; only waiting and waking come here.
 *
 * <p>One pair of stubs serves every type and lives as long as the process. An exception
 * escaping an upcall ends the JVM, so neither entry throws: a failure is logged through the
 * {@code org.cypclass.memory} {@link System.Logger}, and {@code tp_lock_wait} then answers
 * that it took nothing, which C's lock call returns as an error.
 *
 * <p>Thread-safety: safe to use from any thread, native ones included (the JVM attaches them
 * for the upcall; a waiting native thread parks as a Java thread).
 */
final class TpLock {

    private static final System.Logger LOG = System.getLogger("org.cypclass.memory");

    /** Address of {@code int32_t (*)(CyObject *, int32_t write)}: 0 once the lock is held, -1 if not taken. */
    static final long WAIT_STUB;
    /** Address of {@code void (*)(CyObject *, int32_t by_writer)}. */
    static final long WAKE_STUB;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            WAIT_STUB = NativeAccess.permanentUpcall(
                lookup.findStatic(TpLock.class, "await", MethodType.methodType(int.class, long.class, int.class)),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            WAKE_STUB = NativeAccess.permanentUpcall(
                lookup.findStatic(TpLock.class, "wake", MethodType.methodType(void.class, long.class, int.class)),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TpLock() {
    }

    /** The {@code tp_lock_wait} target: waits in the parking lot until the lock is held; never throws. */
    private static int await(long object, int write) {
        try {
            int state = RefCount.state(object);
            if (CyObjectHeader.capability(state) != CyObjectHeader.LOCKED) {
                // C checks this before calling; a second look costs nothing on a path that parks.
                LOG.log(System.Logger.Level.WARNING, "tp_lock_wait was called on " + RefCount.describe(object)
                    + ", which is " + CyObjectHeader.describeState(state) + ", not locked: nothing was taken");
                return -1;
            }
            LockWord.acquireForC(object, write != 0);
            return 0;
        } catch (Throwable t) {
            report("tp_lock_wait", object, t);
            return -1;
        }
    }

    /** The {@code tp_lock_wake} target: wakes whom C's release lets in; never throws. */
    private static void wake(long object, int byWriter) {
        try {
            LockWord.wake(object, byWriter != 0);
        } catch (Throwable t) {
            report("tp_lock_wake", object, t);
        }
    }

    private static void report(String entry, long object, Throwable failure) {
        try {
            LOG.log(System.Logger.Level.WARNING, entry + " of the object at 0x" + Long.toHexString(object)
                + " failed; the C caller cannot be told", failure);
        } catch (Throwable ignored) {
            // Even logging failed: returning is all that is left, since throwing would end the JVM.
        }
    }
}
