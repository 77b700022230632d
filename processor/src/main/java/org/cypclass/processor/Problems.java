package org.cypclass.processor;

import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * The diagnostics of reading one declaration: each is printed through javac's {@link Messager}
 * at once, on its element, so javac reports them in the order the rules find them; this object
 * remembers whether any was an error, which decides whether the declaration gets generated code.
 */
final class Problems {

    private final Messager messager;
    private boolean errors;

    Problems(Messager messager) {
        this.messager = messager;
    }

    /** Reports a compile error on an element. */
    void error(Element element, String message) {
        errors = true;
        messager.printMessage(Diagnostic.Kind.ERROR, message, element);
    }

    /** Reports a note on an element; it does not count as an error. */
    void note(Element element, String message) {
        messager.printMessage(Diagnostic.Kind.NOTE, message, element);
    }

    /** {@return whether an error was reported through this object} */
    boolean hasErrors() {
        return errors;
    }
}
