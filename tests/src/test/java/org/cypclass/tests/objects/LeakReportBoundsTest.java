package org.cypclass.tests.objects;

import java.lang.reflect.Method;
import java.util.List;

import org.cypclass.objects.ReferenceLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leak reports are de-duplicated and bounded, as Netty's detector's are: a site that leaks on
 * every call is reported once (its repeats counted), and past 1,000 distinct leaks new ones are
 * only counted, so a leaking service neither floods its log nor grows its heap. Drives the
 * detector's report entry point directly (reached by reflection: it is what the cleaner calls),
 * since waiting for the collector to find thousands of lost references would prove nothing more.
 */
class LeakReportBoundsTest {

    private static final Method REPORT;

    static {
        try {
            REPORT = ReferenceLeaks.class.getDeclaredMethod("report", String.class);
            REPORT.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static void report(String text) throws Exception {
        REPORT.invoke(null, text);
    }

    private static String leak(String type, long address, String site) {
        return "cypclass LEAK: a reference to <" + type + " object at 0x" + Long.toHexString(address)
            + "> was never closed; it was taken by main\n\tat " + site + "\n";
    }

    @AfterEach
    void forget() {
        ReferenceLeaks.clearReports();
    }

    @Test
    void theSameSiteLeakingAgainIsReportedOnce() throws Exception {
        ReferenceLeaks.clearReports();
        for (int i = 0; i < 100; i++) {
            report(leak("demo.Node", 0x7f0000001000L + 64L * i, "demo.Service.handle(Service.java:42)"));
        }
        report(leak("demo.Node", 0x7f0000900000L, "demo.Service.other(Service.java:50)"));
        List<String> reports = ReferenceLeaks.reports();
        assertEquals(2, reports.size(), "one report per site, whatever the instance: " + reports);
        assertTrue(reports.get(0).contains("0x7f0000001000") && reports.get(0).contains("Service.java:42"), reports.get(0));
        assertTrue(reports.get(1).contains("Service.java:50"), reports.get(1));
    }

    @Test
    void pastAThousandDistinctLeaksNewOnesAreOnlyCounted() throws Exception {
        ReferenceLeaks.clearReports();
        for (int i = 0; i < 1_500; i++) {
            report(leak("demo.Node", 0x7f0000001000L, "demo.Service.site" + i + "(Service.java:" + i + ")"));
        }
        List<String> reports = ReferenceLeaks.reports();
        assertEquals(1_000, reports.size());
        assertTrue(reports.get(999).contains("site999("), reports.get(999));
        // A site already kept is still recognised past the bound.
        report(leak("demo.Node", 0x7f0000002000L, "demo.Service.site5(Service.java:5)"));
        assertEquals(1_000, ReferenceLeaks.reports().size());
    }
}
