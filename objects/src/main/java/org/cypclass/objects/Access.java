package org.cypclass.objects;

import java.util.Objects;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.NativeAccess;
import org.cypclass.memory.internal.Orphans;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.memory.internal.ThreadNames;
import org.cypclass.objects.capabilities.CapabilityException;
import org.cypclass.objects.internal.GuardToken;

import static org.cypclass.objects.internal.Words.FROZEN;
import static org.cypclass.objects.internal.Words.FROZEN_BORROWED;
import static org.cypclass.objects.internal.Words.READ_ONLY;
import static org.cypclass.objects.internal.Words.VALUE_ONLY;

/**
 * The capability check every use of a reference goes through, and the messages of the
 * exceptions it throws.
 *
 * <p>The hot path reads only the Java reference: one word says it is open and bound for the
 * calling thread ({@link CyObject#owner}), and, for a borrowed reference only, one off-heap load
 * finds the target's stamp unchanged. Owned references skip the stamp: the count they hold
 * keeps the instance alive. Everything else (closed, dead, shared, another thread, a dying
 * handle) is decided out of line from the header, which holds the truth; there an owned
 * reference to an orphan (its owner thread has ended) adopts it ({@code Orphans}) and takes
 * the calling thread's id into its fast-path word.
 */
final class Access {

    private Access() {
    }

    /**
     * Whether the calling thread may use {@code self} without looking at the header: one Java
     * field against the thread's id for an open owned reference, its complement and the stamp
     * for a borrowed one (see {@link CyObject#owner}); a closed reference holds 0, no id.
     */
    private static boolean fast(CyObject self) {
        long owner = self.owner;
        long thread = Thread.currentThread().threadId();
        return owner == thread || (owner == ~thread && self.targetAlive());
    }

    /**
     * Whether the calling thread may read through {@code self} without looking at the header:
     * what {@link #fast} accepts, plus a read guard's view ({@code id | READ_ONLY}) and
     * references to frozen objects, which any thread reads (see {@code Words}).
     */
    private static boolean readable(CyObject self) {
        long owner = self.owner;
        long thread = Thread.currentThread().threadId();
        // The owned case first, as its own compare: it is the very test of fast(), so a method
        // that reads then writes a field (value(value() + 1)) compiles one compare, not two.
        if (owner == thread || owner == (thread | READ_ONLY) || owner == FROZEN) {
            return true;
        }
        return (owner == ~thread || owner == FROZEN_BORROWED) && self.targetAlive();
    }

    /**
     * The access word of a new owned reference to {@code instance}, from its header: the
     * calling thread's id for a thread-local instance, {@code FROZEN} or {@code VALUE_ONLY}
     * for a frozen or locked one.
     *
     * @throws CapabilityException for an object inside a locked graph, which only guards reach
     */
    static long ownedWord(long instance) {
        long owner = RefCount.owner(instance);
        if (owner > 0) {
            return owner;
        }
        return switch (CyObjectHeader.capability(RefCount.state(instance))) {
            case CyObjectHeader.FROZEN -> FROZEN;
            case CyObjectHeader.LOCKED, CyObjectHeader.ACTIVE -> VALUE_ONLY;
            case CyObjectHeader.LOCKED_MEMBER -> throw new CapabilityException("cannot take a reference to "
                + RefCount.describe(instance) + ": it is inside a locked graph, reachable only through a guard of its"
                + " root's Locked reference (locked.write() or locked.read())");
            default -> owner;
        };
    }

    /**
     * The access word of a borrowed reference to {@code target}: the complement of its owner
     * thread's id while thread-local; {@code FROZEN_BORROWED}, {@code VALUE_ONLY} for frozen
     * and locked targets; 0 (decided out of line) for the rest.
     */
    static long borrowedWord(long target) {
        long owner = RefCount.owner(target);
        if (owner > 0) {
            return ~owner;
        }
        return switch (CyObjectHeader.capability(RefCount.state(target))) {
            case CyObjectHeader.FROZEN -> FROZEN_BORROWED;
            case CyObjectHeader.LOCKED, CyObjectHeader.ACTIVE -> VALUE_ONLY;
            default -> 0;
        };
    }

    /**
     * Returns the instance address of an open reference usable by the calling thread.
     *
     * @throws IllegalStateException if the reference is closed or its borrowed target died
     * @throws WrongThreadException if the instance is thread-local to another thread
     */
    static long use(CyObject self) {
        if (readable(self)) {
            return self.address;
        }
        return useSlow(self, Use.VALUE);
    }

    /**
     * Returns the instance address of {@code value}, about to be stored into a slot of
     * {@code holder}, after the rules of what may hold what: a thread-local instance only in a
     * holder of the same thread, an object of a locked graph only inside that graph; frozen and
     * locked objects anywhere.
     *
     * @throws CapabilityException if the store would let another thread reach a thread-local
     *         object, or an object of a locked graph escape its lock
     */
    static long useForStore(CyObject holder, CyObject value) {
        long target = use(value);
        long word = value.owner;
        long thread = Thread.currentThread().threadId();
        if (holder.kind < CyObject.GUARD_VIEW && (word == thread || word == ~thread)) {
            return target;
        }
        return storeSlow(holder, value, target);
    }

    private static long storeSlow(CyObject holder, CyObject value, long target) {
        int capability = CyObjectHeader.capability(RefCount.state(target));
        if (capability == CyObjectHeader.FROZEN || capability == CyObjectHeader.LOCKED
                || capability == CyObjectHeader.ACTIVE) {
            return target;      // shareable by themselves
        }
        boolean holderLocked = holder.kind >= CyObject.GUARD_VIEW;
        if (holderLocked) {
            if (value.kind == CyObject.GUARDED
                && ((GuardToken) value.tracker).root() == ((GuardToken) holder.tracker).root()) {
                return target;
            }
            throw new CapabilityException("cannot store " + value + " into " + holder + ", which is inside a locked"
                + " graph: every thread that takes the lock would reach it. Store objects of this locked graph, frozen"
                + " or locked objects, or move a thread-local graph in with guard.adopt(Isolated.consume(reference))");
        }
        if (capability == CyObjectHeader.LOCKED_MEMBER || value.kind == CyObject.GUARDED) {
            throw new CapabilityException("cannot store " + value + " into " + holder + ": it is inside a locked graph"
                + " and would escape its lock; store the Locked root (locked.handle()) or a frozen object instead");
        }
        return target;
    }

    /**
     * Checks that the calling thread may use an open reference's instance, without taking
     * the reference itself (for paths that must not let it escape).
     *
     * @throws WrongThreadException if the instance is thread-local to another thread that runs
     */
    static void checkUsable(long instance, Class<?> type) {
        // An orphan's reference may be closed by any thread: that releases it on its dead owner's behalf.
        if (!RefCount.isOwnedByCurrentThread(instance) && RefCount.owner(instance) != CyObjectHeader.OWNER_SHARED
            && !Orphans.isOrphan(instance)) {
            long owner = RefCount.owner(instance);
            throw new WrongThreadException(describe(type, instance) + " is thread-local to " + describeThread(owner)
                + "; " + describeCurrentThread() + " may not close a reference to it");
        }
    }

    /** The address of a field for reading; a dealloc hook may read its dying instance. */
    static long read(CyObject self, long offset) {
        if (readable(self)) {
            // An allocator address (set by the factories and borrows, 0 once closed, which
            // readable refuses): its known range folds the access's bounds check.
            return NativeAccess.ownAddress(self.address) + offset;
        }
        return useSlow(self, Use.READ) + offset;
    }

    /** The address of a field for writing. */
    static long write(CyObject self, long offset) {
        if (fast(self)) {
            return NativeAccess.ownAddress(self.address) + offset;
        }
        return useSlow(self, Use.WRITE) + offset;
    }

    /** The address of an array element for reading, the index checked against the length. */
    static long readElement(CyObject self, long index, long offset, long length, long elementSize) {
        return read(self, offset) + Objects.checkIndex(index, length) * elementSize;
    }

    /** The address of an array element for writing, the index checked against the length. */
    static long writeElement(CyObject self, long index, long offset, long length, long elementSize) {
        return write(self, offset) + Objects.checkIndex(index, length) * elementSize;
    }

    /** What a use does, for the out-of-line checks and their messages. */
    private enum Use {
        /** The instance as a value (stored, passed, counted), no field read or written. */
        VALUE("use"),
        READ("read a field of"),
        WRITE("write a field of");

        final String verb;

        Use(String verb) {
            this.verb = verb;
        }
    }

    private static long useSlow(CyObject self, Use use) {
        String what = use.verb;
        long instance = self.address;
        if (instance == 0) {
            throw new IllegalStateException("cannot " + what + " " + self.getClass().getName()
                + ": this reference is closed (or was never created by a factory); take another reference with"
                + " newReference() before closing this one");
        }
        if ((self.kind == CyObject.BORROWED || self.kind == CyObject.GUARDED) && !self.targetAlive()) {
            // Checked before anything reads the header: the block may hold another object now.
            throw new IllegalStateException("cannot " + what + " " + describe(self.getClass(), instance)
                + " through a borrowed reference: its target has died since it was read from a field (the field was"
                + " overwritten or its holder was destroyed); take an owned reference with newReference() to keep a"
                + " target alive");
        }
        if (self.kind == CyObject.DYING) {
            return instance;
        }
        boolean writing = use == Use.WRITE;
        if (self.kind >= CyObject.GUARD_VIEW) {
            ((GuardToken) self.tracker).check(self, writing);
            return instance;
        }
        long word = self.owner;
        if (word == FROZEN || word == FROZEN_BORROWED) {
            throw new CapabilityException("cannot " + what + " " + self + ": the object is frozen (read-only for every"
                + " thread); make a changed copy instead");
        }
        if (word == VALUE_ONLY) {
            if (use == Use.VALUE) {
                return instance;
            }
            boolean active = CyObjectHeader.capability(RefCount.state(instance)) == CyObjectHeader.ACTIVE;
            throw new CapabilityException("cannot " + what + " " + self + (active
                ? ": the object is active; send it a message with Active.from(reference).tell(...) or .ask(...)"
                : " outside a guard: the object is locked; take a guard with Locked.from(reference).write() or .read()"));
        }
        long owner = RefCount.owner(instance);
        long thread = Thread.currentThread().threadId();
        if (owner == thread) {
            if (self.kind != CyObject.BORROWED) {
                self.owner = thread;    // adopted through another reference: this one takes the fast path from now on
            }
            return instance;
        }
        if (owner == 0) {
            throw new IllegalStateException("cannot " + what + " " + self + ": the instance is dead (its last count"
                + " was released through another path); keep a reference open for as long as you use it");
        }
        if (owner == CyObjectHeader.OWNER_SHARED) {
            int capability = CyObjectHeader.capability(RefCount.state(instance));
            if (capability == CyObjectHeader.ACTIVE) {
                throw new CapabilityException("cannot " + what + " " + self + ": it is active; its fields are reached"
                    + " only by its own messages (Active.tell or ask)");
            }
            if (capability == CyObjectHeader.LOCKED_MEMBER || capability == CyObjectHeader.LOCKED) {
                throw new CapabilityException("cannot " + what + " " + self + ": it is "
                    + (capability == CyObjectHeader.LOCKED ? "locked" : "inside a locked graph")
                    + "; reach it inside a guard of its root's Locked reference (locked.write() or locked.read())");
            }
            throw new IllegalStateException("cannot " + what + " " + self + " directly: the instance is "
                + CyObjectHeader.describeState(RefCount.state(instance)) + "; use it through its capability");
        }
        if (self.kind != CyObject.BORROWED && Orphans.adopt(instance)) {
            // Its owner thread had ended: this thread adopted it (and what it reaches), see Orphans.
            self.owner = thread;
            return instance;
        }
        String hint = self.kind == CyObject.BORROWED && Orphans.isOrphan(instance)
            ? ", which has ended: a borrowed reference cannot adopt it; use or close an owned reference to adopt or release it"
            : "";
        throw new WrongThreadException(self + " is thread-local to " + describeThread(owner) + hint + "; "
            + describeCurrentThread() + " may not " + what + " it");
    }

    /** Names an instance the way Cython+ prints it: {@code <com.example.Adder object at 0x7f3a12c0>}. */
    static String describe(Class<?> type, long instance) {
        return describe(type.getName(), instance);
    }

    /** Names an instance from its type name; see {@link #describe(Class, long)}. */
    static String describe(String typeName, long instance) {
        return RefCount.describe(typeName, instance);
    }

    /** Names the calling thread, for messages. */
    static String describeCurrentThread() {
        return ThreadNames.current();
    }

    /** Names a thread from its id, for messages: looking it up is slow, but only errors do it. */
    static String describeThread(long id) {
        return ThreadNames.ofId(id);
    }
}
