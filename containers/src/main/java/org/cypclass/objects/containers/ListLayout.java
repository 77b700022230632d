package org.cypclass.objects.containers;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import org.cypclass.memory.CyObjectHeader;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The descriptor of a list instance ({@link LongList}, {@link IntList}, {@link DoubleList},
 * {@link RefList}), C structs {@code org_cypclass_objects_containers_LongList} and its siblings in
 * {@code cypclass/containers.h} (named as the processor names every cypclass struct, so that a
 * user cypclass with a list field points at the same struct):
 *
 * <pre>
 *   0                   8                  16                  24                  32
 *   +-------------------+------------------+-------------------+-------------------+
 *   |                 CyObject ob_base (the header of every cypclass instance)      |
 *   +-------------------+------------------+-------------------+-------------------+
 *   | int64 size        | int64 capacity   | int64 mod_count   | elem *data        |  32..64
 *   +-------------------+------------------+-------------------+-------------------+
 *   | int64 element_type (RefList only)    |                                            64..72
 *   +-------------------+
 *
 *   data ──► +---------+---------+-----+---------+--------------------+
 *            | elem 0  | elem 1  | ... | size-1  | (capacity - size)  |   a block of its own
 *            +---------+---------+-----+---------+--------------------+   ("... storage" type)
 * </pre>
 *
 * <ul>
 *   <li>{@code size}: elements in use, {@code 0 <= size <= capacity}.</li>
 *   <li>{@code capacity}: elements the storage block holds; 0 while {@code data} is null.</li>
 *   <li>{@code mod_count}: bumped by every insert, removal and clear; an append changes
 *       {@code size} only (one header store on the hot path). Cursors and iterators compare
 *       both to fail fast: appends only raise {@code size}, so the pair is unchanged only if
 *       the size never changed. Overwriting an element leaves both alone.</li>
 *   <li>{@code data}: the storage block, allocated from the library's allocator under the
 *       container's storage type (so {@code MemoryStats} counts it), grown by doubling: a new
 *       block, one copy, the old block freed. For a {@code RefList}, each of the first
 *       {@code size} slots holds one count of its instance (or 0 for null).</li>
 *   <li>{@code element_type}: a {@code RefList}'s declared element cypclass, as its allocator
 *       type id (0: any cypclass); every store checks against it.</li>
 * </ul>
 */
final class ListLayout {

    static final long SIZE = 32;
    static final long CAPACITY = 40;
    static final long MOD_COUNT = 48;
    static final long DATA = 56;
    static final long ELEMENT_TYPE = 64;

    /** The first capacity a list grows to from nothing. */
    static final long FIRST_CAPACITY = 8;

    private ListLayout() {
    }

    /** The layout of a primitive list, named as the processor names a cypclass's struct. */
    static StructLayout primitive(Class<?> list) {
        return check(MemoryLayout.structLayout(
            CyObjectHeader.LAYOUT.withName("ob_base"),
            ValueLayout.JAVA_LONG.withName("size"),
            ValueLayout.JAVA_LONG.withName("capacity"),
            ValueLayout.JAVA_LONG.withName("mod_count"),
            ValueLayout.ADDRESS.withName("data"))
            .withName(cName(list)));
    }

    /** The layout of a reference list: a primitive list's, then the element type. */
    static StructLayout reference(Class<?> list) {
        StructLayout layout = check(MemoryLayout.structLayout(
            CyObjectHeader.LAYOUT.withName("ob_base"),
            ValueLayout.JAVA_LONG.withName("size"),
            ValueLayout.JAVA_LONG.withName("capacity"),
            ValueLayout.JAVA_LONG.withName("mod_count"),
            ValueLayout.ADDRESS.withName("data"),
            ValueLayout.JAVA_LONG.withName("element_type"))
            .withName(cName(list)));
        if (layout.byteOffset(groupElement("element_type")) != ELEMENT_TYPE) {
            throw new ExceptionInInitializerError("ListLayout.ELEMENT_TYPE disagrees with " + layout);
        }
        return layout;
    }

    /** The C name the processor gives a cypclass's struct: the qualified name with underscores. */
    static String cName(Class<?> type) {
        return type.getName().replace('.', '_');
    }

    private static StructLayout check(StructLayout layout) {
        if (layout.byteOffset(groupElement("size")) != SIZE || layout.byteOffset(groupElement("capacity")) != CAPACITY
                || layout.byteOffset(groupElement("mod_count")) != MOD_COUNT || layout.byteOffset(groupElement("data")) != DATA) {
            throw new ExceptionInInitializerError("ListLayout's offsets disagree with " + layout);
        }
        return layout;
    }
}
