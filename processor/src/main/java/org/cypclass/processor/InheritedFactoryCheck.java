package org.cypclass.processor;

import java.util.Set;

import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.tools.Diagnostic;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;

/**
 * Makes a call to a base factory through a subclass ({@code Circle.create(7)}, which Java
 * resolves to the factory {@code Shape} declares, since static methods are inherited) a compile
 * error, as is a call of the factory of an abstract cypclass ({@code Shape.create()}, declared
 * only to be refused). The generated {@code Cy_Circle} hides such a factory with one that is deprecated for
 * removal and throws; once javac has attributed each class, this check reports every call of
 * (or method reference to) such a hiding factory as an error on the call.
 *
 * <p>It runs under javac only (it registers a {@link TaskListener} on the {@link JavacTask}).
 * Elsewhere (another compiler, or a build tool wrapping the processing environment) it does
 * nothing, and the deprecation warning and the exception at run time remain.
 */
final class InheritedFactoryCheck implements TaskListener {

    private final Trees trees;
    private final Elements elements;

    private InheritedFactoryCheck(Trees trees, Elements elements) {
        this.trees = trees;
        this.elements = elements;
    }

    /** Registers the check on javac's task, if the processor runs in javac. */
    static void install(ProcessingEnvironment env) {
        try {
            JavacTask.instance(env).addTaskListener(new InheritedFactoryCheck(Trees.instance(env), env.getElementUtils()));
        } catch (IllegalArgumentException | LinkageError notJavac) {
            // Not javac's own processing environment: the deprecation warning has to do.
        }
    }

    @Override
    public void finished(TaskEvent event) {
        if (event.getKind() != TaskEvent.Kind.ANALYZE || event.getTypeElement() == null) {
            return;
        }
        TreePath path = trees.getPath(event.getTypeElement());
        if (path == null) {
            return;
        }
        CompilationUnitTree unit = event.getCompilationUnit();
        new TreePathScanner<Void, Void>() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
                check(node, trees.getElement(new TreePath(getCurrentPath(), node.getMethodSelect())), unit);
                return super.visitMethodInvocation(node, unused);
            }

            @Override
            public Void visitMemberReference(MemberReferenceTree node, Void unused) {
                check(node, trees.getElement(getCurrentPath()), unit);
                return super.visitMemberReference(node, unused);
            }
        }.scan(path, null);
    }

    private void check(Tree node, Element method, CompilationUnitTree unit) {
        if (method == null || method.getKind() != ElementKind.METHOD || !method.getSimpleName().contentEquals("create")
                || !method.getModifiers().containsAll(Set.of(Modifier.PUBLIC, Modifier.STATIC))
                || !(method.getEnclosingElement() instanceof TypeElement generated) || !isGenerated(generated)
                || !Annotations.has(method, "java.lang.Deprecated")) {
            return;
        }
        String self = generated.getSimpleName().toString().substring("Cy_".length());
        String qualified = generated.getQualifiedName().toString();
        TypeElement user = elements.getTypeElement(qualified.substring(0, qualified.length() - generated.getSimpleName().length())
            + self);
        if (user != null && user.getModifiers().contains(Modifier.ABSTRACT)) {
            trees.printMessage(Diagnostic.Kind.ERROR, self + " is an abstract cypclass: it has no factory, and "
                + self + "." + method + " cannot create one; create an instance of a concrete subclass", node, unit);
            return;
        }
        trees.printMessage(Diagnostic.Kind.ERROR, self + "." + method + " is not a factory of " + self
            + ": Java inherits static methods, so it would be the factory of a base cypclass and make an instance of the base,"
            + " not a " + self + "; declare an @Init method with these parameters in " + self
            + ", or call the factory on the base class", node, unit);
    }

    private static boolean isGenerated(TypeElement type) {
        return type.getSimpleName().toString().startsWith("Cy_") && Annotations.has(type, Annotations.GENERATED);
    }
}
