package org.cypclass.processor;

import javax.lang.model.type.TypeKind;

/**
 * One field of a cypclass as the processor understands it: its kind, its C ABI size and
 * alignment, and the names it takes in Java layouts and in C.
 *
 * <p>A flexible array member ({@code double[] data()} without {@code @Length}, C99's
 * {@code double data[]}) has length 0 and is preceded by its {@code int64_t data_length}
 * field, 8 bytes before {@code offset}; it adds nothing to the fixed size.
 *
 * @param name the field name (the accessor name)
 * @param kind the primitive kind, or {@link TypeKind#DECLARED} for a reference or an array of them
 * @param length the element count of a fixed-size array field, 0 for a scalar or a flexible array
 * @param referenceType the qualified name of the referenced cypclass, for a reference or an array of them
 * @param offset the byte offset from the start of the instance (of element 0 for arrays)
 * @param flexible whether this is the flexible array member
 * @param typeVariable the type parameter of a generic cypclass that types this reference (or
 *        array of references), such as {@code T}, whose bound is then {@code referenceType}; null
 *        for a field of a concrete type
 */
record FieldModel(String name, TypeKind kind, int length, String referenceType, long offset, boolean flexible,
                  String typeVariable) {

    FieldModel(String name, TypeKind kind, int length, String referenceType, long offset, boolean flexible) {
        this(name, kind, length, referenceType, offset, flexible, null);
    }

    /** The accessor suffixes a flexible array member {@code data} adds: {@code dataLength()}, ... */
    static final java.util.List<String> FLEXIBLE_SUFFIXES = java.util.List.of("Length", "CopyTo", "CopyFrom", "View");

    boolean isReference() {
        return kind == TypeKind.DECLARED;
    }

    /** Whether this is a fixed-size array (of primitives or references). */
    boolean isArray() {
        return length > 0;
    }

    boolean isFlexible() {
        return flexible;
    }

    /** The name of the length field of a flexible array member, in the layout and in C. */
    String lengthName() {
        return name + "_length";
    }

    /** The offset of the length field of a flexible array member. */
    long lengthOffset() {
        return offset - Long.BYTES;
    }

    FieldModel at(long newOffset) {
        return new FieldModel(name, kind, length, referenceType, newOffset, flexible, typeVariable);
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

    /** The bytes this field adds to the fixed size: none for a flexible array member. */
    long byteSize() {
        if (flexible) {
            return 0;
        }
        return isArray() ? elementSize() * length : elementSize();
    }

    /** Natural alignment: the C ABI aligns every supported type to its size. */
    long alignment() {
        return elementSize();
    }

    /** Whether the referenced cypclass has type arguments ({@code RefList<Node>}). */
    boolean isGeneric() {
        return isReference() && referenceType.indexOf('<') >= 0;
    }

    /** The qualified name of the referenced cypclass without its type arguments. */
    String rawReferenceType() {
        int arguments = referenceType.indexOf('<');
        return arguments < 0 ? referenceType : referenceType.substring(0, arguments);
    }

    /** The expression of the referenced cypclass's {@code Class}, typed with its type arguments. */
    String classLiteral() {
        return isGeneric()
            ? "(java.lang.Class<" + referenceType + ">) (java.lang.Class<?>) " + rawReferenceType() + ".class"
            : referenceType + ".class";
    }

    /** Whether a type parameter of the cypclass types this field ({@code T first()}). */
    boolean isTypeVariable() {
        return typeVariable != null;
    }

    /** The Java type of a scalar or array element, as the accessors declare it: {@code T} for a type variable. */
    String javaType() {
        return isTypeVariable() ? typeVariable : staticType();
    }

    /**
     * The Java type of a scalar or array element in a static context (the field's accessor
     * constant): the bound of a type variable, which is what the store checks.
     */
    String staticType() {
        return isReference() ? referenceType : kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The ValueLayout constant of a scalar or array element. */
    String valueLayout() {
        return isReference() ? "java.lang.foreign.ValueLayout.ADDRESS" : "java.lang.foreign.ValueLayout.JAVA_" + kind.name();
    }

    /** The member layout expression, named. */
    String memberLayout() {
        String element = valueLayout();
        String layout = isArray() || flexible
            ? "java.lang.foreign.MemoryLayout.sequenceLayout(" + length + ", " + element + ")" : element;
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
            case DECLARED -> "struct " + cStructName() + " *";
            default -> throw new IllegalStateException("unsupported kind " + kind);
        };
    }

    /**
     * The C struct tag of the referenced cypclass: {@code CyObject}, as {@code cypclass/cyobject.h}
     * names it, for a field typed by a type parameter bounded by CyObject; else the cypclass's
     * qualified name with underscores.
     */
    String cStructName() {
        return rawReferenceType().equals(Annotations.CYOBJECT) ? "CyObject" : CHeaderWriter.cName(rawReferenceType());
    }

    /** The Java boxed-free constant name prefix of the handles, e.g. {@code VALUE}. */
    String constantName() {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    }
}
