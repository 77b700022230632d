package org.cypclass.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * The bytes a Java object graph occupies on the heap, computed from its shape, as JOL does:
 * each array is its header plus length times element size, each instance its header plus its
 * fields, both rounded up to the object alignment, with the header and reference sizes of the
 * running JVM ({@code UseCompactObjectHeaders}, {@code UseCompressedOops},
 * {@code ObjectAlignmentInBytes}). Unlike a difference of used heap after a collection, this
 * does not count the G1 regions a humongous array is rounded up to, nor the collector's noise;
 * it may count up to one alignment unit per instance too many or too few, since HotSpot packs
 * small fields into gaps this sum does not model (nothing next to a million-element array).
 *
 * <p>It reads fields by reflection, so it sees the objects of the class path (fastutil's) but
 * not inside the JDK's own, which it refuses with an {@link IllegalArgumentException}.
 *
 * <p>Thread-safety: stateless; the graph must not change while it is measured.
 */
final class HeapFootprint {

    private static final int HEADER;
    private static final int REFERENCE;
    private static final int ALIGNMENT;

    static {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        boolean compact = flag(hotspot, "UseCompactObjectHeaders", "false").equals("true");
        boolean compressedClass = flag(hotspot, "UseCompressedClassPointers", "true").equals("true");
        HEADER = compact ? 8 : compressedClass ? 12 : 16;
        REFERENCE = flag(hotspot, "UseCompressedOops", "true").equals("true") ? 4 : 8;
        ALIGNMENT = Integer.parseInt(flag(hotspot, "ObjectAlignmentInBytes", "8"));
    }

    private HeapFootprint() {
    }

    /** {@return the bytes of {@code root} and of everything it reaches through non-static fields and array slots} */
    static long deepSize(Object root) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> work = new ArrayDeque<>();
        work.push(root);
        long bytes = 0;
        while (!work.isEmpty()) {
            Object object = work.pop();
            if (!seen.add(object)) {
                continue;
            }
            Class<?> type = object.getClass();
            if (type.isArray()) {
                bytes += arraySize(type.getComponentType(), Array.getLength(object));
                if (!type.getComponentType().isPrimitive()) {
                    for (Object element : (Object[]) object) {
                        if (element != null) {
                            work.push(element);
                        }
                    }
                }
                continue;
            }
            long fields = 0;
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers())) {
                        continue;
                    }
                    fields += size(field.getType());
                    if (!field.getType().isPrimitive()) {
                        Object value = read(field, object);
                        if (value != null) {
                            work.push(value);
                        }
                    }
                }
            }
            bytes += align(HEADER + fields);
        }
        return bytes;
    }

    /** {@return the bytes of an array of {@code length} elements of {@code component}} */
    static long arraySize(Class<?> component, long length) {
        int element = size(component);
        long base = (HEADER + 4 + element - 1) / element * element;
        return align(base + length * element);
    }

    private static Object read(Field field, Object object) {
        try {
            field.setAccessible(true);
            return field.get(object);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot measure " + field + ": " + e, e);
        }
    }

    private static int size(Class<?> type) {
        if (!type.isPrimitive()) {
            return REFERENCE;
        }
        if (type == long.class || type == double.class) {
            return 8;
        }
        if (type == int.class || type == float.class) {
            return 4;
        }
        return type == short.class || type == char.class ? 2 : 1;
    }

    private static long align(long bytes) {
        return (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private static String flag(HotSpotDiagnosticMXBean hotspot, String name, String otherwise) {
        try {
            return hotspot.getVMOption(name).getValue();
        } catch (IllegalArgumentException e) {
            return otherwise;
        }
    }
}
