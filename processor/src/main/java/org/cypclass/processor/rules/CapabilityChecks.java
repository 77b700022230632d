package org.cypclass.processor.rules;

import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.TypeElement;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.TryTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;

/**
 * The capability rules as compile errors: the compile-time half of Cython+'s capability and
 * {@code with nogil:} errors, run by javac wherever the cypclass processor runs. Once javac has
 * attributed a class, this listener walks it once and hands each call, try statement and
 * method body to the rules, one class each:
 * <ul>
 *   <li>{@link UseAfterRelease}: {@code cypclass:use-after-consume}, {@code cypclass:use-after-close};</li>
 *   <li>{@link ThreadLocalToShared}: {@code cypclass:thread-local-to-shared};</li>
 *   <li>{@link CrossThreadCapture}: {@code cypclass:cross-thread-capture};</li>
 *   <li>{@link ReadOnlyWrite}: {@code cypclass:read-only-write};</li>
 *   <li>{@link NogilRegionBody}: {@code cypclass:nogil}.</li>
 * </ul>
 * Each reports only what it sees for certain, so a correct program gets no error; what it
 * cannot see is left to the run-time checks. {@code @SuppressWarnings("cypclass:<rule>")} on a
 * local variable, method or class around a report silences that rule there (write the reason
 * beside it). Under another compiler, or with the library absent from the compile path, it
 * does nothing.
 */
public final class CapabilityChecks implements TaskListener {

    private final JavacTask task;
    private final Trees trees;

    private CapabilityChecks(JavacTask task, Trees trees) {
        this.task = task;
        this.trees = trees;
    }

    /**
     * Registers the rules on javac's task, if the processor runs in javac.
     *
     * @param env the processor's environment
     */
    public static void install(ProcessingEnvironment env) {
        try {
            JavacTask task = JavacTask.instance(env);
            task.addTaskListener(new CapabilityChecks(task, Trees.instance(env)));
        } catch (IllegalArgumentException | LinkageError notJavac) {
            // Not javac's own processing environment: the run-time checks remain.
        }
    }

    @Override
    public void finished(TaskEvent event) {
        if (event.getKind() != TaskEvent.Kind.ANALYZE || event.getTypeElement() == null) {
            return;
        }
        TypeElement cyObject = task.getElements().getTypeElement(Rules.CYOBJECT);
        TreePath type = trees.getPath(event.getTypeElement());
        if (cyObject == null || type == null || event.getTypeElement().getSimpleName().toString().startsWith("Cy_")
                && event.getTypeElement().getAnnotationMirrors().stream().anyMatch(a -> a.getAnnotationType().toString().equals(Rules.GENERATED))) {
            return;
        }
        try {
            check(new Rules(trees, task.getTypes(), task.getElements(), event.getCompilationUnit(), cyObject), type);
        } catch (RuntimeException bug) {
            // A rule that trips over a tree it did not expect must not break the user's build:
            // the run-time checks remain. Say so, as a note, so that it gets reported.
            trees.printMessage(javax.tools.Diagnostic.Kind.NOTE, "the cypclass capability checks skipped "
                + event.getTypeElement() + " after an internal error (" + bug + "); the run-time checks still apply",
                type.getLeaf(), event.getCompilationUnit());
        }
    }

    private static void check(Rules rules, TreePath type) {
        Definitions definitions = new Definitions(rules, type);
        ThreadLocality locality = new ThreadLocality(rules, definitions);
        ThreadLocalToShared toShared = new ThreadLocalToShared(rules, locality);
        CrossThreadCapture capture = new CrossThreadCapture(rules, locality);
        ReadOnlyWrite readOnly = new ReadOnlyWrite(rules, definitions);
        NogilRegionBody nogil = new NogilRegionBody(rules);
        UseAfterRelease released = new UseAfterRelease(rules, locality);
        new TreePathScanner<Void, Void>() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
                toShared.visitCall(getCurrentPath());
                capture.visitCall(getCurrentPath());
                readOnly.visitCall(getCurrentPath());
                return super.visitMethodInvocation(node, unused);
            }

            @Override
            public Void visitNewClass(NewClassTree node, Void unused) {
                capture.visitCall(getCurrentPath());
                return super.visitNewClass(node, unused);
            }

            @Override
            public Void visitTry(TryTree node, Void unused) {
                nogil.visitTry(getCurrentPath());
                return super.visitTry(node, unused);
            }

            @Override
            public Void visitMethod(MethodTree node, Void unused) {
                if (node.getBody() != null) {
                    released.check(new TreePath(getCurrentPath(), node.getBody()));
                }
                return super.visitMethod(node, unused);
            }

            @Override
            public Void visitBlock(BlockTree node, Void unused) {
                if (getCurrentPath().getParentPath().getLeaf() instanceof ClassTree) {
                    released.check(getCurrentPath());
                }
                return super.visitBlock(node, unused);
            }
        }.scan(type, null);
    }
}
