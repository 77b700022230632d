package org.cypclass.objects;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.RefCount;

/**
 * Makes instances of cypclasses and the Java references that reach them: allocates an instance
 * and binds the reference a generated factory made ({@code CyTypes.initialize}), and makes a
 * reference of an instance's runtime class, found from the type id in its block prefix, for
 * borrowing, {@code newReference} and the containers.
 */
final class Instances {

    /**
     * {@code RefCount.allocate}, called through a handle held in a non-final field: C2 cannot
     * inline through a handle it does not see as constant, so the allocation path never
     * becomes part of a generated {@code create}, which then stays small enough to be inlined
     * into its callers, where escape analysis removes the reference object. Not final on
     * purpose; written once, in the static initializer.
     */
    private static MethodHandle allocateOutOfLine;

    static {
        try {
            allocateOutOfLine = MethodHandles.lookup().findStatic(RefCount.class, "allocate",
                MethodType.methodType(long.class, int.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Instances() {
    }

    /** Allocates an instance of {@code type} and binds {@code unbound}, a new reference of it, to it. */
    static <T extends CyObject> T initialize(CyType<T> type, T unbound) {
        if (unbound.identity != 0) {
            throw new IllegalStateException(unbound + " is already bound to an instance");
        }
        unbound.bind(allocate(type.typeId(), type.size()), CyObject.DETERMINISTIC);
        return unbound;
    }

    /**
     * Allocates an instance of {@code type} with room for {@code elements} elements of its
     * flexible array member and binds {@code unbound}, a new reference of it, to it.
     */
    static <T extends CyObject> T initialize(CyType<T> type, T unbound, long elements) {
        FlexibleArray flexible = type.flexible();
        if (flexible == null) {
            throw new IllegalStateException(type.javaClass().getName() + " has no flexible array member to size");
        }
        long bytes = flexible.instanceSize(elements);
        if (unbound.identity != 0) {
            throw new IllegalStateException(unbound + " is already bound to an instance");
        }
        long instance = allocate(type.typeId(), bytes);
        flexible.setLength(instance, elements);
        unbound.bind(instance, CyObject.DETERMINISTIC);
        return unbound;
    }

    private static long allocate(int typeId, long size) {
        try {
            return (long) allocateOutOfLine.invokeExact(typeId, size);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes a reference of the instance's runtime class; the caller has taken its count. */
    static CyObject wrap(long instance, byte kind, long word) {
        CyObject reference = newUnbound(instance);
        reference.bind(instance, kind, word);
        return reference;
    }

    /** Makes an unbound reference of the instance's runtime class (type id from the block prefix). */
    static CyObject newUnbound(long instance) {
        return TypeRegistry.ofTypeId(Allocator.typeOf(instance)).newUnbound();
    }
}
