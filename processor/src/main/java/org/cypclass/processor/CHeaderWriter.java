package org.cypclass.processor;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code X.h}, the C declaration of a cypclass instance: a struct that starts with the
 * {@code CyObject} header (or the base cypclass's struct) and continues with the fields at the
 * offsets the Java layout uses, with {@code _Static_assert}s on every offset and the size, so
 * that compiling the header proves the two agree. A flexible array member is declared as in
 * C99, {@code int64_t data_length; double data[];}, and {@code sizeof} is the fixed part. A
 * field of a generic cypclass typed by a type parameter is a pointer to the parameter's bound
 * ({@code struct CyObject *} for {@code T extends CyObject}): the header has the same shape as a
 * plain cypclass's, one struct whatever the type arguments.
 */
final class CHeaderWriter {

    private final CypclassModel model;

    CHeaderWriter(CypclassModel model) {
        this.model = model;
    }

    /** The C identifier of a Java class: its qualified name with dots as underscores. */
    static String cName(String qualifiedName) {
        return qualifiedName.replace('.', '_');
    }

    /** The include path of a cypclass's header, relative to the generated-sources root. */
    static String includePath(String qualifiedName) {
        int dot = qualifiedName.lastIndexOf('.');
        return (dot < 0 ? "" : qualifiedName.substring(0, dot).replace('.', '/') + "/") + qualifiedName.substring(dot + 1) + ".h";
    }

    List<String> structLines() {
        String name = cName(model.qualifiedName());
        List<String> lines = new ArrayList<>();
        lines.add("typedef struct " + name + " {");
        lines.add(model.baseQualifiedName() == null
            ? "    CyObject ob_base;"
            : "    struct " + cName(model.baseQualifiedName()) + " base;");
        for (FieldModel field : model.fields()) {
            String declarator = field.isReference() ? field.cType() + field.name() : field.cType() + " " + field.name();
            if (field.isFlexible()) {
                lines.add("    int64_t " + field.lengthName() + ";   /* offset " + field.lengthOffset()
                    + ", the element count, written once by the factory */");
                lines.add("    " + declarator + "[];   /* offset " + field.offset() + ", " + field.lengthName() + " elements */");
                continue;
            }
            lines.add("    " + declarator + (field.isArray() ? "[" + field.length() + "]" : "") + ";   /* offset " + field.offset() + " */");
        }
        FieldModel flexible = model.flexible();
        lines.add("} " + name + ";                /* size " + model.size()
            + (flexible == null ? "" : ", plus " + flexible.lengthName() + " * " + flexible.elementSize() + " bytes") + " */");
        return lines;
    }

    private void staticAssertOffset(StringBuilder out, String struct, String field, long offset) {
        out.append("_Static_assert(offsetof(").append(struct).append(", ").append(field).append(") == ")
            .append(offset).append(", \"").append(model.qualifiedName()).append('.').append(field)
            .append(" is at offset ").append(offset).append(" in Java\");\n");
    }

    /** The C prototype of one exported function, as a member of the table. */
    private String member(CypclassModel.ExportModel export, String name) {
        List<String> parameters = new ArrayList<>();
        if (!export.isInit()) {
            parameters.add("struct " + name + " *self");
        }
        for (int i = 0; i < export.parameters().size(); i++) {
            String type = export.parameters().get(i).cType();
            String parameter = ExportRules.cParameterName(export.parameterNames().get(i));
            parameters.add(type.endsWith("*") ? type + parameter : type + " " + parameter);
        }
        if (export.isInit()) {
            parameters.add("struct " + name + " **result");
        } else if (export.result() != null) {
            String type = export.result().cType();
            parameters.add(type + (type.endsWith("*") ? "*result" : " *result"));
        }
        return "int32_t (*" + export.cName() + ")(" + String.join(", ", parameters) + ");";
    }

    /**
     * The table of exported methods, {@code struct X_methods}: the {@code CyMethods} head, then
     * one function pointer per {@code @CExport} method in declaration order, each offset and the
     * size asserted, as the fields' are.
     */
    private void methods(StringBuilder out, String name) {
        String table = name + "_methods";
        out.append("\n/* The methods of ").append(model.qualifiedName()).append(" exported to C (@CExport): each returns CY_OK or\n")
            .append(" * a CY_E* status of cyobject.h (Cy_LastError(table) says why) and stores its result through its\n")
            .append(" * last parameter. C reaches the table as ob_type->tp_methods, or from Java's ")
            .append(model.simpleName()).append(".TYPE.cMethods(). */\n");
        out.append("typedef struct ").append(table).append(" {\n    CyMethods head;\n");
        for (CypclassModel.ExportModel export : model.exports()) {
            out.append("    ").append(member(export, name)).append('\n');
        }
        out.append("} ").append(table).append(";\n\n");
        long offset = 24;
        for (CypclassModel.ExportModel export : model.exports()) {
            out.append("_Static_assert(offsetof(").append(table).append(", ").append(export.cName()).append(") == ")
                .append(offset).append(", \"").append(model.qualifiedName()).append(" exports ").append(export.cName())
                .append(" at offset ").append(offset).append(" in Java\");\n");
            offset += 8;
        }
        out.append("_Static_assert(sizeof(").append(table).append(") == ").append(offset).append(", \"the C table of ")
            .append(model.qualifiedName()).append(" is ").append(offset).append(" bytes in Java\");\n");
    }

    String write() {
        String name = cName(model.qualifiedName());
        String guard = "CYPCLASS_" + name.toUpperCase(java.util.Locale.ROOT) + "_H";
        StringBuilder out = new StringBuilder();
        out.append("/* Generated by the Cypclass annotation processor from ").append(model.qualifiedName())
            .append(". Do not edit. */\n");
        out.append("#ifndef ").append(guard).append('\n').append("#define ").append(guard).append("\n\n");
        out.append("#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <cypclass/cyobject.h>\n");
        if (model.baseQualifiedName() != null) {
            out.append("#include \"").append(includePath(model.baseQualifiedName())).append("\"\n");
        }
        out.append('\n');
        // Each referenced struct declared once; cyobject.h declares struct CyObject (a type parameter's bound).
        java.util.Set<String> tags = new java.util.LinkedHashSet<>(model.fields().stream().filter(FieldModel::isReference)
            .map(FieldModel::cStructName).filter(tag -> !tag.equals("CyObject")).toList());
        for (CypclassModel.ExportModel export : model.exports()) {
            java.util.List<CypclassModel.CType> types = new ArrayList<>(export.parameters());
            if (export.result() != null) {
                types.add(export.result());
            }
            types.stream().filter(t -> t.kind() == CypclassModel.CKind.REFERENCE).map(t -> cName(t.javaType()))
                .filter(tag -> !tag.equals(name)).forEach(tags::add);
        }
        tags.forEach(tag -> out.append("struct ").append(tag).append(";\n"));
        for (String line : structLines()) {
            out.append(line).append('\n');
        }
        out.append('\n');
        for (FieldModel field : model.fields()) {
            if (field.isFlexible()) {
                staticAssertOffset(out, name, field.lengthName(), field.lengthOffset());
            }
            staticAssertOffset(out, name, field.name(), field.offset());
        }
        out.append("_Static_assert(sizeof(").append(name).append(") == ").append(model.size()).append(", \"")
            .append(model.qualifiedName()).append(" is ").append(model.size()).append(" bytes in Java")
            .append(model.flexible() == null ? "" : " before its flexible array member").append("\");\n");
        if (!model.exports().isEmpty()) {
            methods(out, name);
        }
        out.append("\n#endif\n");
        return out.toString();
    }
}
