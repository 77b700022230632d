package org.cypclass.tests.containers;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The typed lists (primitive and {@code RefList}), the primitive dicts and sets, and the
 * reference dicts and sets ({@code LongRefDict}, {@code RefRefDict}, {@code KeyLongDict}, {@code RefSet}, ...) are generated
 * from one template per family ({@code tools/ContainerGenerator.java}); the committed classes
 * must be what the templates give, so that a fix made in one generated class and not in its
 * template fails here (the message says to run {@code java tools/ContainerGenerator.java}).
 */
class GeneratedContainersTest {

    @Test
    void theGeneratedContainersMatchTheirTemplates() throws Exception {
        Path root = Gcc.repoRoot();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process check = new ProcessBuilder(java.toString(), "tools/ContainerGenerator.java", "--check")
            .directory(root.toFile()).redirectErrorStream(true).start();
        assertTrue(check.waitFor(2, TimeUnit.MINUTES), "the generator did not finish");
        String output = new String(check.getInputStream().readAllBytes());
        assertEquals(0, check.exitValue(), output);
    }
}
