package org.cypclass.objects.processor;

import javax.lang.model.type.TypeKind;

/**
 * One field of a cypclass as the processor understands it: its kind, its C ABI size and
 * alignment, and the names it takes in Java layouts and in C.
 *
 * @param name the field name (the accessor name)
 * @param kind the primitive kind, or {@link TypeKind#DECLARED} for a reference
 * @param length the element count of an array field, 0 for a scalar
 * @param referenceType the qualified name of the referenced cypclass, for a reference
 * @param offset the byte offset from the start of the instance
 */
record FieldModel(String name, TypeKind kind, int length, String referenceType, long offset) {

    boolean isReference() {
        return kind == TypeKind.DECLARED;
    }

    boolean isArray() {
        return length > 0;
    }

    FieldModel at(long newOffset) {
        return new FieldModel(name, kind, length, referenceType, newOffset);
    }

    /** Size of one element (or of the scalar), as C lays it out on LP64 platforms. */
    long elementSize() {
        return switch (kind) {
            case BOOLEAN, BYTE -> 1;
            case SHORT, CHAR -> 2;
            case INT, FLOAT -> 4;
            case LONG, DOUBLE, DECLARED -> 8;
            default -> throw new IllegalStateException("unsupported kind " + kind);
        };
    }

    long byteSize() {
        return isArray() ? elementSize() * length : elementSize();
    }

    /** Natural alignment: the C ABI aligns every supported type to its size. */
    long alignment() {
        return elementSize();
    }

    /** The Java type of a scalar or array element. */
    String javaType() {
        return isReference() ? referenceType : kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The ValueLayout constant of a scalar or array element. */
    String valueLayout() {
        return isReference() ? "java.lang.foreign.ValueLayout.ADDRESS" : "java.lang.foreign.ValueLayout.JAVA_" + kind.name();
    }

    /** The member layout expression, named. */
    String memberLayout() {
        String element = valueLayout();
        String layout = isArray() ? "java.lang.foreign.MemoryLayout.sequenceLayout(" + length + ", " + element + ")" : element;
        return layout + ".withName(\"" + name + "\")";
    }

    /** The C type of a scalar or array element. */
    String cType() {
        return switch (kind) {
            case BOOLEAN -> "bool";
            case BYTE -> "int8_t";
            case SHORT -> "int16_t";
            case CHAR -> "uint16_t";
            case INT -> "int32_t";
            case LONG -> "int64_t";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            case DECLARED -> "struct " + CHeaderWriter.cName(referenceType) + " *";
            default -> throw new IllegalStateException("unsupported kind " + kind);
        };
    }

    /** The Java boxed-free constant name prefix of the handles, e.g. {@code VALUE}. */
    String constantName() {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    }
}
