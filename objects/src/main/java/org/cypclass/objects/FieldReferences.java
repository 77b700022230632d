package org.cypclass.objects;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

import org.cypclass.memory.internal.ReferenceVisitor;

import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * The reference slots of one cypclass, as the memory layer sees them: a fixed list of offsets
 * (reference fields and each element of reference arrays, inherited ones first), each with the
 * name a report prints ({@code next}, {@code children[1]}).
 */
final class FieldReferences implements ReferenceVisitor {

    private static final VarHandle ADDRESS_WORD = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();

    private final long[] offsets;
    private final String[] names;

    FieldReferences(long[] offsets, String[] names) {
        this.offsets = offsets.clone();
        this.names = names.clone();
    }

    @Override
    public void forEachReference(long object, Slot slot) {
        for (long offset : offsets) {
            long target = (long) ADDRESS_WORD.get(ALL, object + offset);
            if (target != 0) {
                slot.visit(offset, target);
            }
        }
    }

    @Override
    public String slotName(long object, long offset) {
        for (int i = 0; i < offsets.length; i++) {
            if (offsets[i] == offset) {
                return names[i];
            }
        }
        return "+" + offset;
    }

    @Override
    public String toString() {
        return Arrays.toString(names);
    }
}
