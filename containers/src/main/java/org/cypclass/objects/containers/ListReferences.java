package org.cypclass.objects.containers;

import org.cypclass.memory.internal.ReferenceVisitor;

import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * The counted references of a {@link RefList}, as the memory layer sees them: its non-null
 * slots 0 to {@code size - 1}. Without it a list's elements would look held from outside to
 * cycle reports and {@code consume} (which then refused every graph holding a list), and the
 * switch of a graph to another owner or capability would leave them behind.
 *
 * <p>A slot is reported by its byte offset in the slot block, so that its name
 * ({@code elements[3]}) comes back from the offset alone.
 *
 * <p>Thread-safety: stateless; reads the list passed in with plain loads, on its owner's thread
 * or while nothing changes it (see {@link ReferenceVisitor}).
 */
final class ListReferences implements ReferenceVisitor {

    private static final long BYTES = Long.BYTES;

    @Override
    public void forEachReference(long object, Slot slot) {
        long data = ListStorage.data(object);
        long size = ListStorage.size(object);
        for (long i = 0; i < size; i++) {
            long target = (long) ListStorage.WORD.get(ALL, data + i * BYTES);
            if (target != 0) {
                slot.visit(i * BYTES, target);
            }
        }
    }

    @Override
    public String slotName(long object, long offset) {
        return "elements[" + offset / BYTES + "]";
    }
}
