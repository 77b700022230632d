package org.cypclass.examples;

import java.lang.foreign.MemorySegment;

import org.cypclass.objects.CExport;
import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Init;

/** Every kind of parameter and result a method exported to C may have ({@code CExportTest}). */
@Cypclass
public class Gauge extends Cy_Gauge {

    interface Fields {
        double level();

        Adder adder();

        long calls();
    }

    @Init
    @CExport
    void init(double level) {
        level(level);
    }

    @Init
    @CExport(name = "create_with")
    void initWith(double level, Adder adder) {
        level(level);
        adder(adder);
    }

    /** Multiplies the level (a write). */
    @CExport
    double scale(float factor) {
        level(level() * factor);
        return level();
    }

    /** Reads only. */
    @CExport(name = "is_above")
    boolean isAbove(double threshold) {
        return level() > threshold;
    }

    @CExport
    char initial(byte small, short medium) {
        calls(calls() + small + medium);
        return 'G';
    }

    /** Hands back what C passed. */
    @CExport
    MemorySegment echo(MemorySegment pointer) {
        return pointer;
    }

    /** A cypclass argument, borrowed for the call. */
    @CExport(name = "add_to")
    int addTo(Adder other, int v) {
        return other.add(v);
    }

    /** A cypclass result: C gets a count of its own. */
    @CExport(name = "get_adder")
    Adder currentAdder() {
        return adder();
    }

    /** A new object as the result: its one count goes to C (none is left behind in Java). */
    @CExport(name = "new_adder")
    Adder newAdder(int value) {
        return Adder.create(value);
    }

    /** Keeps an Adder C passed. */
    @CExport(name = "set_adder")
    void keep(Adder adder) {
        adder(adder);
    }

    @CExport
    long calls2() {
        return calls();
    }

    /** Always throws: C gets the status and the message, never the exception. */
    @CExport
    void fail() {
        throw new IllegalStateException("the gauge is broken on purpose");
    }
}
