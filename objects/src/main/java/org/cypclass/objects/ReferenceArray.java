package org.cypclass.objects;

import org.cypclass.objects.generated.RefArrayField;

/**
 * The one implementation of {@link RefArrayField}: element {@code i} is the pointer-sized slot
 * at {@code offset + 8 * i}, and every one of them is in the type's reference offsets, so the
 * destructor releases it like a scalar reference field.
 *
 * @param declared the declared element cypclass, which {@link #set} checks
 * @param offset the byte offset of element 0 from the start of the instance
 * @param length the number of elements
 * @param <V> the declared element cypclass
 */
record ReferenceArray<V extends CyObject>(Class<V> declared, long offset, int length) implements RefArrayField<V> {

    private static final long SLOT = Long.BYTES;

    @Override
    @SuppressWarnings("unchecked")
    public V get(CyObject self, int index) {
        // The element only ever holds instances of the declared type (set() checks it).
        return (V) ReferenceSlot.borrow(self, Access.readElement(self, index, offset, length, SLOT));
    }

    @Override
    public void set(CyObject self, int index, V value) {
        // The index is checked here, before the new target is retained.
        ReferenceSlot.store(self, Access.writeElement(self, index, offset, length, SLOT), declared, value);
    }

    @Override
    public boolean isNull(CyObject self, int index) {
        return ReferenceSlot.isNull(Access.readElement(self, index, offset, length, SLOT));
    }

    @Override
    public String describe(CyObject self, int index) {
        return ReferenceSlot.describe(Access.readElement(self, index, offset, length, SLOT));
    }
}
