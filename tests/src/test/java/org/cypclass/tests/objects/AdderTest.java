package org.cypclass.tests.objects;

import org.cypclass.examples.Adder;
import org.cypclass.memory.MemoryStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The talk's Adder session, step by step, as README shows it in jshell. */
class AdderTest {

    @Test
    void theTalksAdderSession() {
        try (Adder a = Adder.create(2)) {
            assertTrue(a.toString().matches("<org\\.cypclass\\.examples\\.Adder object at 0x[0-9a-f]+>"), a.toString());
            assertEquals(2, a.value());
            assertEquals(5, a.add(3));
            assertEquals(5, a.value());
            assertEquals(a.toString() + " {value=5}", a.dump());
            assertEquals(1, MemoryStats.snapshot().of(Adder.class.getName()).liveBlocks());
        }
        assertEquals(0, MemoryStats.snapshot().of(Adder.class.getName()).liveBlocks(), "closing freed the instance at once");
    }

    @Test
    void theLayoutIsTheHeaderThenTheField() {
        assertEquals(32, Adder.TYPE.offsetOf("value"));
        assertEquals(40, Adder.TYPE.layout().byteSize());
        assertEquals("org_cypclass_examples_Adder", Adder.TYPE.layout().name().orElseThrow());
    }
}
