package org.cypclass.objects;

import java.lang.invoke.VarHandle;
import java.lang.foreign.ValueLayout;

import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.RefCount;

import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * What a reference field and each element of a reference array share: one pointer-sized slot
 * of an instance holding a counted address, or 0 for null. The callers compute the slot's
 * address through {@link Access} (which checks the reference, the thread and, for arrays, the
 * index) and hand it here.
 *
 * <p>Thread-safety: stateless; the slot belongs to an instance the caller may use.
 */
final class ReferenceSlot {

    private static final VarHandle ADDRESS_WORD = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();

    private ReferenceSlot() {
    }

    /** The slot's target as a borrowed reference of its runtime class, or null; no count taken. */
    static CyObject borrow(CyObject self, long slot) {
        long target = (long) ADDRESS_WORD.get(ALL, slot);
        if (target == 0) {
            return null;
        }
        return BorrowCache.borrow(self, target);
    }

    /**
     * Stores {@code value} in the slot: retains the new target before releasing the old one,
     * so that storing a slot's own target is safe. The release may run a destructor.
     */
    static void store(long slot, Class<? extends CyObject> declared, CyObject value) {
        long target = 0;
        if (value != null) {
            target = Access.use(declared.cast(value));
            RefCount.retain(target);
        }
        long old = (long) ADDRESS_WORD.get(ALL, slot);
        ADDRESS_WORD.set(ALL, slot, target);
        if (old != 0) {
            RefCount.release(old);
        }
    }

    /** Whether the slot is null. */
    static boolean isNull(long slot) {
        return (long) ADDRESS_WORD.get(ALL, slot) == 0;
    }

    /** The target printed as {@link CyObject#toString()} does, or {@code null}; no count taken. */
    static String describe(long slot) {
        long target = (long) ADDRESS_WORD.get(ALL, slot);
        return target == 0 ? "null" : Access.describe(BlockTypes.name(Allocator.typeOf(target)), target);
    }

    /** Empties the slot and releases its target, for the destructor. */
    static void clear(long slot) {
        long target = (long) ADDRESS_WORD.get(ALL, slot);
        if (target != 0) {
            ADDRESS_WORD.set(ALL, slot, 0L);
            RefCount.release(target);
        }
    }
}
