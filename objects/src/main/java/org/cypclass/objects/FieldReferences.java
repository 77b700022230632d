package org.cypclass.objects;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cypclass.memory.internal.ReferenceVisitor;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * The reference slots of one cypclass, as the memory layer sees them: a fixed list of offsets
 * (reference fields and each element of reference arrays, inherited ones first), each with the
 * name a report prints ({@code next}, {@code children[1]}).
 */
final class FieldReferences implements ReferenceVisitor {

    private static final VarHandle ADDRESS_WORD = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();
    private static final FieldReferences NONE = new FieldReferences(new long[0], new String[0]);

    private final long[] offsets;
    private final String[] names;

    private FieldReferences(long[] offsets, String[] names) {
        this.offsets = offsets;
        this.names = names;
    }

    /**
     * Lists the reference slots of a layout: the base's, then those of {@code members}, in
     * order; each element of an array of references is one.
     *
     * @param owner the cypclass, for messages
     * @param layout its layout
     * @param inherited the slots of its base, or null
     * @param members the members of {@code layout} that are references or arrays of them
     * @throws IllegalArgumentException if a member is missing, or neither an address nor a
     *         sequence of addresses
     */
    static FieldReferences of(Class<?> owner, StructLayout layout, FieldReferences inherited, List<String> members) {
        FieldReferences base = inherited == null ? NONE : inherited;
        List<Long> own = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of(base.names));
        for (String name : members) {
            MemoryLayout member = layout.select(groupElement(name));
            long offset = layout.byteOffset(groupElement(name));
            if (member instanceof AddressLayout) {
                own.add(offset);
                names.add(name);
            } else if (member instanceof SequenceLayout array && array.elementLayout() instanceof AddressLayout slot) {
                for (long i = 0; i < array.elementCount(); i++) {
                    own.add(offset + i * slot.byteSize());
                    names.add(name + "[" + i + "]");
                }
            } else {
                throw new IllegalArgumentException(owner.getName() + "." + name
                    + " is neither an address member nor a sequence of addresses");
            }
        }
        long[] offsets = Arrays.copyOf(base.offsets, base.offsets.length + own.size());
        for (int i = 0; i < own.size(); i++) {
            offsets[base.offsets.length + i] = own.get(i);
        }
        return new FieldReferences(offsets, names.toArray(String[]::new));
    }

    /** {@return the offset of every slot, in order; a copy} */
    long[] offsets() {
        return offsets.clone();
    }

    /** {@return whether there is no slot} */
    boolean isEmpty() {
        return offsets.length == 0;
    }

    /** {@return whether a slot starts at {@code offset}} */
    boolean contains(long offset) {
        for (long slot : offsets) {
            if (slot == offset) {
                return true;
            }
        }
        return false;
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
