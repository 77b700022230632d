package org.cypclass.processor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * The rules on {@code @CExport} methods, and their models: an exported method is an instance
 * method, not private, not generic, not a {@code @Dealloc} hook; an exported {@code @Init} is in
 * a class that has factories (not abstract); parameters and results are primitives,
 * {@code MemorySegment} or (non-generic) cypclass references; every C name is a C identifier, not
 * a C keyword, and unique in the class's table.
 */
final class ExportRules {

    /** C's keywords (C11 and C23), which no member or parameter of a C declaration may take. */
    private static final Set<String> C_KEYWORDS = Set.of("auto", "break", "case", "char", "const", "continue", "default",
        "do", "double", "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
        "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
        "unsigned", "void", "volatile", "while", "bool", "true", "false", "nullptr", "alignas", "alignof",
        "constexpr", "static_assert", "thread_local", "typeof", "typeof_unqual", "head", "self", "result");

    private final Problems problems;
    private final FieldRules fields;

    ExportRules(Problems problems, FieldRules fields) {
        this.problems = problems;
        this.fields = fields;
    }

    /** {@return the exported methods of a cypclass, in declaration order; each broken rule reported} */
    List<CypclassModel.ExportModel> read(TypeElement type, boolean isAbstract) {
        List<CypclassModel.ExportModel> exports = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            AnnotationMirror export = Annotations.find(method, Annotations.CEXPORT);
            if (export == null) {
                continue;
            }
            boolean isInit = Annotations.has(method, Annotations.INIT);
            String cName = explicitName(export);
            if (cName == null) {
                cName = isInit ? "create" : method.getSimpleName().toString();
            }
            CypclassModel.ExportModel model = read(method, cName, isInit, isAbstract);
            if (model == null) {
                continue;
            }
            if (!names.add(cName)) {
                problems.error(method, "the C name " + cName + " is taken by another @CExport method of this class; give"
                    + " one of them another with @CExport(name = \"...\")");
                continue;
            }
            exports.add(model);
        }
        return exports;
    }

    private static String explicitName(AnnotationMirror export) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry : export.getElementValues().entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals("name") && !entry.getValue().getValue().toString().isEmpty()) {
                return entry.getValue().getValue().toString();
            }
        }
        return null;
    }

    private CypclassModel.ExportModel read(ExecutableElement method, String cName, boolean isInit, boolean isAbstract) {
        if (!cName.matches("[A-Za-z_][A-Za-z0-9_]*") || C_KEYWORDS.contains(cName)) {
            problems.error(method, "cannot export " + method.getSimpleName() + " to C as " + cName + ": not a C identifier,"
                + " or a C keyword or a name the table's functions use (head, self, result); name it with"
                + " @CExport(name = \"...\")");
            return null;
        }
        Set<Modifier> modifiers = method.getModifiers();
        if (modifiers.contains(Modifier.STATIC) || modifiers.contains(Modifier.PRIVATE) || !method.getTypeParameters().isEmpty()
                || Annotations.has(method, Annotations.DEALLOC)) {
            problems.error(method, "a @CExport method is an instance method, neither private, static, generic nor @Dealloc");
            return null;
        }
        if (isInit && isAbstract) {
            problems.error(method, "an abstract cypclass has no factory: its @Init cannot be exported to C as a constructor");
            return null;
        }
        List<CypclassModel.CType> parameters = new ArrayList<>();
        List<String> parameterNames = new ArrayList<>();
        if (isInit && fields.countParameter() != null) {
            parameters.add(new CypclassModel.CType(CypclassModel.CKind.PRIMITIVE, "long", "int64_t"));
            parameterNames.add(fields.countParameter());
        }
        boolean valid = true;
        for (VariableElement parameter : method.getParameters()) {
            CypclassModel.CType type = cType(parameter.asType());
            if (type == null) {
                problems.error(parameter, "a @CExport method takes primitives, MemorySegment and cypclass references (not"
                    + " generic ones): " + parameter.asType() + " has no C twin");
                valid = false;
            }
            parameters.add(type);
            parameterNames.add(parameter.getSimpleName().toString());
        }
        CypclassModel.CType result = null;
        TypeMirror returned = method.getReturnType();
        if (!isInit && returned.getKind() != TypeKind.VOID) {
            result = cType(returned);
            if (result == null) {
                problems.error(method, "a @CExport method returns void, a primitive, MemorySegment or a cypclass reference"
                    + " (not a generic one): " + returned + " has no C twin");
                valid = false;
            }
        }
        return valid ? new CypclassModel.ExportModel(cName, method.getSimpleName().toString(), isInit, parameters,
            parameterNames, result) : null;
    }

    /** {@return the C twin of a Java type, or null if it has none} */
    private static CypclassModel.CType cType(TypeMirror type) {
        String c = switch (type.getKind()) {
            case BOOLEAN -> "bool";
            case BYTE -> "int8_t";
            case SHORT -> "int16_t";
            case CHAR -> "uint16_t";
            case INT -> "int32_t";
            case LONG -> "int64_t";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            default -> null;
        };
        if (c != null) {
            return new CypclassModel.CType(CypclassModel.CKind.PRIMITIVE, type.toString(), c);
        }
        if (type.getKind() != TypeKind.DECLARED) {
            return null;
        }
        DeclaredType declared = (DeclaredType) type;
        String name = ((TypeElement) declared.asElement()).getQualifiedName().toString();
        if (name.equals("java.lang.foreign.MemorySegment")) {
            return new CypclassModel.CType(CypclassModel.CKind.SEGMENT, name, "void *");
        }
        if (Annotations.isCypclass(type) && declared.getTypeArguments().isEmpty()
                && ((TypeElement) declared.asElement()).getTypeParameters().isEmpty()) {
            return new CypclassModel.CType(CypclassModel.CKind.REFERENCE, name, "struct " + CHeaderWriter.cName(name) + " *");
        }
        return null;
    }

    /** {@return a parameter name usable in C: a C keyword gets an underscore} */
    static String cParameterName(String javaName) {
        return C_KEYWORDS.contains(javaName) ? javaName + "_" : javaName;
    }
}
