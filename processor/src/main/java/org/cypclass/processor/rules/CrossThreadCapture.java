package org.cypclass.processor.rules;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;

/**
 * {@code cypclass:cross-thread-capture}: a lambda, method reference or anonymous class handed to
 * an API that runs it on another thread may not capture a visibly thread-local cypclass
 * reference: used there, it throws {@code WrongThreadException}. The APIs: {@code Executor} and
 * its subtypes ({@code execute}, {@code submit}, {@code invokeAll}, {@code invokeAny},
 * {@code schedule*}; {@code ForkJoinPool} among them, with its {@code invoke}), {@code Thread} (its constructors,
 * {@code startVirtualThread}, {@code Thread.Builder.start}/{@code unstarted}),
 * {@code ThreadFactory.newThread}, the {@code *Async} methods of {@code CompletableFuture},
 * {@code StructuredTaskScope.fork} and the actor API ({@code Active.tell}, {@code Active.ask}).
 * Frozen, locked and active holders are not cypclass references and stay capturable.
 */
final class CrossThreadCapture {

    static final String RULE = "cross-thread-capture";

    private static final Set<String> EXECUTOR_METHODS = Set.of("execute", "submit", "invokeAll", "invokeAny", "schedule",
        "scheduleAtFixedRate", "scheduleWithFixedDelay");

    private final Rules rules;
    private final ThreadLocality locality;

    CrossThreadCapture(Rules rules, ThreadLocality locality) {
        this.rules = rules;
        this.locality = locality;
    }

    void visitCall(TreePath call) {
        ExecutableElement m = rules.method(call);
        String api = m == null ? null : elsewhere(m);
        if (api == null) {
            return;
        }
        List<? extends ExpressionTree> arguments = call.getLeaf() instanceof MethodInvocationTree invocation
            ? invocation.getArguments() : ((NewClassTree) call.getLeaf()).getArguments();
        for (ExpressionTree argument : arguments) {
            check(new TreePath(call, argument), api);
        }
    }

    /** {@return the API's name for a message if {@code m} runs what it is given on another thread, else null} */
    private String elsewhere(ExecutableElement m) {
        if (!(m.getEnclosingElement() instanceof TypeElement owner)) {
            return null;
        }
        String name = m.getSimpleName().toString();
        String ownerName = owner.getQualifiedName().toString();
        String api = owner.getSimpleName() + "." + name;
        if (m.getKind() == ElementKind.CONSTRUCTOR) {
            return rules.isSubtype(owner.asType(), "java.lang.Thread") ? "new " + owner.getSimpleName() : null;
        }
        if (EXECUTOR_METHODS.contains(name) && rules.isSubtype(owner.asType(), "java.util.concurrent.Executor")) {
            return api;
        }
        if (name.equals("invoke") && rules.isSubtype(owner.asType(), "java.util.concurrent.ForkJoinPool")) {
            return api;
        }
        return switch (ownerName) {
            case "java.lang.Thread" -> name.equals("startVirtualThread") ? api : null;
            case "java.lang.Thread.Builder", "java.lang.Thread.Builder.OfVirtual", "java.lang.Thread.Builder.OfPlatform" ->
                name.equals("start") || name.equals("unstarted") ? "Thread.Builder." + name : null;
            case "java.util.concurrent.ThreadFactory" -> name.equals("newThread") ? api : null;
            case "java.util.concurrent.CompletableFuture" -> name.endsWith("Async") ? api : null;
            case "java.util.concurrent.StructuredTaskScope" -> name.equals("fork") ? api : null;
            case Rules.ACTIVE -> name.equals("tell") || name.equals("ask") ? api : null;
            default -> null;
        };
    }

    private void check(TreePath argument, String api) {
        TreePath p = Rules.strip(argument);
        if (p.getLeaf() instanceof MemberReferenceTree reference) {
            TreePath receiver = new TreePath(p, reference.getQualifierExpression());
            if (locality.isThreadLocal(receiver)) {
                report(receiver, Rules.text(reference.getQualifierExpression()), "the method reference " + reference, api,
                    rules.trees.getElement(receiver));
            }
            return;
        }
        String what;
        if (p.getLeaf() instanceof LambdaExpressionTree) {
            what = "the lambda";
        } else if (p.getLeaf() instanceof NewClassTree created && created.getClassBody() != null) {
            what = "the anonymous class";
        } else {
            return;
        }
        Set<Element> declaredInside = new HashSet<>();
        Set<Element> reported = new HashSet<>();
        new TreePathScanner<Void, Void>() {
            @Override
            public Void visitVariable(VariableTree node, Void unused) {
                declaredInside.add(rules.trees.getElement(getCurrentPath()));
                return super.visitVariable(node, unused);
            }

            @Override
            public Void visitIdentifier(IdentifierTree node, Void unused) {
                Element v = rules.trees.getElement(getCurrentPath());
                if (v != null && Rules.LOCALS.contains(v.getKind()) && !declaredInside.contains(v)
                        && locality.isThreadLocal(v) && reported.add(v)) {
                    report(getCurrentPath(), node.getName().toString(), what, api, v);
                }
                return null;
            }
        }.scan(p, null);
    }

    private void report(TreePath at, String variable, String what, String api, Element element) {
        rules.report(RULE, at, "'" + variable + "' is a thread-local reference of this thread, captured by " + what
            + " passed to " + api + ", which runs it on another thread, where any use of it throws WrongThreadException;"
            + " hand the graph over with Isolated.consume(" + variable + ") and adopt() it there, or share it as"
            + " Frozen, Locked or Active (their holders may be captured)", element);
    }
}
