package org.cypclass.tests.fuzz;

import java.lang.reflect.Executable;
import java.util.Map;

/**
 * The calls that the javadoc lets return normally on a closed, spent or foreign (another
 * thread's) receiver; {@link MisuseFuzzer} takes any other normal return on such a receiver as
 * a failure. Each entry says where the normal return is documented. Also the classes of which
 * the fuzzer cannot make an instance, with the reason.
 */
final class DocumentedNormalReturns {

    /** Method name, for any class → why a normal return is right. */
    private static final Map<String, String> ANY_CLASS = Map.ofEntries(
        // Asking is the way to find out, on any receiver.
        Map.entry("isOpen", "isOpen of CyObject, LineBuffer, CFile, NativeFile, Active, ...: false once closed"),
        Map.entry("isClosed", "ActorSystem.isClosed: true once closed"),
        // AutoCloseable's advice, followed by every close() of the library.
        Map.entry("close", "every close(): closing a closed resource does nothing"),
        Map.entry("toString", "toString names a closed or dead receiver as such"),
        // HashDict.asMap, PrimitiveSet.asSet, the lists' asList: "reads and writes go to this
        // container, through this reference (so it must stay open)": each use of the view
        // checks the reference, so a view of a closed or foreign container refuses every use.
        Map.entry("asMap", "HashDict.asMap: the view goes through the reference on each use"),
        Map.entry("asSet", "PrimitiveSet.asSet: the view goes through the reference on each use"),
        Map.entry("asList", "LongList/IntList/DoubleList/RefList.asList: the view goes through the reference on each use"));

    /** "SimpleClassName.method" → why a normal return is right. */
    private static final Map<String, String> ONE_CLASS = Map.ofEntries(
        Map.entry("CFile.path", "CFile.path: the path it was opened with, also once closed"),
        Map.entry("CFile.mode", "CFile.mode: the mode it was opened with, also once closed"),
        Map.entry("NativeFile.path", "NativeFile.path: the path it was opened with, also once closed"),
        Map.entry("CyObject.cyType", "CyObject.cyType: the descriptor of the reference's class (no @throws)"),
        Map.entry("CyObject.isBorrowed", "CyObject.isBorrowed: the kind of the reference, fixed when it was made"),
        Map.entry("CyObject.dump", "CyObject.dump: a debugging description, as toString"),
        Map.entry("Isolated.isPending", "Isolated.isPending: false once spent or closed"),
        Map.entry("Frozen.get", "Frozen.get: once closed, the view is closed too and refuses every use"),
        Map.entry("KdTree.root", "KdTree.root: once closed, the root reference is closed too and refuses every use"),
        Map.entry("KdTree.size", "KdTree.size: fixed at build, also readable once closed"),
        Map.entry("KdTree.dims", "KdTree.dims: fixed at build, also readable once closed"),
        Map.entry("KdTree.leafSize", "KdTree.leafSize: fixed at build, also readable once closed"),
        Map.entry("KdTree.levels", "KdTree.levels: fixed at build, also readable once closed"),
        Map.entry("ActorSystem.workers", "ActorSystem.workers: fixed at start"),
        Map.entry("Active.system", "Active.system: the system the actor was activated on, also once closed"),
        Map.entry("ActorSystem.failures", "ActorSystem.failures: a counter, readable once closed"),
        // The example cypclasses' own methods that read no field: a cypclass method is plain
        // Java, and the checks are on each field access (docs/INTERNALS.md, "References").
        Map.entry("Shape.area", "examples.Shape.area returns 0 without reading a field"),
        Map.entry("Tally.echo", "examples.Tally.echo returns its argument without reading a field"));

    /** Classes of which no instance can be made in the fuzzer's JVM → why. */
    private static final Map<Class<?>, String> UNREACHABLE = Map.of(
        org.cypclass.memory.NogilViolationException.class,
        "thrown only by a NogilRegion when -Dcypclass.nogil.check=true (NogilRegionTest covers it)",
        // Made by CyTypes.reference/referenceArray/flexibleArray from a built type and the name
        // of one of its fields; generated classes keep theirs private. CyTypes's methods are
        // fuzzed; the field handles themselves only through the generated accessors.
        org.cypclass.objects.generated.RefField.class, "needs a field name of a built CyType",
        org.cypclass.objects.generated.RefArrayField.class, "needs a field name of a built CyType",
        // Made once per cypclass by CExports.register, from the generated class's own lookup and
        // the names of its C targets; generated classes keep it private, since its methods take
        // the raw addresses C passes. register itself is fuzzed.
        org.cypclass.objects.generated.CExports.Calls.class, "needs a generated class's lookup and C targets",
        org.cypclass.objects.generated.FlexibleArrayField.class, "needs a field name of a built CyType",
        // Subclassed by generated code only, kept in a private field of Cy_X and called by the
        // containers keyed by content (KeyContainersTest, KeyContainersModelTest).
        org.cypclass.objects.generated.KeyMethods.class, "made by generated code, held privately");

    private DocumentedNormalReturns() {
    }

    /** {@return whether {@code member} may return normally on a closed, spent or foreign receiver} */
    static boolean allowed(Executable member) {
        return ANY_CLASS.containsKey(member.getName())
            || ONE_CLASS.containsKey(member.getDeclaringClass().getSimpleName() + "." + member.getName());
    }

    /** {@return whether the fuzzer is known to have no way to make an instance of {@code type}} */
    static boolean unreachable(Class<?> type) {
        return UNREACHABLE.containsKey(type);
    }
}
