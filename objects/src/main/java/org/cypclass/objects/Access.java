package org.cypclass.objects;

import java.util.Objects;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.Orphans;
import org.cypclass.memory.internal.RefCount;

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
 *
 * <p>Thread-safety: stateless.
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
     * Returns the instance address of an open reference usable by the calling thread.
     *
     * @throws IllegalStateException if the reference is closed or its borrowed target died
     * @throws WrongThreadException if the instance is thread-local to another thread
     */
    static long use(CyObject self) {
        if (fast(self)) {
            return self.address;
        }
        return useSlow(self, "use");
    }

    /**
     * Checks that the calling thread may use an open reference's instance, without taking
     * the reference itself (for paths that must not let it escape).
     *
     * @throws WrongThreadException if the instance is thread-local to another thread that runs
     */
    static void checkUsable(long instance, Class<?> type) {
        // An orphan's reference may be closed by any thread: that releases it on its dead owner's behalf.
        if (!RefCount.isOwnedByCurrentThread(instance) && !Orphans.isOrphan(instance)) {
            long owner = RefCount.owner(instance);
            throw new WrongThreadException(describe(type, instance) + " is thread-local to " + describeThread(owner)
                + "; " + describeCurrentThread() + " may not close a reference to it");
        }
    }

    /** The address of a field for reading; a dealloc hook may read its dying instance. */
    static long read(CyObject self, long offset) {
        if (fast(self)) {
            return self.address + offset;
        }
        return useSlow(self, "read a field of") + offset;
    }

    /** The address of a field for writing. */
    static long write(CyObject self, long offset) {
        if (fast(self)) {
            return self.address + offset;
        }
        return useSlow(self, "write a field of") + offset;
    }

    /** The address of an array element for reading, the index checked against the length. */
    static long readElement(CyObject self, long index, long offset, long length, long elementSize) {
        return read(self, offset) + Objects.checkIndex(index, length) * elementSize;
    }

    /** The address of an array element for writing, the index checked against the length. */
    static long writeElement(CyObject self, long index, long offset, long length, long elementSize) {
        return write(self, offset) + Objects.checkIndex(index, length) * elementSize;
    }

    private static long useSlow(CyObject self, String what) {
        long instance = self.address;
        if (instance == 0) {
            throw new IllegalStateException("cannot " + what + " " + self.getClass().getName()
                + ": this reference is closed (or was never created by a factory); take another reference with"
                + " newReference() before closing this one");
        }
        if (self.kind == CyObject.BORROWED && !self.targetAlive()) {
            // Checked before anything reads the header: the block may hold another object now.
            throw new IllegalStateException("cannot " + what + " " + describe(self.getClass(), instance)
                + " through a borrowed reference: its target has died since it was read from a field (the field was"
                + " overwritten or its holder was destroyed); take an owned reference with newReference() to keep a"
                + " target alive");
        }
        if (self.kind == CyObject.DYING) {
            return instance;
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
            throw new IllegalStateException("cannot " + what + " " + self
                + " directly: the instance is shared; use it through a capability");
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
        return String.format("<%s object at 0x%x>", typeName, instance);
    }

    /** Names the calling thread, for messages. */
    static String describeCurrentThread() {
        Thread current = Thread.currentThread();
        return "thread \"" + current.getName() + "\" (id " + current.threadId() + ")";
    }

    /** Names a thread from its id, for messages: looking it up is slow, but only errors do it. */
    static String describeThread(long id) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.threadId() == id) {
                return "thread \"" + thread.getName() + "\" (id " + id + ")";
            }
        }
        return "the thread with id " + id + " (no longer running)";
    }
}
