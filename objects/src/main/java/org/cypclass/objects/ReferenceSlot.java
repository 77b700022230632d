package org.cypclass.objects;

import java.lang.invoke.VarHandle;
import java.lang.foreign.ValueLayout;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.internal.GuardToken;

import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * What a reference field and each element of a reference array share: one pointer-sized slot
 * of an instance holding a counted address, or 0 for null. The callers compute the slot's
 * address through {@link Access} (which checks the reference, the thread and, for arrays, the
 * index) and hand it here.
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
        return borrowTarget(self, target);
    }

    /**
     * A live target read from a slot of {@code self} (a field or a container's element) as a
     * borrowed reference: through the thread's borrow cache, or, read through a guard, checked
     * against that guard.
     */
    static CyObject borrowTarget(CyObject self, long target) {
        if (self.kind >= CyObject.GUARD_VIEW) {
            return borrowGuarded(self, target);
        }
        return BorrowCache.borrow(self, target);
    }

    /**
     * Stores {@code value} in the slot: retains the new target before releasing the old one,
     * so that storing a slot's own target is safe. The release may run a destructor.
     */
    static void store(CyObject holder, long slot, Class<? extends CyObject> declared, CyObject value) {
        long target = 0;
        if (value != null) {
            target = Access.useForStore(holder, declared.cast(value));
            RefCount.retain(target);
        }
        long old = (long) ADDRESS_WORD.get(ALL, slot);
        ADDRESS_WORD.set(ALL, slot, target);
        if (old != 0) {
            RefCount.release(old);
        }
    }

    /**
     * A slot read through a guard (of a locked graph's root view, or of a reference read
     * through the guard): its target, if it is in the same locked graph, is reachable only
     * while that guard is open, so the reference carries the guard's token and is checked out
     * of line on every use. Never cached: the token dies with the guard.
     */
    private static CyObject borrowGuarded(CyObject self, long target) {
        GuardToken token = (GuardToken) self.tracker;
        int capability = CyObjectHeader.capability(RefCount.state(target));
        if (capability != CyObjectHeader.LOCKED_MEMBER && target != token.root()) {
            return BorrowCache.borrow(self, target);     // frozen, another lock: its own rules
        }
        return guarded(target, token);
    }

    /** A reference to an object of a locked graph, checked against {@code token} on every use. */
    static CyObject guarded(long target, GuardToken token) {
        CyObject borrowed = Instances.newUnbound(target);
        long stampAt = Allocator.stampAddress(target);
        borrowed.bindBorrowed(target, 0, stampAt, Allocator.stamp(stampAt), null);
        borrowed.kind = CyObject.GUARDED;
        borrowed.tracker = token;
        return borrowed;
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
