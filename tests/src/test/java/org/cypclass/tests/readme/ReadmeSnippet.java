package org.cypclass.tests.readme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cypclass.tests.support.Gcc;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps a README snippet and the test that runs it the same text: the lines of a test's
 * source between {@code // --- README: NAME ---} and {@code // --- end ---}, de-indented by
 * the first line's indentation, must appear as they are in README.md.
 */
final class ReadmeSnippet {

    private ReadmeSnippet() {
    }

    /** Asserts that README.md prints the snippet {@code name} of {@code test}'s source. */
    static void assertReadmeShows(Class<?> test, String name) throws IOException {
        Path root = Gcc.repoRoot();
        Path source = root.resolve("tests/src/test/java").resolve(test.getName().replace('.', '/') + ".java");
        List<String> lines = Files.readAllLines(source);
        int begin = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("// --- README: " + name + " ---")) {
                begin = i;
                break;
            }
        }
        assertTrue(begin >= 0, "no snippet '" + name + "' in " + source);
        int indent = lines.get(begin + 1).length() - lines.get(begin + 1).stripLeading().length();
        StringBuilder snippet = new StringBuilder();
        for (int i = begin + 1; !lines.get(i).strip().equals("// --- end ---"); i++) {
            String line = lines.get(i);
            snippet.append(line.length() >= indent ? line.substring(indent) : line.strip()).append('\n');
        }
        String readme = Files.readString(root.resolve("README.md"));
        assertTrue(readme.contains(snippet), "README.md no longer prints the snippet '" + name + "' of "
            + test.getSimpleName() + ":\n" + snippet);
    }
}
