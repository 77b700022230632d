package org.cypclass.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.Optional;

import org.cypclass.memory.internal.CDebugCheck;

/**
 * Debug checks for C code that moves counts: a C library compiled with {@code -DCY_DEBUG}
 * against {@code cypclass/cyobject.h} has a hook, {@code Cy_debug_check}, that its
 * {@code Cy_INCREF} and {@code Cy_DECREF} call first; {@link #install} points it at the Java
 * allocator's check. A count macro on a pointer that is not a live object of the library (a
 * foreign pointer, a freed block, a dead object) then prints a message naming the block and the
 * macro to stderr and aborts the process, instead of writing into memory it does not own. Run
 * the JVM with {@code -Dcypclass.memory.debug=true} as well: freed blocks then wait in
 * quarantine before reuse, so a stale pointer still names a freed block rather than its next
 * tenant.
 *
 * <p>The check costs an upcall per count change: for tests and debugging, not production.
 *
 * <p>Thread-safety: {@link #install} may be called from any thread; the installed check may be
 * called from any thread, native ones included.
 */
public final class CDebug {

    /** The name of the hook in a library built with {@code CY_DEBUG}. */
    public static final String HOOK = "Cy_debug_check";

    private CDebug() {
    }

    /**
     * Installs the check in a library built with {@code -DCY_DEBUG}; call it once after loading
     * the library and before its code moves counts.
     *
     * @param library the library's symbols ({@link SymbolLookup#libraryLookup})
     * @return whether the library has the hook (false: built without {@code CY_DEBUG}, nothing done)
     */
    @SuppressWarnings("restricted")
    public static boolean install(SymbolLookup library) {
        Optional<MemorySegment> hook = Objects.requireNonNull(library, "library").find(HOOK);
        if (hook.isEmpty()) {
            return false;
        }
        hook.get().reinterpret(ValueLayout.ADDRESS.byteSize()).set(ValueLayout.ADDRESS, 0,
            MemorySegment.ofAddress(CDebugCheck.STUB));
        return true;
    }
}
