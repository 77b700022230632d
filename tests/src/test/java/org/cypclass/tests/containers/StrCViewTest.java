package org.cypclass.tests.containers;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.cypclass.examples.Named;
import org.cypclass.objects.CyStr;
import org.cypclass.objects.CyType;
import org.cypclass.objects.containers.StrLongDict;
import org.cypclass.objects.containers.StrRefDict;
import org.cypclass.objects.containers.StrSet;
import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The C view of {@link CyStr} and the string-keyed containers: {@code cypclass/str.h} and
 * {@code cypclass/containers.h} compile (their static assertions hold), every offset and size
 * they declare equals the Java layout, and C reads a live string's bytes and hash, walks a
 * {@code StrLongDict}'s and a {@code StrSet}'s live entries through their key pointers, looks
 * strings up in a {@code StrLongDict} through its 16-byte index slots, and
 * follows a user cypclass's {@code CyStr} field declared by the processor's header.
 */
class StrCViewTest {

    @Test
    void cReadsStringsAndStringKeyedContainers(@TempDir Path dir) throws Throwable {
        Gcc.assumeAvailable();
        Path generated = Gcc.repoRoot().resolve("tests/target/generated-test-sources/test-annotations");
        Path library = Gcc.compile(dir.resolve("libstr.so"), List.of("-I", generated.toString(), "-shared", "-fPIC"),
            "str_view.c");
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup lib = Gcc.load(library, arena);
            MethodHandle layout = Gcc.downcall(lib, "str_layout",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            MemorySegment text = arena.allocate(4096);
            int length = (int) layout.invokeExact(text, 4096);
            int checked = 0;
            for (String line : text.getString(0).strip().split("\n")) {
                String[] parts = line.split(" ");
                String[] name = parts[0].split("\\.");
                CyType<?> type = switch (name[0]) {
                    case "CyStr" -> CyStr.TYPE;
                    case "StrLongDict" -> StrLongDict.TYPE;
                    case "StrRefDict" -> StrRefDict.TYPE;
                    case "StrSet" -> StrSet.TYPE;
                    default -> throw new AssertionError(line);
                };
                long c = Long.parseLong(parts[parts.length - 1]);
                long java = parts[1].equals("sizeof") ? type.layout().byteSize() : type.offsetOf(name[1]);
                assertEquals(java, c, line);
                checked++;
            }
            assertEquals(10, checked, "lines of " + length + " characters");

            MethodHandle copy = Gcc.downcall(lib, "str_copy", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
            MethodHandle hash = Gcc.downcall(lib, "str_hash", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
            MethodHandle weighted = Gcc.downcall(lib, "str_long_dict_weighted",
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
            MethodHandle get = Gcc.downcall(lib, "str_long_dict_get",
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            MethodHandle setLength = Gcc.downcall(lib, "str_set_total_length",
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
            MethodHandle nameLength = Gcc.downcall(lib, "named_name_length",
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));

            try (CyStr a = CyStr.of("Grüße, 世界 😀"); CyStr b = CyStr.of("Grüße, 世界 😀"); CyStr c = CyStr.of("other")) {
                byte[] expected = "Grüße, 世界 😀".getBytes(StandardCharsets.UTF_8);
                MemorySegment out = arena.allocate(64);
                assertEquals(expected.length, (long) copy.invokeExact(a.pointer(), out, 64L));
                assertArrayEquals(expected, out.asSlice(0, expected.length).toArray(ValueLayout.JAVA_BYTE));
                long hashA = (long) hash.invokeExact(a.pointer());
                assertEquals(hashA, (long) hash.invokeExact(b.pointer()), "equal bytes, equal hashes");
                assertNotEquals(hashA, (long) hash.invokeExact(c.pointer()));
            }
            try (StrLongDict dict = StrLongDict.create(); StrSet set = StrSet.create()) {
                long expected = 0;
                long total = 0;
                for (int i = 0; i < 200; i++) {
                    String key = "k".repeat(i % 7) + i;
                    dict.addTo(MemorySegment.ofArray(key.getBytes(StandardCharsets.UTF_8)), i);
                    set.add(MemorySegment.ofArray(key.getBytes(StandardCharsets.UTF_8)));
                }
                for (int i = 0; i < 200; i += 3) {
                    try (CyStr key = CyStr.of("k".repeat(i % 7) + i)) {
                        dict.remove(key);
                        set.remove(key);
                    }
                }
                for (int i = 0; i < 200; i++) {
                    if (i % 3 != 0) {
                        String key = "k".repeat(i % 7) + i;
                        expected += (long) key.length() * i;
                        total += key.length();
                    }
                }
                assertEquals(expected, (long) weighted.invokeExact(dict.pointer()));
                for (int i = 0; i < 200; i++) {
                    try (CyStr key = CyStr.of("k".repeat(i % 7) + i)) {
                        assertEquals(i % 3 == 0 ? -1L : i, (long) get.invokeExact(dict.pointer(), key.pointer()),
                            "C's lookup through the index of " + key);
                    }
                }
                assertEquals(total, (long) setLength.invokeExact(set.pointer()));
            }
            try (Named named = Named.create(); CyStr name = CyStr.of("ünïcödé")) {
                assertEquals(-1L, (long) nameLength.invokeExact(named.pointer()));
                named.name(name);
                assertEquals(name.length(), (long) nameLength.invokeExact(named.pointer()));
            }
        }
    }
}
