package org.cypclass.tests.readme;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Java snippet of README.md shows its imports: each library type a snippet names
 * (from any package of the library or of its examples) is imported by that snippet, and
 * each import names a type that exists.
 */
class ReadmeImportsTest {

    private static final List<String> PACKAGES = List.of("org.cypclass.memory", "org.cypclass.objects",
        "org.cypclass.objects.capabilities", "org.cypclass.objects.actors", "org.cypclass.objects.containers",
        "org.cypclass.libc", "org.cypclass.kdtree", "org.cypclass.examples", "org.example.hello");
    private static final Pattern IMPORT = Pattern.compile("^import (static )?([\\w.]+?)(\\.\\*)?;", Pattern.MULTILINE);
    private static final Pattern TYPE_NAME = Pattern.compile("\\b[A-Z][A-Za-z0-9]*\\b");

    @Test
    void everySnippetImportsTheLibraryTypesItNames() throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> blocks = javaBlocks();
        assertTrue(blocks.size() >= 8, "README's java blocks: " + blocks.size());
        for (int b = 0; b < blocks.size(); b++) {
            String block = blocks.get(b);
            Set<String> imported = new LinkedHashSet<>();
            Matcher imports = IMPORT.matcher(block);
            while (imports.find()) {
                String name = imports.group(2);
                if (imports.group(1) != null) {
                    name = name.substring(0, name.lastIndexOf('.'));        // import static a.B.member;
                }
                if (!exists(name)) {
                    problems.add("block " + (b + 1) + " imports " + name + ", which does not exist");
                }
                imported.add(name.substring(name.lastIndexOf('.') + 1));
            }
            String code = IMPORT.matcher(block).replaceAll("").replaceAll("//.*", "").replaceAll("\"[^\"]*\"", "\"\"");
            Matcher names = TYPE_NAME.matcher(code);
            Set<String> declared = declaredTypes(code);
            while (names.find()) {
                String simple = names.group();
                if (imported.contains(simple) || declared.contains(simple)) {
                    continue;
                }
                for (String pkg : PACKAGES) {
                    if (exists(pkg + "." + simple) && !problems.contains("block " + (b + 1) + " names " + pkg + "." + simple
                        + " without importing it")) {
                        problems.add("block " + (b + 1) + " names " + pkg + "." + simple + " without importing it");
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /** The types a snippet declares itself (class, interface, record, enum). */
    private static Set<String> declaredTypes(String code) {
        Set<String> declared = new LinkedHashSet<>();
        Matcher m = Pattern.compile("\\b(?:class|interface|record|enum)\\s+([A-Z]\\w*)").matcher(code);
        while (m.find()) {
            declared.add(m.group(1));
        }
        return declared;
    }

    private static boolean exists(String className) {
        try {
            Class.forName(className, false, ReadmeImportsTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static List<String> javaBlocks() throws IOException {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : Files.readAllLines(Gcc.repoRoot().resolve("README.md"))) {
            if (current == null && line.equals("```java")) {
                current = new StringBuilder();
            } else if (current != null && line.startsWith("```")) {
                blocks.add(current.toString());
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return blocks;
    }
}
