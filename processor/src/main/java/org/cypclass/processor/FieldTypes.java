package org.cypclass.processor;

import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;

/**
 * The rules on the type of a field accessor, and the field each type makes: a primitive, a
 * reference to a cypclass, a fixed-size array of either ({@code @Length}), or the flexible array
 * member (an array of primitives without {@code @Length}). Every other type is reported.
 */
final class FieldTypes {

    private final Problems problems;
    /** The cypclass being read: a field may refer to it before it is known to be one. */
    private final TypeElement owner;

    FieldTypes(Problems problems, TypeElement owner) {
        this.problems = problems;
        this.owner = owner;
    }

    /**
     * {@return the field that an accessor's return type declares, at offset 0, or null if the type
     * is not one a field can have (reported)}
     *
     * @param method the accessor
     * @param name its name, the field's
     */
    FieldModel field(ExecutableElement method, String name) {
        TypeMirror type = method.getReturnType();
        Integer length = Annotations.lengthOf(method);
        if (type.getKind() == TypeKind.ARRAY) {
            return array(method, name, (ArrayType) type, length);
        }
        if (length != null) {
            problems.error(method, "@Length applies to array fields only");
            return null;
        }
        if (type.getKind().isPrimitive()) {
            return new FieldModel(name, type.getKind(), 0, null, 0, false);
        }
        if (type.getKind() == TypeKind.TYPEVAR) {
            String bound = typeParameterBound(method, (TypeVariable) type);
            return bound == null ? null : new FieldModel(name, TypeKind.DECLARED, 0, bound, 0, false, type.toString());
        }
        if (type.getKind() == TypeKind.DECLARED && mentionsTypeVariable(type)) {
            // The field's accessor is a static constant: it cannot name the cypclass's type parameters.
            problems.error(method, "the field " + name + " has type " + type + ", whose type arguments name a type parameter:"
                + " not supported yet; declare the field with a type parameter itself (T " + name + "()) or with"
                + " concrete type arguments");
            return null;
        }
        if (type.getKind() == TypeKind.DECLARED) {
            String target = cypclassName(type);
            if (target != null) {
                return new FieldModel(name, TypeKind.DECLARED, 0, target, 0, false);
            }
            problems.error(method, "the field " + name + " has type " + type + ", which is not a @Cypclass: a cypclass field"
                + " holds primitives, fixed-size primitive arrays or references to cypclasses");
            return null;
        }
        problems.error(method, "unsupported field type " + type + " for field " + name);
        return null;
    }

    /** An array field: fixed-size with {@code @Length}, else the flexible array member. */
    private FieldModel array(ExecutableElement method, String name, ArrayType type, Integer length) {
        TypeMirror component = type.getComponentType();
        String referenceType = null;
        String typeVariable = null;
        if (component.getKind() == TypeKind.TYPEVAR) {
            referenceType = typeParameterBound(method, (TypeVariable) component);
            if (referenceType == null) {
                return null;
            }
            typeVariable = component.toString();
        } else if (component.getKind() == TypeKind.DECLARED) {
            referenceType = cypclassName(component);
            if (referenceType == null) {
                problems.error(method, "unsupported field type " + type + ": " + component + " is not a @Cypclass; arrays hold"
                    + " primitives (boolean, byte, short, char, int, long, float, double) or references to cypclasses");
                return null;
            }
        } else if (!component.getKind().isPrimitive()) {
            problems.error(method, "unsupported field type " + type + ": arrays hold primitives (boolean, byte, short, char,"
                + " int, long, float, double) or references to cypclasses");
            return null;
        }
        if (length == null) {
            return flexible(method, name, type, component, referenceType);
        }
        if (length < 1) {
            problems.error(method, "the length of the array field " + name + " must be at least 1, not " + length);
            return null;
        }
        return new FieldModel(name, referenceType == null ? component.getKind() : TypeKind.DECLARED, length,
            referenceType, 0, false, typeVariable);
    }

    /** An array field without {@code @Length}: the flexible array member, if its elements allow one. */
    private FieldModel flexible(ExecutableElement method, String name, TypeMirror type, TypeMirror component,
                                String referenceType) {
        if (referenceType != null) {
            problems.error(method, "the array field " + name + " needs its length: @Length(2) " + type + " " + name + "(); an"
                + " array without @Length is a flexible array member, which holds primitives only");
            return null;
        }
        if (component.getKind() == TypeKind.BOOLEAN) {
            // MemorySegment has no bulk copy for boolean[], which the generated accessors offer.
            problems.error(method, "a flexible array member cannot hold boolean: declare byte[] " + name + "() (C's int8_t),"
                + " or give it a fixed size with @Length");
            return null;
        }
        return new FieldModel(name, component.getKind(), 0, null, 0, true);
    }

    /**
     * {@return the bound of a type variable that types a field, or null if it is not a type
     * parameter of the cypclass with the same bound (reported)} The nested {@code Fields}
     * interface is static, so it declares the cypclass's type parameters again:
     * {@code interface Fields<T extends CyObject, U extends CyObject>}.
     */
    private String typeParameterBound(ExecutableElement method, TypeVariable variable) {
        String bound = variable.asElement() instanceof TypeParameterElement parameter ? ClassRules.cypclassBound(parameter) : null;
        boolean ofOwner = owner.getTypeParameters().stream().anyMatch(p -> p.getSimpleName().contentEquals(variable.toString())
            && java.util.Objects.equals(ClassRules.cypclassBound(p), ClassRules.cypclassBound((TypeParameterElement) variable.asElement())));
        if (owner.getTypeParameters().isEmpty()) {
            problems.error(method, "the field " + method.getSimpleName() + " has type " + variable + ", but "
                + owner.getSimpleName() + " has no type parameter: declare the cypclass generic ("
                + owner.getSimpleName() + "<" + variable + " extends CyObject>), or give the field a cypclass type");
            return null;
        }
        if (bound == null || !ofOwner) {
            problems.error(method, "the field " + method.getSimpleName() + " has type " + variable + ", which is not a type"
                + " parameter of " + owner.getSimpleName() + " with the same bound: declare Fields with the cypclass's type"
                + " parameters, as interface Fields" + owner.getTypeParameters().stream()
                .map(p -> p.getSimpleName() + " extends " + p.getBounds().getFirst())
                .collect(java.util.stream.Collectors.joining(", ", "<", ">")) + " (each bound CyObject or a cypclass)");
            return null;
        }
        return bound;
    }

    /** {@return the qualified name of a declared type if it is a cypclass (or the one being read), else null} */
    private String cypclassName(TypeMirror type) {
        DeclaredType declared = (DeclaredType) type;
        TypeElement target = (TypeElement) declared.asElement();
        if (!target.equals(owner) && !Annotations.has(target, Annotations.CYPCLASS)) {
            return null;
        }
        // A generic cypclass (a container: RefList<Node>) keeps its type arguments, qualified.
        return declared.getTypeArguments().isEmpty() ? target.getQualifiedName().toString() : declared.toString();
    }

    /** {@return whether a type names a type variable anywhere in it, such as {@code Duo<T, Node>}} */
    static boolean mentionsTypeVariable(TypeMirror type) {
        return switch (type.getKind()) {
            case TYPEVAR -> true;
            case ARRAY -> mentionsTypeVariable(((ArrayType) type).getComponentType());
            case DECLARED -> ((DeclaredType) type).getTypeArguments().stream().anyMatch(FieldTypes::mentionsTypeVariable);
            case WILDCARD -> {
                javax.lang.model.type.WildcardType wildcard = (javax.lang.model.type.WildcardType) type;
                yield wildcard.getExtendsBound() != null && mentionsTypeVariable(wildcard.getExtendsBound())
                    || wildcard.getSuperBound() != null && mentionsTypeVariable(wildcard.getSuperBound());
            }
            default -> false;
        };
    }
}
