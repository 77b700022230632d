package org.cypclass.processor;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.PrimitiveType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;

/**
 * The annotation processor behind {@code @Cypclass}: for each annotated class {@code X} it
 * checks the declaration and generates {@code Cy_X} (the layout in C ABI order, the
 * {@code CyType}, static final var handles, accessors, factories, the field dump) and
 * {@code X.h}, the C view of the instance struct, next to the generated sources.
 *
 * <p>Declaration errors are compile errors on the offending element: an unsupported field
 * type, a reference to a type that is not a cypclass, a name clash, a wrong superclass, a
 * missing no-argument constructor, a malformed {@code @Init} or {@code @Dealloc} method, a
 * flexible array member that is not the last field, not primitive or not alone, a
 * cypclass extending one that has a flexible array member, a generic cypclass, and an instance
 * field (its value would live in one Java reference, not in the instance).
 *
 * <p>Java inherits static methods, so a subclass would inherit its bases' factories:
 * {@code Circle.create(7)} would make a {@code Shape}. The generated class hides each such
 * factory with one that is deprecated for removal and throws
 * {@code UnsupportedOperationException}, and {@link InheritedFactoryCheck} makes every call of
 * one a compile error (under javac; elsewhere the removal warning remains).
 *
 * <p>It claims the library's annotations, {@code @Generated} on its own output included, so a
 * build with {@code -Xlint:all -Werror} gets no "no processor claimed" warning for them. It
 * lives in its own module and artifact ({@code cypclass-processor}), which goes on the
 * compiler's processor path only: the runtime module does not read {@code java.compiler}.
 *
 * <p>Thread-safety: javac drives a processor from one thread.
 */
@SupportedAnnotationTypes({"org.cypclass.objects.Cypclass", "org.cypclass.objects.Init", "org.cypclass.objects.Dealloc",
    "org.cypclass.objects.Length", "org.cypclass.objects.generated.Generated"})
public final class CypclassProcessor extends AbstractProcessor {

    private static final String CYPCLASS = "org.cypclass.objects.Cypclass";
    private static final String INIT = "org.cypclass.objects.Init";
    private static final String DEALLOC = "org.cypclass.objects.Dealloc";
    private static final String LENGTH = "org.cypclass.objects.Length";
    private static final String CYOBJECT = "org.cypclass.objects.CyObject";

    /** Names the generated class or CyObject already use: a field may not take them. */
    private static final Set<String> RESERVED = Set.of("close", "isOpen", "newReference", "gcReference", "pointer",
        "cyType", "dump", "dumpFields", "create", "toString", "equals", "hashCode", "getClass", "notify", "notifyAll",
        "wait", "finalize", "clone", "releaseCollected", "TYPE");

    /** Models made in this compilation, for bases declared in the same round. */
    private final Map<String, CypclassModel> models = new HashMap<>();

    /** Creates the processor; javac does this. */
    public CypclassProcessor() {
    }

    @Override
    public synchronized void init(javax.annotation.processing.ProcessingEnvironment env) {
        super.init(env);
        InheritedFactoryCheck.install(env);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        TypeElement cypclass = processingEnv.getElementUtils().getTypeElement(CYPCLASS);
        if (cypclass == null) {
            // The processor is on the processor path, but the library is not on the compile path.
            return false;
        }
        for (Element element : round.getElementsAnnotatedWith(cypclass)) {
            if (element.getKind() != ElementKind.CLASS) {
                error(element, "@Cypclass applies to classes only");
                continue;
            }
            CypclassModel model = model((TypeElement) element);
            if (model != null) {
                write(model, (TypeElement) element);
            }
        }
        return true;
    }

    /** Builds and checks the model of a cypclass, reporting every error found; null if any. */
    private CypclassModel model(TypeElement type) {
        String qualified = type.getQualifiedName().toString();
        CypclassModel known = models.get(qualified);
        if (known != null) {
            return known;
        }
        boolean ok = true;
        if (type.getNestingKind() != NestingKind.TOP_LEVEL) {
            error(type, "a @Cypclass must be a top-level class");
            return null;
        }
        if (type.getModifiers().contains(Modifier.ABSTRACT)) {
            error(type, "a @Cypclass may not be abstract: its references are made by the generated factories");
            ok = false;
        }
        if (!type.getTypeParameters().isEmpty()) {
            error(type, "a @Cypclass cannot be generic (" + type.getSimpleName() + "<" + type.getTypeParameters().stream()
                .map(Object::toString).collect(java.util.stream.Collectors.joining(", ")) + ">): the generated class, its"
                + " CyType and its factories are per class, not per type argument; declare one cypclass per element type,"
                + " or hold references to a common base cypclass");
            return null;
        }
        for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            if (!field.getModifiers().contains(Modifier.STATIC)) {
                error(field, "a @Cypclass may not have the instance field " + field.getSimpleName() + ": a Java field lives in"
                    + " one reference, not in the off-heap instance, so its value is lost between references; declare it"
                    + " in the nested Fields interface, as " + field.asType() + " " + field.getSimpleName() + "();"
                    + " (static fields are allowed)");
                ok = false;
            }
        }
        String generated = "Cy_" + type.getSimpleName();
        String superName = type.getSuperclass().toString();
        if (!superName.equals(generated) && !superName.endsWith("." + generated)) {
            error(type, "@Cypclass " + type.getSimpleName() + " must extend the generated class " + generated
                + " (found: extends " + superName + ")");
            ok = false;
        }
        ok &= checkConstructor(type);

        TypeElement base = baseOf(type);
        CypclassModel baseModel = null;
        if (base != null) {
            baseModel = model(base);
            if (baseModel == null) {
                error(type, "its base " + base.getQualifiedName() + " is not a valid @Cypclass");
                return null;
            }
        }
        if (baseModel != null && baseModel.flexible() != null) {
            error(type, "@Cypclass " + type.getSimpleName() + " cannot extend " + baseModel.qualifiedName() + ": it ends with"
                + " the flexible array member " + baseModel.flexible().name() + "[], and C forbids a struct with a flexible"
                + " array member inside another struct");
            return null;
        }
        Set<String> taken = new HashSet<>();
        for (CypclassModel m = baseModel; m != null; m = m.baseQualifiedName() == null ? null : models.get(m.baseQualifiedName())) {
            m.fields().forEach(f -> taken.add(f.name()));
        }
        /* The accessor and C names a flexible array member adds, each mapped to the member. */
        Map<String, String> derived = new HashMap<>();
        /* The generated factories' first parameter, the element count of the flexible array member. */
        String countParameter = null;
        List<FieldModel> declared = new ArrayList<>();
        TypeElement fieldsInterface = ElementFilter.typesIn(type.getEnclosedElements()).stream()
            .filter(t -> t.getSimpleName().contentEquals("Fields")).findFirst().orElse(null);
        if (fieldsInterface != null) {
            if (fieldsInterface.getKind() != ElementKind.INTERFACE) {
                error(fieldsInterface, "Fields must be an interface whose methods name the fields");
                ok = false;
            } else {
                ExecutableElement flexible = null;
                boolean flexibleNotLast = false;
                for (ExecutableElement method : ElementFilter.methodsIn(fieldsInterface.getEnclosedElements())) {
                    FieldModel field = field(method, type, taken);
                    if (derived.containsKey(method.getSimpleName().toString())) {
                        error(method, "the field " + method.getSimpleName() + " clashes with the accessors of the flexible array"
                            + " member " + derived.get(method.getSimpleName().toString()) + "[]; rename one of them");
                        ok = false;
                    }
                    if (flexible != null) {
                        if (!flexibleNotLast) {
                            flexibleNotLast = true;
                            error(flexible, "the flexible array member " + flexible.getSimpleName() + "[] must be the last field"
                                + " (as in C); move it to the end, or give it a fixed size with @Length");
                        }
                        if (field != null && field.isFlexible()) {
                            error(method, "a cypclass has at most one flexible array member, and " + flexible.getSimpleName()
                                + "[] is one already; give the other a fixed size with @Length");
                        }
                        ok = false;
                    }
                    if (field == null) {
                        ok = false;
                        continue;
                    }
                    declared.add(field);
                    taken.add(field.name());
                    if (field.isFlexible()) {
                        flexible = method;
                        countParameter = field.name() + "Length";
                        for (String suffix : FieldModel.FLEXIBLE_SUFFIXES) {
                            derived.put(field.name() + suffix, field.name());
                        }
                        derived.put(field.lengthName(), field.name());
                        for (String name : derived.keySet()) {
                            if (taken.contains(name)) {
                                error(method, "the flexible array member " + field.name() + "[] needs the name " + name
                                    + " for its accessors, but a field has it; rename one of them");
                                ok = false;
                            }
                        }
                    }
                }
            }
        }
        List<CypclassModel.InitModel> inits = new ArrayList<>();
        String dealloc = null;
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            if (has(method, INIT)) {
                for (VariableElement parameter : method.getParameters()) {
                    if (countParameter != null && parameter.getSimpleName().contentEquals(countParameter)) {
                        error(parameter, "the parameter " + parameter.getSimpleName() + " clashes with the element count that"
                            + " the generated factory takes first; rename it");
                        ok = false;
                    }
                }
                CypclassModel.InitModel init = init(method);
                ok &= init != null;
                if (init != null) {
                    inits.add(init);
                }
            }
            if (has(method, DEALLOC)) {
                if (dealloc != null) {
                    error(method, "a @Cypclass has at most one @Dealloc method");
                    ok = false;
                } else if (!isHook(method) || !method.getParameters().isEmpty()) {
                    error(method, "a @Dealloc method takes no argument, returns void, and is neither private nor static");
                    ok = false;
                } else {
                    dealloc = method.getSimpleName().toString();
                }
            }
            String methodName = method.getSimpleName().toString();
            if (taken.contains(methodName) || derived.containsKey(methodName)) {
                error(method, "method " + methodName + " clashes with the accessors of the field "
                    + derived.getOrDefault(methodName, methodName) + "; rename one of them");
                ok = false;
            }
        }
        if (!ok) {
            return null;
        }
        long start = baseModel == null ? CypclassModel.HEADER_SIZE : baseModel.size();
        List<FieldModel> placed = CypclassModel.layOut(start, declared);
        List<CypclassModel.FactoryModel> factories = factories(inits, countParameter);
        CypclassModel model = new CypclassModel(packageOf(type), type.getSimpleName().toString(), qualified,
            baseModel == null ? null : baseModel.qualifiedName(), start, placed, CypclassModel.end(start, placed), inits, dealloc,
            asyncs(type), factories, hidden(baseModel, factories));
        models.put(qualified, model);
        return model;
    }

    /** The generated factories: one per {@code @Init} method (or a bare one), the element count first if any. */
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
     * The factories a subclass would inherit from its bases (theirs, and those they hide in
     * turn) without having one of the same erasure: Java inherits static methods, so without a
     * hiding method {@code Circle.create(7)} would compile and return a {@code Shape}.
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

    private FieldModel field(ExecutableElement method, TypeElement owner, Set<String> taken) {
        String name = method.getSimpleName().toString();
        if (!method.getParameters().isEmpty() || method.getModifiers().contains(Modifier.STATIC)
                || method.getModifiers().contains(Modifier.DEFAULT)) {
            error(method, "a field is declared as an abstract method without parameters, such as int " + name + "();");
            return null;
        }
        if (RESERVED.contains(name) || name.contains("$")) {
            error(method, "the field name " + name + " is reserved by the generated class; choose another");
            return null;
        }
        if (taken.contains(name)) {
            error(method, "the field " + name + " is declared twice (here and in this class or a base cypclass)");
            return null;
        }
        TypeMirror type = method.getReturnType();
        Integer length = lengthOf(method);
        if (type.getKind() == TypeKind.ARRAY) {
            TypeMirror component = ((ArrayType) type).getComponentType();
            String referenceType = null;
            if (component.getKind() == TypeKind.DECLARED) {
                referenceType = cypclassName(component, owner);
                if (referenceType == null) {
                    error(method, "unsupported field type " + type + ": " + component + " is not a @Cypclass; arrays hold"
                        + " primitives (boolean, byte, short, char, int, long, float, double) or references to cypclasses");
                    return null;
                }
            } else if (!component.getKind().isPrimitive()) {
                error(method, "unsupported field type " + type + ": arrays hold primitives (boolean, byte, short, char, int,"
                    + " long, float, double) or references to cypclasses");
                return null;
            }
            if (length == null) {
                return flexibleField(method, name, type, component, referenceType);
            }
            if (length < 1) {
                error(method, "the length of the array field " + name + " must be at least 1, not " + length);
                return null;
            }
            return new FieldModel(name, referenceType == null ? component.getKind() : TypeKind.DECLARED, length,
                referenceType, 0, false);
        }
        if (length != null) {
            error(method, "@Length applies to array fields only");
            return null;
        }
        if (type.getKind().isPrimitive()) {
            return new FieldModel(name, type.getKind(), 0, null, 0, false);
        }
        if (type.getKind() == TypeKind.DECLARED) {
            String target = cypclassName(type, owner);
            if (target != null) {
                return new FieldModel(name, TypeKind.DECLARED, 0, target, 0, false);
            }
            error(method, "the field " + name + " has type " + type + ", which is not a @Cypclass: a cypclass field holds"
                + " primitives, fixed-size primitive arrays or references to cypclasses");
            return null;
        }
        error(method, "unsupported field type " + type + " for field " + name);
        return null;
    }

    /** The qualified name of a declared type if it is a cypclass (or the one being declared), else null. */
    private static String cypclassName(TypeMirror type, TypeElement owner) {
        DeclaredType declared = (DeclaredType) type;
        TypeElement target = (TypeElement) declared.asElement();
        if (!target.equals(owner) && annotation(target, CYPCLASS) == null) {
            return null;
        }
        // A generic cypclass (a container: RefList<Node>) keeps its type arguments, qualified.
        return declared.getTypeArguments().isEmpty() ? target.getQualifiedName().toString() : declared.toString();
    }

    /** An array field without {@code @Length}: the flexible array member, if its elements allow one. */
    private FieldModel flexibleField(ExecutableElement method, String name, TypeMirror type, TypeMirror component,
                                     String referenceType) {
        if (referenceType != null) {
            error(method, "the array field " + name + " needs its length: @Length(2) " + type + " " + name + "(); an array"
                + " without @Length is a flexible array member, which holds primitives only");
            return null;
        }
        if (component.getKind() == TypeKind.BOOLEAN) {
            // MemorySegment has no bulk copy for boolean[], which the generated accessors offer.
            error(method, "a flexible array member cannot hold boolean: declare byte[] " + name + "() (C's int8_t), or give"
                + " it a fixed size with @Length");
            return null;
        }
        return new FieldModel(name, component.getKind(), 0, null, 0, true);
    }

    /**
     * The asynchronous forms of the public instance methods declared in {@code type}: those
     * whose every parameter can be sent to another thread (see {@link #sendable}) and that throw
     * no checked exception. A cypclass result is exported at the end of the message
     * ({@code ActorMessages.export}: frozen, locked or active only). The others get no
     * asynchronous form, and a note says why.
     */
    private List<CypclassModel.AsyncModel> asyncs(TypeElement type) {
        List<CypclassModel.AsyncModel> asyncs = new ArrayList<>();
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            Set<Modifier> modifiers = method.getModifiers();
            if (!modifiers.contains(Modifier.PUBLIC) || modifiers.contains(Modifier.STATIC) || has(method, INIT)
                    || has(method, DEALLOC) || !method.getTypeParameters().isEmpty()) {
                continue;
            }
            String why = null;
            List<String> parameters = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<String> checked = new ArrayList<>();
            for (VariableElement parameter : method.getParameters()) {
                TypeMirror parameterType = parameter.asType();
                if (!sendable(parameterType, 0)) {
                    why = "its parameter " + parameter.getSimpleName() + " (" + parameterType + ") cannot be sent to another"
                        + " thread (send primitives, immutable values, or Isolated, Frozen, Locked or Active references)";
                    break;
                }
                if (isCypclassType(parameterType)) {
                    checked.add(parameter.getSimpleName().toString());
                }
                parameters.add(parameterType + " " + parameter.getSimpleName());
                names.add(parameter.getSimpleName().toString());
            }
            TypeMirror result = method.getReturnType();
            if (why == null && method.getThrownTypes().stream().anyMatch(this::isChecked)) {
                why = "it declares a checked exception";
            }
            if (why != null) {
                processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE, "no asynchronous form for "
                    + method.getSimpleName() + ": " + why, method);
                continue;
            }
            boolean isVoid = result.getKind() == TypeKind.VOID;
            String boxed = isVoid ? "java.lang.Void" : result.getKind().isPrimitive()
                ? processingEnv.getTypeUtils().boxedClass((PrimitiveType) result).getQualifiedName().toString()
                : result.toString();
            asyncs.add(new CypclassModel.AsyncModel(method.getSimpleName().toString(), boxed, isVoid, isCypclassType(result),
                parameters, names, checked));
        }
        return asyncs;
    }

    /** Types whose values may cross to an actor's thread: immutable, or capabilities that allow it. */
    private boolean sendable(TypeMirror type, int depth) {
        if (type.getKind().isPrimitive()) {
            return true;
        }
        if (type.getKind() != TypeKind.DECLARED || depth > 3) {
            return false;
        }
        TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
        String name = element.getQualifiedName().toString();
        if (SENDABLE.contains(name) || name.startsWith("java.time.") || element.getKind() == ElementKind.ENUM
                || isCypclassType(type)) {
            return true;
        }
        if (element.getKind() == ElementKind.RECORD) {
            for (RecordComponentElement component : element.getRecordComponents()) {
                if (!sendable(component.asType(), depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** Immutable JDK values and the library's shareable capabilities. */
    private static final Set<String> SENDABLE = Set.of("java.lang.String", "java.lang.Boolean", "java.lang.Byte",
        "java.lang.Short", "java.lang.Character", "java.lang.Integer", "java.lang.Long", "java.lang.Float",
        "java.lang.Double", "java.math.BigInteger", "java.math.BigDecimal", "java.util.UUID",
        "org.cypclass.objects.capabilities.Isolated", "org.cypclass.objects.capabilities.Frozen",
        "org.cypclass.objects.capabilities.Locked", "org.cypclass.objects.actors.Active");

    /**
     * Whether a type is a cypclass: annotated {@code @Cypclass}, as the field check decides it.
     * Never a subtype test: asking javac for the supertypes of a class whose generated superclass
     * does not exist yet would fix its superclass as erroneous for the rest of the compilation.
     */
    private boolean isCypclassType(TypeMirror type) {
        return type.getKind() == TypeKind.DECLARED
            && annotation((TypeElement) ((DeclaredType) type).asElement(), CYPCLASS) != null;
    }

    private boolean isChecked(TypeMirror thrown) {
        javax.lang.model.util.Types types = processingEnv.getTypeUtils();
        javax.lang.model.util.Elements elements = processingEnv.getElementUtils();
        return !types.isSubtype(thrown, elements.getTypeElement("java.lang.RuntimeException").asType())
            && !types.isSubtype(thrown, elements.getTypeElement("java.lang.Error").asType());
    }

    private CypclassModel.InitModel init(ExecutableElement method) {
        if (!isHook(method)) {
            error(method, "an @Init method returns void and is neither private nor static");
            return null;
        }
        List<String> parameters = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> erasures = new ArrayList<>();
        for (VariableElement parameter : method.getParameters()) {
            parameters.add(parameter.asType() + " " + parameter.getSimpleName());
            names.add(parameter.getSimpleName().toString());
            erasures.add(processingEnv.getTypeUtils().erasure(parameter.asType()).toString());
        }
        List<String> thrown = method.getThrownTypes().stream().map(TypeMirror::toString).toList();
        return new CypclassModel.InitModel(method.getSimpleName().toString(), parameters, names, erasures, thrown);
    }

    private boolean checkConstructor(TypeElement type) {
        List<ExecutableElement> constructors = ElementFilter.constructorsIn(type.getEnclosedElements());
        boolean usable = constructors.stream().anyMatch(c -> c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE));
        if (!usable) {
            error(type, "a @Cypclass needs a no-argument constructor that is not private (the default one will do);"
                + " put initialization in an @Init method");
        }
        return usable;
    }

    private static boolean isHook(ExecutableElement method) {
        return method.getReturnType().getKind() == TypeKind.VOID && !method.getModifiers().contains(Modifier.PRIVATE)
            && !method.getModifiers().contains(Modifier.STATIC);
    }

    private TypeElement baseOf(TypeElement type) {
        AnnotationMirror cypclass = annotation(type, CYPCLASS);
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry : cypclass.getElementValues().entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals("base") && entry.getValue().getValue() instanceof DeclaredType declared) {
                TypeElement base = (TypeElement) declared.asElement();
                return base.getQualifiedName().contentEquals(CYOBJECT) ? null : base;
            }
        }
        return null;
    }

    private Integer lengthOf(ExecutableElement method) {
        AnnotationMirror length = annotation(method, LENGTH);
        if (length == null) {
            return null;
        }
        for (AnnotationValue value : length.getElementValues().values()) {
            return (Integer) value.getValue();
        }
        return null;
    }

    private static boolean has(Element element, String annotation) {
        return annotation(element, annotation) != null;
    }

    private static AnnotationMirror annotation(Element element, String name) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().contentEquals(name)) {
                return mirror;
            }
        }
        return null;
    }

    private String packageOf(TypeElement type) {
        PackageElement pkg = processingEnv.getElementUtils().getPackageOf(type);
        return pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
    }

    private void write(CypclassModel model, TypeElement type) {
        String prefix = model.packageName().isEmpty() ? "" : model.packageName() + ".";
        try {
            JavaFileObject source = processingEnv.getFiler().createSourceFile(prefix + model.generatedName(), type);
            try (Writer out = source.openWriter()) {
                out.write(new SourceWriter(model).write());
            }
            FileObject header = processingEnv.getFiler().createResource(StandardLocation.SOURCE_OUTPUT,
                model.packageName(), model.simpleName() + ".h", type);
            try (Writer out = header.openWriter()) {
                out.write(new CHeaderWriter(model).write());
            }
        } catch (IOException e) {
            error(type, "cannot write the generated files of " + model.qualifiedName() + ": " + e.getMessage());
        }
    }

    private void error(Element element, String message) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, message, element);
    }
}
