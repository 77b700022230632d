package org.cypclass.processor;

import java.util.List;

/**
 * Everything the generators need about one cypclass, after validation.
 *
 * @param packageName the package of the cypclass
 * @param simpleName its simple name
 * @param qualifiedName its qualified name
 * @param baseQualifiedName the base cypclass, or null
 * @param baseSize the byte size of what precedes the own fields: the header or the base
 * @param fields the own fields, with offsets
 * @param size the instance size, rounded to the alignment
 * @param inits the {@code @Init} methods
 * @param dealloc the name of the {@code @Dealloc} method, or null
 * @param asyncs the asynchronous forms of the public methods
 * @param factories the signatures of the generated {@code create} factories
 * @param hidden the factories of the bases that this class has no factory for: the generated
 *        class hides each with a method that is deprecated for removal and throws, so that
 *        {@code Circle.create(7)} does not quietly make a {@code Shape}
 * @param typeParameters the type parameters of a generic cypclass as the generated class declares
 *        them ({@code T extends org.cypclass.objects.CyObject}), none for a plain one
 * @param isAbstract whether the cypclass is abstract: it then has no factory
 * @param exports the methods exported to C ({@code @CExport}), in the order of its C table
 * @param hashMethod the name of the {@code @Hash} method, or null
 * @param equalsMethod the name of the {@code @Equals} method, or null (null together with {@code hashMethod})
 */
record CypclassModel(String packageName, String simpleName, String qualifiedName, String baseQualifiedName,
                     long baseSize, List<FieldModel> fields, long size, List<InitModel> inits, String dealloc,
                     List<AsyncModel> asyncs, List<FactoryModel> factories, List<FactoryModel> hidden,
                     List<String> typeParameters, boolean isAbstract, List<ExportModel> exports, String hashMethod,
                     String equalsMethod) {

    boolean isGeneric() {
        return !typeParameters.isEmpty();
    }

    /** {@return the type parameter declarations in angle brackets, {@code <T extends ...>}, or "" for a plain cypclass} */
    String typeParameterList() {
        return isGeneric() ? "<" + String.join(", ", typeParameters) + ">" : "";
    }

    /** {@return the type parameter names in angle brackets, {@code <T, U>}, or "" for a plain cypclass} */
    String typeArgumentList() {
        return isGeneric() ? "<" + String.join(", ", typeParameters.stream().map(p -> p.substring(0, p.indexOf(' '))).toList())
            + ">" : "";
    }

    /** {@return the cypclass with wildcards for its type arguments, {@code Pair<?, ?>}, as static code names it} */
    String wildcardType() {
        return simpleName + (isGeneric() ? "<" + String.join(", ", java.util.Collections.nCopies(typeParameters.size(), "?"))
            + ">" : "");
    }

    /** How a value crosses to C: a primitive as itself, a segment as {@code void *}, a cypclass as its struct's pointer. */
    enum CKind { PRIMITIVE, SEGMENT, REFERENCE }

    /**
     * The C twin of a parameter or result type.
     *
     * @param kind how it crosses
     * @param javaType the Java type, as source text (a qualified class name for a segment or a cypclass)
     * @param cType the C type ({@code int32_t}, {@code void *}, {@code struct org_example_Adder *})
     */
    record CType(CKind kind, String javaType, String cType) {

        /** {@return the type the upcall target takes: a cypclass comes as its address} */
        String targetType() {
            return kind == CKind.REFERENCE ? "long" : javaType;
        }
    }

    /**
     * One function of the C table: an exported method, or an exported {@code @Init} as a constructor.
     *
     * @param cName its member's name in {@code struct X_methods}
     * @param javaName the Java method's name
     * @param isInit whether it is a constructor (through the generated factory)
     * @param parameters the parameters' C twins (a constructor of a class with a flexible array
     *        member takes the element count first)
     * @param parameterNames their names
     * @param result the result's C twin, null for void (a constructor's result is the new instance)
     */
    record ExportModel(String cName, String javaName, boolean isInit, List<CType> parameters, List<String> parameterNames,
                       CType result) {

        /** {@return the name of the generated upcall target} */
        String targetName() {
            return "cexport$" + cName;
        }
    }

    /** Instances are aligned like the header: 8 bytes. */
    static final long ALIGNMENT = 8;
    /** Size of the CyObject header. */
    static final long HEADER_SIZE = 32;

    String generatedName() {
        return "Cy_" + simpleName;
    }

    /** The flexible array member, always the last field, or null. */
    FieldModel flexible() {
        return fields.isEmpty() || !fields.getLast().isFlexible() ? null : fields.getLast();
    }

    /**
     * One {@code @Init} method.
     *
     * @param name the method name
     * @param parameters {@code type name} pairs, in order, as source text
     * @param parameterNames the parameter names
     * @param erasures the erased parameter types, as source text
     * @param thrown the declared exceptions, as source text
     */
    record InitModel(String name, List<String> parameters, List<String> parameterNames, List<String> erasures,
                     List<String> thrown) {
    }

    /**
     * The parameters of one static {@code create} factory.
     *
     * @param parameters {@code type name} pairs, in order, as source text
     * @param erasure the erased parameter types, comma-separated: two factories with the same
     *        erasure are one for hiding
     */
    record FactoryModel(List<String> parameters, String erasure) {
    }

    /**
     * The asynchronous form of one public method, for the generated {@code Async} class: a
     * message sent to an active instance.
     *
     * @param name the method name
     * @param result the future's type argument, as source text ({@code java.lang.Void} for void)
     * @param isVoid whether the method returns void
     * @param exportsReference whether the result is a cypclass reference, exported by the message
     * @param parameters {@code type name} pairs, in order, as source text
     * @param parameterNames the parameter names
     * @param checkedAtCall the names of cypclass-typed parameters, whose capability is checked
     *        at the call (frozen, locked or active only)
     */
    record AsyncModel(String name, String result, boolean isVoid, boolean exportsReference, List<String> parameters,
                      List<String> parameterNames, List<String> checkedAtCall) {
    }

    /**
     * Lays out own fields after {@code start}, in declaration order, each at its natural
     * alignment; a flexible array member (last) gets its {@code int64_t} length field at the
     * next multiple of 8 and its elements right after, which ends the fixed part.
     */
    static List<FieldModel> layOut(long start, List<FieldModel> fields) {
        long offset = start;
        java.util.ArrayList<FieldModel> placed = new java.util.ArrayList<>();
        for (FieldModel field : fields) {
            if (field.isFlexible()) {
                offset = align(offset, Long.BYTES) + Long.BYTES;
            }
            offset = align(offset, field.alignment());
            placed.add(field.at(offset));
            offset += field.byteSize();
        }
        return placed;
    }

    static long end(long start, List<FieldModel> placed) {
        long end = start;
        for (FieldModel field : placed) {
            end = Math.max(end, field.offset() + field.byteSize());
        }
        return align(end, ALIGNMENT);
    }

    static long align(long offset, long alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }
}
