package org.cypclass.objects;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.capabilities.CapabilityException;
import org.cypclass.objects.generated.FlexibleArrayField;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * The one implementation of {@link FlexibleArrayField}. The layout's tail, checked when the
 * type is built:
 *
 * <pre>
 *   ... own fields, padding to 8 ...
 *   offset - 8   int64  name_length   element count, written once by the factory
 *   offset       elem   name[]        name_length elements, 8-byte aligned
 *   offset       (end of the fixed part: sizeof the C struct)
 * </pre>
 *
 * The count sits right before the elements, so every access finds it from the element
 * address alone. Nothing but {@link #setLength} writes it: {@link FieldAccessors#writer}
 * refuses it, because every bounds check trusts it.
 */
final class FlexibleArray implements FlexibleArrayField {

    /**
     * The largest instance, in bytes: the 2^47-byte user address space of x86-64 (5-level
     * paging too: {@code mmap} stays below 2^47 unless asked), so a larger one is impossible on
     * any machine and is refused as an argument, naming the count, before anything is allocated.
     * Smaller ones that the C library cannot satisfy are {@link OutOfMemoryError}s. No size
     * arithmetic in the allocator can overflow below it.
     */
    static final long MAX_INSTANCE_BYTES = 1L << 47;
    /** How many elements the field dump prints. */
    private static final int DUMPED = 8;
    private static final VarHandle LENGTH = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();

    private final Class<?> owner;
    private final String name;
    private final long offset;
    private final ValueLayout element;
    private final long elementSize;
    private final long fixedSize;
    private final long maxElements;

    private FlexibleArray(Class<?> owner, String name, long offset, ValueLayout element, long fixedSize) {
        this.owner = owner;
        this.name = name;
        this.offset = offset;
        this.element = element.withByteAlignment(1);
        this.elementSize = element.byteSize();
        this.fixedSize = fixedSize;
        this.maxElements = (MAX_INSTANCE_BYTES - fixedSize) / elementSize;
    }

    /** Checks the tail of {@code layout} and describes its flexible array member {@code name}. */
    static FlexibleArray of(Class<?> owner, StructLayout layout, String name) {
        List<MemoryLayout> members = layout.memberLayouts();
        int last = members.size() - 1;
        String lengthName = name + "_length";
        if (last < 2 || !(members.get(last) instanceof SequenceLayout array) || array.elementCount() != 0
                || !members.get(last).name().equals(Optional.of(name))
                || !(array.elementLayout() instanceof ValueLayout element) || element instanceof AddressLayout
                || !members.get(last - 1).equals(ValueLayout.JAVA_LONG.withName(lengthName))) {
            throw new IllegalArgumentException(owner.getName() + ": a flexible array member must be the layout's last"
                + " member, a zero-length sequence of a primitive layout named " + name + ", right after a JAVA_LONG named "
                + lengthName);
        }
        long offset = layout.byteOffset(groupElement(name));
        if (offset != layout.byteSize() || offset % Long.BYTES != 0) {
            throw new IllegalArgumentException(owner.getName() + ": the flexible array member " + name
                + " must start 8-byte aligned at the end of the fixed part");
        }
        return new FlexibleArray(owner, name, offset, element, offset);
    }

    String name() {
        return name;
    }

    String lengthName() {
        return name + "_length";
    }

    long offset() {
        return offset;
    }

    /**
     * The byte size of an instance with {@code elements} elements, rounded up to 8 as C rounds
     * {@code sizeof} (the allocator zeroes whole words).
     *
     * @throws IllegalArgumentException if the count is negative or the size would exceed
     *         {@link #MAX_INSTANCE_BYTES}
     */
    long instanceSize(long elements) {
        if (elements < 0 || elements > maxElements) {
            throw new IllegalArgumentException("cannot create " + owner.getName() + " with " + elements + " elements in "
                + name + "[]: the count must be from 0 to " + maxElements + " (" + MAX_INSTANCE_BYTES
                + " bytes, the address space)");
        }
        long bytes = fixedSize + elements * elementSize;
        return (bytes + Long.BYTES - 1) & -Long.BYTES;
    }

    /** Writes the element count of a new instance; the factory's job, and no one else's. */
    void setLength(long instance, long elements) {
        LENGTH.set(ALL, instance + offset - Long.BYTES, elements);
    }

    /** The address of an element for reading, the index checked against the stored count. */
    static long readElement(CyObject self, long index, long offset, long elementSize) {
        long at = Access.read(self, offset);
        return at + Objects.checkIndex(index, (long) LENGTH.get(ALL, at - Long.BYTES)) * elementSize;
    }

    /** The address of an element for writing, the index checked against the stored count. */
    static long writeElement(CyObject self, long index, long offset, long elementSize) {
        long at = Access.write(self, offset);
        return at + Objects.checkIndex(index, (long) LENGTH.get(ALL, at - Long.BYTES)) * elementSize;
    }

    /** The address of element {@code from} after checking {@code [from, from + count)}; {@code at} is element 0. */
    private long range(long at, long from, long count) {
        Objects.checkFromIndexSize(from, count, (long) LENGTH.get(ALL, at - Long.BYTES));
        return at + from * elementSize;
    }

    @Override
    public long length(CyObject self) {
        return (long) LENGTH.get(ALL, Access.read(self, offset) - Long.BYTES);
    }

    @Override
    public void copyTo(CyObject self, long fromIndex, Object dst, int dstIndex, int count) {
        long from = range(Access.read(self, offset), fromIndex, count);
        // MemorySegment.copy checks the array's type and range before it copies anything.
        MemorySegment.copy(ALL, element, from, dst, dstIndex, count);
    }

    @Override
    public void copyTo(CyObject self, long fromIndex, MemorySegment dst, long dstOffset, long count) {
        long from = range(Access.read(self, offset), fromIndex, count);
        MemorySegment.copy(ALL, from, dst, dstOffset, count * elementSize);
    }

    @Override
    public void copyFrom(CyObject self, long atIndex, Object src, int srcIndex, int count) {
        long to = range(Access.write(self, offset), atIndex, count);
        MemorySegment.copy(src, srcIndex, ALL, element, to, count);
    }

    @Override
    public void copyFrom(CyObject self, long atIndex, MemorySegment src, long srcOffset, long count) {
        long to = range(Access.write(self, offset), atIndex, count);
        MemorySegment.copy(src, srcOffset, ALL, to, count * elementSize);
    }

    @Override
    public ElementsView view(CyObject self) {
        // Checked as a field read: a locked or active object's handle reads no field outside its guard.
        long instance = Access.read(self, 0);
        int capability = CyObjectHeader.capability(RefCount.state(instance));
        if (capability == CyObjectHeader.LOCKED || capability == CyObjectHeader.LOCKED_MEMBER
                || capability == CyObjectHeader.ACTIVE) {
            throw new CapabilityException("cannot open a view of " + Access.describe(owner, instance) + "." + name
                + "[]: it is " + CyObjectHeader.describeState(RefCount.state(instance)) + ", and a view would outlive the"
                + " guard or message that reaches it; copy the elements with " + name + "CopyTo inside it");
        }
        long at = instance + offset;
        long length = (long) LENGTH.get(ALL, at - Long.BYTES);
        // A frozen object's elements are read-only for every thread: so is its view.
        return ElementsView.open(owner, name, instance, at, length * elementSize, capability == CyObjectHeader.FROZEN);
    }

    @Override
    public String describe(CyObject self) {
        long at = Access.read(self, offset);
        long length = (long) LENGTH.get(ALL, at - Long.BYTES);
        VarHandle read = element.varHandle();
        StringJoiner text = new StringJoiner(", ", "[", "]");
        for (long i = 0; i < Math.min(length, DUMPED); i++) {
            text.add(String.valueOf(read.get(ALL, at + i * elementSize)));
        }
        if (length > DUMPED) {
            text.add("... (" + (length - DUMPED) + " more)");
        }
        return text.toString();
    }
}
