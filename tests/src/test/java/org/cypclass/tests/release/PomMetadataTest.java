package org.cypclass.tests.release;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.xml.parsers.DocumentBuilderFactory;

import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a user's build and a repository manager read from the poms: the BOM manages exactly the
 * published artifacts at the reactor's version, and every published pom says what it is, under
 * which licence, and where it lives. Read from the source poms, so that a module added to the
 * reactor and forgotten in the BOM fails here, not in a user's build.
 */
class PomMetadataTest {

    private static final Path ROOT = Gcc.repoRoot();

    /** The reactor modules that are built but never published, and why (README, "Modules"). */
    private static final Set<String> UNPUBLISHED = Set.of(
        "tests",       // the test suite
        "kdtree-app",  // the kdtree command, an application used from this repository (./cypclass kdtree)
        "benchmarks",  // bundles JMH (GPL-2.0 with the Classpath Exception) into its jar
        "stress",      // bundles jcstress (same licence) into its jar
        "samples",     // applications written as a user would, built against the artifacts
        "bom");        // published, but it is the list itself

    private static Document read(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(pom.toFile());
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static Element parentPom() throws Exception {
        return read(ROOT.resolve("pom.xml")).getDocumentElement();
    }

    private static List<String> publishedModules() throws Exception {
        List<String> modules = new ArrayList<>();
        for (Element module : children(child(parentPom(), "modules"), "module")) {
            String name = module.getTextContent().strip();
            if (!UNPUBLISHED.contains(name)) {
                modules.add(name);
            }
        }
        return modules;
    }

    @Test
    void theBomManagesExactlyThePublishedArtifactsAtTheReactorsVersion() throws Exception {
        String version = text(parentPom(), "version");
        Set<String> expected = new TreeSet<>();
        for (String module : publishedModules()) {
            Element pom = read(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement();
            expected.add(text(pom, "artifactId"));
        }
        assertTrue(expected.contains("cypclass-processor"), "the processor is published: " + expected);

        Element bom = read(ROOT.resolve("bom/pom.xml")).getDocumentElement();
        assertNull(child(bom, "parent"),
            "the BOM must have no parent: an imported BOM brings its parent's dependencyManagement (the test libraries) into the user's build");
        assertEquals("cypclass-bom", text(bom, "artifactId"));
        assertEquals(version, text(bom, "version"), "the BOM's version moves with the reactor's");
        assertEquals("pom", text(bom, "packaging"));

        Set<String> managed = new TreeSet<>();
        for (Element dependency : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            assertEquals("org.cypclass", text(dependency, "groupId"));
            assertEquals(version, text(dependency, "version"), text(dependency, "artifactId") + " in the BOM");
            assertTrue(managed.add(text(dependency, "artifactId")), "listed twice: " + text(dependency, "artifactId"));
        }
        assertEquals(expected, managed, "the BOM lists every published artifact and nothing else");
    }

    @Test
    void everyPublishedPomSaysWhatItIsUnderWhichLicenceAndWhereItLives() throws Exception {
        Element parent = parentPom();
        for (String required : List.of("url", "inceptionYear", "description")) {
            assertFalse(text(parent, required) == null || text(parent, required).isEmpty(), "parent pom lacks <" + required + ">");
        }
        assertEquals("Apache License, Version 2.0", text(child(child(parent, "licenses"), "license"), "name"));
        assertFalse(children(child(parent, "developers"), "developer").isEmpty(), "parent pom lacks <developers>");
        Element scm = child(parent, "scm");
        for (String required : List.of("connection", "developerConnection", "url")) {
            assertFalse(text(scm, required) == null || text(scm, required).isEmpty(), "parent pom's <scm> lacks <" + required + ">");
        }
        assertEquals("false", parent.getAttribute("child.project.url.inherit.append.path"),
            "the modules share the project's url instead of appending their artifactId to it");

        List<String> modules = new ArrayList<>(publishedModules());
        modules.add("bom");
        for (String module : modules) {
            Element pom = read(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement();
            String description = text(pom, "description");
            assertTrue(description != null && description.length() > 40, module + "/pom.xml needs a <description> of a sentence or more");
        }
        assertTrue(Files.isRegularFile(ROOT.resolve("LICENSE")) && Files.isRegularFile(ROOT.resolve("NOTICE")));
    }
}
