package org.cypclass.objects;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;

import org.cypclass.objects.generated.FlexibleArrayField;
import org.cypclass.objects.generated.RefArrayField;
import org.cypclass.objects.generated.RefField;

import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * Makes the checked accessors of a cypclass's fields, which generated classes keep in
 * {@code static final} fields ({@code CyTypes.reader}, {@code writer}, {@code reference},
 * {@code referenceArray}, {@code flexibleArray}): a {@link VarHandle} per primitive field whose
 * coordinate passes the access check of {@link Access} (or, for the flexible array member,
 * {@link FlexibleArray}) before it becomes an address, and the accessors of reference fields,
 * arrays of references and the flexible array member. The offsets come from the type's checked
 * layout, so each handle or accessor reaches only the field it was made for.
 */
final class FieldAccessors {

    private static final MethodHandle READ;
    private static final MethodHandle WRITE;
    private static final MethodHandle READ_ELEMENT;
    private static final MethodHandle WRITE_ELEMENT;
    private static final MethodHandle READ_FLEXIBLE;
    private static final MethodHandle WRITE_FLEXIBLE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodType field = MethodType.methodType(long.class, CyObject.class, long.class);
            MethodType element = MethodType.methodType(long.class, CyObject.class, long.class, long.class, long.class, long.class);
            READ = lookup.findStatic(Access.class, "read", field);
            WRITE = lookup.findStatic(Access.class, "write", field);
            READ_ELEMENT = lookup.findStatic(Access.class, "readElement", element);
            WRITE_ELEMENT = lookup.findStatic(Access.class, "writeElement", element);
            MethodType flexibleElement = MethodType.methodType(long.class, CyObject.class, long.class, long.class, long.class);
            READ_FLEXIBLE = lookup.findStatic(FlexibleArray.class, "readElement", flexibleElement);
            WRITE_FLEXIBLE = lookup.findStatic(FlexibleArray.class, "writeElement", flexibleElement);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private FieldAccessors() {
    }

    /** {@return the handle reading a primitive field of {@code type}} */
    static VarHandle reader(CyType<?> type, String field) {
        return handle(type, field, READ, READ_ELEMENT);
    }

    /** {@return the handle writing a primitive field of {@code type}} */
    static VarHandle writer(CyType<?> type, String field) {
        FlexibleArray flexible = type.flexible();
        if (flexible != null && field.equals(flexible.lengthName())) {
            // Element accesses trust it: a write could open the whole address space.
            throw new IllegalArgumentException(type.javaClass().getName() + "." + field
                + " is read-only: the factory writes the element count of " + flexible.name() + "[] once");
        }
        return handle(type, field, WRITE, WRITE_ELEMENT);
    }

    /** {@return the accessor of a reference field of {@code type}} */
    static <V extends CyObject> RefField<V> reference(CyType<?> type, String field, Class<V> declared) {
        CyType.Located located = type.locate(field);
        if (!type.isReferenceSlot(located.offset())) {
            throw new IllegalArgumentException(type.javaClass().getName() + "." + field + " is not a reference field");
        }
        if (!(located.layout() instanceof AddressLayout)) {
            throw new IllegalArgumentException(type.javaClass().getName() + "." + field
                + " is an array of references: use referenceArray");
        }
        return new ReferenceField<>(declared, located.offset());
    }

    /** {@return the accessor of a fixed-size array of references of {@code type}} */
    static <V extends CyObject> RefArrayField<V> referenceArray(CyType<?> type, String field, Class<V> declared) {
        CyType.Located located = type.locate(field);
        if (!(located.layout() instanceof SequenceLayout array) || !(array.elementLayout() instanceof AddressLayout)
                || !type.isReferenceSlot(located.offset())) {
            throw new IllegalArgumentException(type.javaClass().getName() + "." + field + " is not an array of references");
        }
        return new ReferenceArray<>(declared, located.offset(), Math.toIntExact(array.elementCount()));
    }

    /** {@return the accessor of the flexible array member of {@code type}} */
    static FlexibleArrayField flexibleArray(CyType<?> type, String field) {
        FlexibleArray flexible = type.flexible();
        if (flexible == null || !flexible.name().equals(field)) {
            throw new IllegalArgumentException(type.javaClass().getName() + "." + field + " is not a flexible array member");
        }
        return flexible;
    }

    /**
     * The handle of a primitive scalar or array field: the layout's unaligned handle on the
     * whole address space, its address coordinate computed from the reference by a check
     * ({@code scalarCheck} for a scalar, {@code elementCheck} or the flexible array member's
     * for an element).
     */
    private static VarHandle handle(CyType<?> type, String field, MethodHandle scalarCheck, MethodHandle elementCheck) {
        Class<?> javaClass = type.javaClass();
        CyType.Located located = type.locate(field);
        VarHandle access;
        MethodHandle address;
        if (located.layout() instanceof SequenceLayout array && array.elementLayout() instanceof ValueLayout element
                && !(element instanceof AddressLayout)) {
            access = MethodHandles.insertCoordinates(element.withByteAlignment(1).varHandle(), 0, ALL);
            FlexibleArray flexible = type.flexible();
            if (flexible != null && located.offset() == flexible.offset()) {
                MethodHandle check = scalarCheck == READ ? READ_FLEXIBLE : WRITE_FLEXIBLE;
                address = MethodHandles.insertArguments(check, 2, located.offset(), element.byteSize())
                    .asType(MethodType.methodType(long.class, javaClass, long.class));
                return MethodHandles.collectCoordinates(access, 0, address);
            }
            address = MethodHandles.insertArguments(elementCheck, 2, located.offset(), array.elementCount(), element.byteSize())
                .asType(MethodType.methodType(long.class, javaClass, long.class));
            return MethodHandles.collectCoordinates(access, 0, address);
        }
        if (!(located.layout() instanceof ValueLayout value) || value instanceof AddressLayout
                || located.layout() instanceof GroupLayout) {
            throw new IllegalArgumentException(javaClass.getName() + "." + field + " is not a primitive field");
        }
        access = MethodHandles.insertCoordinates(value.withByteAlignment(1).varHandle(), 0, ALL);
        address = MethodHandles.insertArguments(scalarCheck, 1, located.offset())
            .asType(MethodType.methodType(long.class, javaClass));
        return MethodHandles.filterCoordinates(access, 0, address);
    }
}
