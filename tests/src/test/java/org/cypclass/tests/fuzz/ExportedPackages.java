package org.cypclass.tests.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The packages the library's modules export to every application, read from the
 * {@code module-info.class} of each class path entry, and their public top-level classes.
 * Qualified exports ({@code exports ... to}) are left out: no application can reach them. A
 * package a module starts to export is found without a change here.
 */
final class ExportedPackages {

    private ExportedPackages() {
    }

    /**
     * Reads the module descriptors on the class path.
     *
     * @param modulePrefix the modules to read, by name prefix ({@code org.cypclass.})
     * @return package name → the module that exports it, sorted by package
     */
    static Map<String, String> of(String modulePrefix) {
        Map<String, String> packages = new TreeMap<>();
        for (Path entry : classPath()) {
            ModuleDescriptor module = descriptor(entry);
            if (module != null && module.name().startsWith(modulePrefix)) {
                module.exports().stream().filter(export -> !export.isQualified())
                    .forEach(export -> packages.put(export.source(), module.name()));
            }
        }
        return packages;
    }

    /**
     * Lists the public top-level classes and interfaces (annotations left out) of the given
     * packages on the class path.
     *
     * @return the classes, sorted by name
     * @throws IllegalStateException if one cannot be loaded
     */
    static List<Class<?>> publicClasses(Iterable<String> packages) {
        TreeSet<String> names = new TreeSet<>();
        for (Path entry : classPath()) {
            for (String pkg : packages) {
                names.addAll(classFiles(entry, pkg.replace('.', '/')));
            }
        }
        List<Class<?>> found = new ArrayList<>();
        for (String name : names) {
            String simple = name.substring(name.lastIndexOf('/') + 1);
            if (simple.contains("$") || simple.equals("package-info.class") || simple.equals("module-info.class")) {
                continue;
            }
            try {
                Class<?> type = Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                if (java.lang.reflect.Modifier.isPublic(type.getModifiers()) && !type.isAnnotation()) {
                    found.add(type);
                }
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("cannot load " + name, e);
            }
        }
        return found;
    }

    private static List<Path> classPath() {
        return Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)).map(Path::of).toList();
    }

    /** The descriptor of a class path entry, or null if it has none. */
    private static ModuleDescriptor descriptor(Path entry) {
        try {
            if (Files.isDirectory(entry)) {
                Path file = entry.resolve("module-info.class");
                if (!Files.isRegularFile(file)) {
                    return null;
                }
                try (InputStream in = Files.newInputStream(file)) {
                    return ModuleDescriptor.read(in);
                }
            } else if (entry.toString().endsWith(".jar") && Files.isRegularFile(entry)) {
                try (JarFile jar = new JarFile(entry.toFile())) {
                    var info = jar.getJarEntry("module-info.class");
                    if (info == null) {
                        return null;
                    }
                    try (InputStream in = jar.getInputStream(info)) {
                        return ModuleDescriptor.read(in);
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code .class} files directly in folder {@code pkg} of a class path entry. */
    private static List<String> classFiles(Path entry, String pkg) {
        List<String> names = new ArrayList<>();
        try {
            if (Files.isDirectory(entry)) {
                Path folder = entry.resolve(pkg);
                if (Files.isDirectory(folder)) {
                    try (Stream<Path> files = Files.list(folder)) {
                        files.map(file -> pkg + "/" + file.getFileName()).filter(name -> name.endsWith(".class")).forEach(names::add);
                    }
                }
            } else if (entry.toString().endsWith(".jar") && Files.isRegularFile(entry)) {
                try (JarFile jar = new JarFile(entry.toFile())) {
                    jar.stream().map(java.util.jar.JarEntry::getName)
                        .filter(name -> name.startsWith(pkg + "/") && name.indexOf('/', pkg.length() + 1) < 0 && name.endsWith(".class"))
                        .forEach(names::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
