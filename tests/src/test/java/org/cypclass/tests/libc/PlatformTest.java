package org.cypclass.tests.libc;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cypclass.bindings.libc.libc_h;
import org.cypclass.bindings.libc.stat;
import org.cypclass.libc.internal.Platform;
import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bindings fit linux-x86_64 glibc only: the platform check refuses every other platform
 * with a message naming it, and on this machine the generated {@code struct stat} layout and
 * constants agree with what gcc compiles against the system headers.
 */
class PlatformTest {

    @Test
    void linuxOnX86_64WithGlibcIsTheOnlySupportedPlatform() {
        assertNull(Platform.whyUnsupported("Linux", "amd64", true));
        assertNull(Platform.whyUnsupported("Linux", "x86_64", true));
        Map<List<Object>, String> refused = new LinkedHashMap<>();
        refused.put(List.of("Mac OS X", "aarch64", false), "Mac OS X on aarch64");
        refused.put(List.of("Mac OS X", "x86_64", false), "Mac OS X on x86_64");
        refused.put(List.of("Windows 11", "amd64", false), "Windows 11 on amd64");
        refused.put(List.of("Linux", "aarch64", true), "Linux on aarch64 with glibc");
        refused.put(List.of("Linux", "x86", true), "Linux on x86 with glibc");
        refused.put(List.of("Linux", "amd64", false), "Linux on amd64 without glibc");
        refused.put(List.of("FreeBSD", "amd64", false), "FreeBSD on amd64");
        refused.forEach((platform, named) -> {
            String message = Platform.whyUnsupported((String) platform.get(0), (String) platform.get(1),
                (Boolean) platform.get(2));
            assertNotNull(message, "must refuse " + platform);
            assertTrue(message.contains("runs on Linux x86-64 (amd64) with glibc only"), message);
            assertTrue(message.contains("this JVM runs on " + named + ":"), message);
            assertTrue(message.contains("struct stat"), "says what would go wrong: " + message);
        });
        assertNotNull(Platform.whyUnsupported(null, null, false), "missing properties are refused too");
    }

    @Test
    void aWrongStatLayoutIsRefusedWithTheWayOut() {
        assertNull(Platform.whyLayoutWrong(144, 24, 48));
        // What a jextract run for 32-bit x86 or with other headers could produce.
        String message = Platform.whyLayoutWrong(88, 16, 44);
        assertNotNull(message);
        assertTrue(message.contains("struct stat has size 88, st_mode at 16, st_size at 44 (expected 144, 24, 48)"), message);
        assertTrue(message.contains("bindings/generate") && message.contains("GENERATED-WITH"), message);
    }

    @Test
    void thisMachineIsSupportedAndTheBindingsFitIt() {
        assertDoesNotThrow(Platform::requireSupported);
        assertEquals(144, stat.layout().byteSize());
    }

    /**
     * gcc, against this machine's headers, agrees with the generated bindings on the
     * {@code struct stat} layout and on the value of every constant of
     * {@code bindings/libc-includes.txt} (which must each be printed by {@code libc_abi.c}).
     */
    @Test
    void generatedLayoutAndConstantsAgreeWithGcc(@TempDir Path dir) throws IOException, ReflectiveOperationException {
        Gcc.assumeAvailable();
        Path program = Gcc.compile(dir.resolve("libc_abi"), List.of(), "libc_abi.c");
        Gcc.Result result = Gcc.run(List.of(program.toString()), dir);
        assertEquals(0, result.exitCode(), result.output());
        Map<String, Long> c = new LinkedHashMap<>();
        for (String line : result.output().strip().split("\n")) {
            String[] parts = line.split(" ");
            c.put(parts[0], Long.parseLong(parts[1]));
        }
        assertEquals(stat.layout().byteSize(), c.remove("sizeof_stat"), "sizeof(struct stat)");
        assertEquals(stat.st_mode$offset(), c.remove("st_mode"), "offsetof(struct stat, st_mode)");
        assertEquals(stat.st_size$offset(), c.remove("st_size"), "offsetof(struct stat, st_size)");
        for (Map.Entry<String, Long> constant : c.entrySet()) {
            Object value;
            try {
                value = libc_h.class.getMethod(constant.getKey()).invoke(null);
            } catch (InvocationTargetException e) {
                throw new AssertionError(constant.getKey(), e.getCause());
            }
            assertEquals(constant.getValue(), ((Number) value).longValue(), constant.getKey());
        }
        List<String> listed = Files.readAllLines(Gcc.repoRoot().resolve("bindings/libc-includes.txt")).stream()
            .map(line -> line.replaceAll("#.*", "").strip())
            .filter(line -> line.startsWith("--include-constant "))
            .map(line -> line.substring("--include-constant ".length()).strip())
            .toList();
        assertEquals(listed.stream().sorted().toList(), c.keySet().stream().sorted().toList(),
            "libc_abi.c must print exactly the constants of bindings/libc-includes.txt");
    }
}
