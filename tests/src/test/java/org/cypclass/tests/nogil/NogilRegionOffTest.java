package org.cypclass.tests.nogil;

import org.cypclass.memory.NogilRegion;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/** With checking off (the default JVM of the suite), a region is one shared object that does nothing. */
class NogilRegionOffTest {

    @SuppressWarnings("cypclass:nogil") // checks the run-time check of a nogil region
    @Test
    void anUncheckedRegionIsSharedAndNeverThrows() {
        assertFalse(NogilRegion.checking());
        NogilRegion first = NogilRegion.enter("one");
        assertSame(first, NogilRegion.enter("two"), "nothing is allocated per region");
        assertDoesNotThrow(() -> {
            try (NogilRegion _ = NogilRegion.enter("allocating, unchecked")) {
                NogilRegionTest.sink = new long[100];
            }
        });
    }
}
