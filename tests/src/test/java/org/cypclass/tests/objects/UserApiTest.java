package org.cypclass.tests.objects;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.cypclass.objects.CyObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The package users import, {@code org.cypclass.objects}, holds only what users call: its
 * public types and their public and protected members, read from the module's classes, are
 * exactly the list below. What only generated code or the library's other packages call belongs
 * in {@code org.cypclass.objects.generated} (exported, documented as not for people) or in the
 * unexported {@code org.cypclass.objects.internal}; a new member here fails this test until it
 * is listed on purpose.
 */
class UserApiTest {

    private static final String PACKAGE = "org.cypclass.objects";

    /** Each public type of the package, with its public and protected members. */
    private static final Map<String, Set<String>> USER_API = Map.ofEntries(
        Map.entry("Cypclass", Set.of("base()")),
        Map.entry("Init", Set.of()),
        Map.entry("Dealloc", Set.of()),
        Map.entry("Hash", Set.of()),
        Map.entry("Equals", Set.of()),
        Map.entry("Length", Set.of("value()")),
        Map.entry("CyObject", Set.of("new()", "close()", "isOpen()", "isBorrowed()", "newReference()", "gcReference()",
            "releaseCollected()", "pointer()", "cyType()", "dump()", "toString()", "equals(Object)", "hashCode()")),
        Map.entry("CyType", Set.of("layout()", "javaClass()", "offsetOf(String)", "adopt(MemorySegment)", "cMethods()")),
        Map.entry("CExport", Set.of("name()")),
        Map.entry("CyStr", Set.of("TYPE", "of(String)", "of(MemorySegment)", "of(MemorySegment, long, long)", "length()",
            "isEmpty()", "byteAt(long)", "bytes()", "startsWith(CyStr)", "indexOf(CyStr)", "indexOf(CyStr, long)",
            "slice(long, long)", "compareTo(CyStr)", "newReference()", "gcReference()")),
        Map.entry("ElementsView", Set.of("segment()", "close()", "toString()")),
        Map.entry("ReferenceLeaks", Set.of("MODE_PROPERTY", "INTERVAL_PROPERTY", "DEFAULT_INTERVAL", "watchesAll()", "reports()",
            "clearReports()")),
        Map.entry("WeakRef", Set.of("of(CyObject)", "get()", "isAlive()", "equals(Object)", "hashCode()", "toString()")));

    /** The module of the runtime, read from where the class path found {@code CyObject}. */
    private static ModuleReference objectsModule() throws Exception {
        Path location = Path.of(CyObject.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ModuleFinder.of(location).find("org.cypclass.objects").orElseThrow();
    }

    @Test
    void theUserPackageHoldsOnlyWhatUsersCall() throws Exception {
        Map<String, Set<String>> found = new TreeMap<>();
        for (Class<?> type : publicTypes(objectsModule(), PACKAGE)) {
            found.put(type.getName().substring(PACKAGE.length() + 1), members(type));
        }
        assertEquals(new TreeMap<>(USER_API), found, "the public API of " + PACKAGE + " changed: if users call the new"
            + " type or member, list it here; if only generated code (or another package of the library) does, put it in"
            + " org.cypclass.objects.generated (or in org.cypclass.objects.internal)");
    }

    @Test
    void generatedCodeSupportIsExportedAndTheBridgesAreNot() throws Exception {
        ModuleDescriptor descriptor = objectsModule().descriptor();
        Map<String, Set<String>> exports = descriptor.exports().stream()
            .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));
        assertEquals(Map.of(PACKAGE, Set.of(), PACKAGE + ".capabilities", Set.of(), PACKAGE + ".actors", Set.of(),
            PACKAGE + ".generated", Set.of(), PACKAGE + ".internal", Set.of("org.cypclass.objects.containers")), exports,
            "every API package exported to everyone; org.cypclass.objects.internal only to the containers' module");
    }

    /** The public types of a package of a module: top-level ones, and nested ones public all the way out. */
    private static List<Class<?>> publicTypes(ModuleReference module, String pkg) throws IOException, ClassNotFoundException {
        String directory = pkg.replace('.', '/') + "/";
        List<String> names;
        try (ModuleReader reader = module.open(); Stream<String> resources = reader.list()) {
            names = resources.filter(r -> r.startsWith(directory) && r.endsWith(".class"))
                .map(r -> r.substring(directory.length(), r.length() - ".class".length()))
                .filter(r -> !r.contains("/") && !r.equals("package-info"))
                .sorted().toList();
        }
        List<Class<?>> types = new ArrayList<>();
        for (String name : names) {
            Class<?> type = Class.forName(pkg + "." + name, false, UserApiTest.class.getClassLoader());
            boolean visible = true;
            for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
                visible &= Modifier.isPublic(c.getModifiers());
            }
            if (visible) {
                types.add(type);
            }
        }
        return types;
    }

    /** The public and protected members a type declares: {@code name(ParameterTypes)}, fields by name, {@code new(...)}. */
    private static Set<String> members(Class<?> type) {
        Set<String> members = new TreeSet<>();
        for (Method method : type.getDeclaredMethods()) {
            if (visible(method) && !method.isBridge()) {
                members.add(method.getName() + parameters(method));
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (visible(constructor)) {
                members.add("new" + parameters(constructor));
            }
        }
        for (Field field : type.getDeclaredFields()) {
            if (visible(field)) {
                members.add(field.getName());
            }
        }
        return members;
    }

    private static boolean visible(Member member) {
        return !member.isSynthetic() && (Modifier.isPublic(member.getModifiers()) || Modifier.isProtected(member.getModifiers()));
    }

    private static String parameters(Executable executable) {
        return Stream.of(executable.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }
}
