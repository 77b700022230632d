package org.cypclass.objects;

import org.cypclass.objects.generated.RefField;

/**
 * The one implementation of {@link RefField}: the pointer-sized slot at {@code offset}, one of
 * the type's reference slots, so the destructor releases it.
 *
 * @param declared the declared cypclass, which {@link #set} checks
 * @param offset the slot's byte offset from the start of the instance
 * @param <V> the declared cypclass
 */
record ReferenceField<V extends CyObject>(Class<V> declared, long offset) implements RefField<V> {

    @Override
    @SuppressWarnings("unchecked")
    public V get(CyObject self) {
        // The field only ever holds instances of the declared type (set() checks it).
        return (V) ReferenceSlot.borrow(self, Access.read(self, offset));
    }

    @Override
    public void set(CyObject self, V value) {
        ReferenceSlot.store(self, Access.write(self, offset), declared, value);
    }

    @Override
    public String describe(CyObject self) {
        return ReferenceSlot.describe(Access.read(self, offset));
    }

    @Override
    public boolean isNull(CyObject self) {
        return ReferenceSlot.isNull(Access.read(self, offset));
    }
}
