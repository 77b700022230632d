package org.cypclass.memory.internal;

/**
 * How the memory layer, which knows no cypclass, finds the counted references an object of
 * one type holds: registered with its type ({@link BlockTypes#register(String, Destructor,
 * ReferenceVisitor)}). Cycle detection ({@link CycleFinder}) counts the references objects hold
 * to one another with it, and the adoption of an orphan follows it to the
 * objects the dead owner's graph holds.
 *
 * <p>A visitor reports slots by an offset it can name again: a cypclass's reference fields by
 * their byte offset from the start of the object, a container's element slots (whose number is
 * read from the object) by their byte offset in its storage block. Names are asked for only
 * when a report is printed, never while walking.
 *
 * <p>Implementations read the object's memory with plain loads and allocate nothing per slot.
 * They are called on the thread that owns the object, or on any thread while the objects do
 * not change (a leak report at the end of a test); they must not move counts.
 *
 * <p>Thread-safety: implementations must be safe to call from any thread (they are stateless
 * readers of the object passed in).
 */
public interface ReferenceVisitor {

    /** A type whose objects hold no counted references. */
    ReferenceVisitor NONE = new ReferenceVisitor() {
        @Override
        public void forEachReference(long object, Slot slot) {
        }

        @Override
        public String slotName(long object, long offset) {
            return "+" + offset;
        }
    };

    /** Receives one non-null reference slot of an object. */
    @FunctionalInterface
    interface Slot {
        /**
         * Receives one slot.
         *
         * @param offset the slot's byte offset from the start of the object
         * @param target the address it holds, never 0
         */
        void visit(long offset, long target);
    }

    /**
     * Calls {@code slot} for every reference slot of {@code object} that holds a target.
     *
     * @param object a live object of this visitor's type
     * @param slot receives each non-null slot
     */
    void forEachReference(long object, Slot slot);

    /**
     * Names a slot for reports: a field's name, with the element index for an array.
     *
     * @param object the object the slot belongs to (for slots whose name depends on it)
     * @param offset a slot offset that {@link #forEachReference} reported
     * @return for example {@code next} or {@code children[1]}
     */
    String slotName(long object, long offset);
}
