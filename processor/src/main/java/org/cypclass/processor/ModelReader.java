package org.cypclass.processor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;

/**
 * Reads each {@code @Cypclass} declaration into a {@link CypclassModel}: runs the rules on it
 * ({@link ClassRules}, {@link FieldRules}, {@link MethodRules}), each reporting to the
 * {@link Problems} of the class, then builds the model only if none reported an error: the
 * layout, the factories, the factories to hide, the asynchronous forms ({@link AsyncForms}).
 *
 * <p>A base cypclass is read before its subclass, whose layout continues the base's. Models are
 * kept for the whole compilation, so a valid base read for a subclass is not read again; an
 * invalid one is, and reports its errors again.
 */
final class ModelReader {

    private final ProcessingEnvironment env;
    /** Models made in this compilation, by qualified name, for bases declared in the same round. */
    private final Map<String, CypclassModel> models = new HashMap<>();

    ModelReader(ProcessingEnvironment env) {
        this.env = env;
    }

    /** {@return the model of a cypclass, or null if its declaration breaks a rule (each break reported)} */
    CypclassModel read(TypeElement type) {
        String qualified = type.getQualifiedName().toString();
        CypclassModel known = models.get(qualified);
        if (known != null) {
            return known;
        }
        Problems problems = new Problems(env.getMessager());
        // A class that fails a rule returning false is read no further: the later rules would
        // report consequences of the same mistake, or need the base's model.
        ClassRules rules = new ClassRules(problems, type);
        if (!rules.topLevel()) {
            return null;
        }
        List<String> typeParameters = rules.typeParameters();
        if (typeParameters == null || !rules.notAbstractAndGeneric()) {
            return null;
        }
        rules.noInstanceFields();
        rules.extendsGenerated();
        rules.constructor();
        CypclassModel base = null;
        TypeElement baseElement = Annotations.baseOf(type);
        if (baseElement != null) {
            base = read(baseElement);
            if (!rules.validBase(baseElement, base) || !rules.baseWithoutFlexibleArray(base)) {
                return null;
            }
        }
        FieldRules fields = new FieldRules(problems, type, fieldNames(base));
        List<FieldModel> declared = fields.read(type);
        MethodRules methods = new MethodRules(problems, env.getTypeUtils(), fields);
        methods.read(type);
        List<CypclassModel.ExportModel> exports = new ExportRules(problems, fields).read(type,
            type.getModifiers().contains(Modifier.ABSTRACT));
        if (problems.hasErrors()) {
            return null;
        }
        CypclassModel model = build(type, base, declared, fields, methods, problems, typeParameters, exports);
        models.put(qualified, model);
        return model;
    }

    /** {@return the model of a cypclass that broke no rule: its layout after the base's, its factories, its asynchronous forms} */
    private CypclassModel build(TypeElement type, CypclassModel base, List<FieldModel> declared, FieldRules fields,
                                MethodRules methods, Problems problems, List<String> typeParameters,
                                List<CypclassModel.ExportModel> exports) {
        long start = base == null ? CypclassModel.HEADER_SIZE : base.size();
        List<FieldModel> placed = CypclassModel.layOut(start, declared);
        boolean isAbstract = type.getModifiers().contains(Modifier.ABSTRACT);
        // An abstract cypclass's factories are declared only to refuse the call (SourceWriter).
        List<CypclassModel.FactoryModel> factories = factories(methods.inits(), fields.countParameter());
        // The Async class is static and cannot name the type parameters of a generic cypclass.
        List<CypclassModel.AsyncModel> asyncs = typeParameters.isEmpty()
            ? new AsyncForms(problems, env.getTypeUtils(), env.getElementUtils()).of(type) : List.of();
        return new CypclassModel(packageOf(type), type.getSimpleName().toString(), type.getQualifiedName().toString(),
            base == null ? null : base.qualifiedName(), start, placed, CypclassModel.end(start, placed), methods.inits(),
            methods.dealloc(), asyncs, factories, hidden(base, factories), typeParameters, isAbstract, exports,
            methods.hash(), methods.equalsMethod());
    }

    /** {@return the names of the fields of a base cypclass and of its own bases; none for no base} */
    private Set<String> fieldNames(CypclassModel base) {
        Set<String> names = new HashSet<>();
        for (CypclassModel m = base; m != null; m = m.baseQualifiedName() == null ? null : models.get(m.baseQualifiedName())) {
            m.fields().forEach(f -> names.add(f.name()));
        }
        return names;
    }

    /** {@return the generated factories: one per {@code @Init} method (or a bare one), the element count first if any} */
    private static List<CypclassModel.FactoryModel> factories(List<CypclassModel.InitModel> inits, String count) {
        List<CypclassModel.FactoryModel> factories = new ArrayList<>();
        List<String> countParameters = count == null ? List.of() : List.of("long " + count);
        List<String> countErasures = count == null ? List.of() : List.of("long");
        if (inits.isEmpty()) {
            factories.add(new CypclassModel.FactoryModel(countParameters, String.join(",", countErasures)));
        }
        for (CypclassModel.InitModel init : inits) {
            List<String> parameters = new ArrayList<>(countParameters);
            parameters.addAll(init.parameters());
            List<String> erasures = new ArrayList<>(countErasures);
            erasures.addAll(init.erasures());
            factories.add(new CypclassModel.FactoryModel(parameters, String.join(",", erasures)));
        }
        return factories;
    }

    /**
     * {@return the factories a subclass would inherit from its bases (theirs, and those they hide
     * in turn) without having one of the same erasure} Java inherits static methods, so without
     * a hiding method {@code Circle.create(7)} would compile and return a {@code Shape}.
     */
    private static List<CypclassModel.FactoryModel> hidden(CypclassModel base, List<CypclassModel.FactoryModel> own) {
        List<CypclassModel.FactoryModel> hidden = new ArrayList<>();
        if (base == null) {
            return hidden;
        }
        Set<String> seen = new HashSet<>();
        own.forEach(f -> seen.add(f.erasure()));
        for (List<CypclassModel.FactoryModel> inherited : List.of(base.factories(), base.hidden())) {
            for (CypclassModel.FactoryModel factory : inherited) {
                if (seen.add(factory.erasure())) {
                    hidden.add(factory);
                }
            }
        }
        return hidden;
    }

    private String packageOf(TypeElement type) {
        PackageElement pkg = env.getElementUtils().getPackageOf(type);
        return pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
    }
}
