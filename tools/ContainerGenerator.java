import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the typed primitive lists, dicts and sets of org.cypclass.objects.containers, and the
 * dicts from primitive keys to references, from four templates, so that the three lists, the
 * six primitive dicts, the two sets and the two reference-value dicts (LongRefDict, IntRefDict)
 * cannot drift apart: {@code java tools/ContainerGenerator.java} from the
 * repository root writes them; {@code --check} only compares and exits 1 if a generated file
 * differs from what the template gives (GeneratedContainersTest runs that).
 */
public final class ContainerGenerator {

    private static final Path TEMPLATE = Path.of("tools/templates/PrimitiveDict.java.template");
    private static final Path SET_TEMPLATE = Path.of("tools/templates/PrimitiveSet.java.template");
    private static final Path LIST_TEMPLATE = Path.of("tools/templates/PrimitiveList.java.template");
    private static final Path REF_VALUE_TEMPLATE = Path.of("tools/templates/RefValueDict.java.template");

    /**
     * list element: primitive, name part, boxed, ValueLayout constant part, what indexOf's
     * javadoc adds about equality, a line indexOf needs before its loop (or none), the match test.
     */
    private static final List<String[]> LIST_ELEMENTS = List.of(
        new String[] {"long", "Long", "Long", "LONG", "", "", "(long) ELEMENT.get(ALL, data + i * BYTES) == value"},
        new String[] {"int", "Int", "Integer", "INT", "", "", "(int) ELEMENT.get(ALL, data + i * BYTES) == value"},
        new String[] {"double", "Double", "Double", "DOUBLE",
            " (compared as {@link Double#equals} compares: {@code NaN} equals {@code NaN}, {@code 0.0} differs from {@code -0.0})",
            "        long bits = Double.doubleToLongBits(value);\n",
            "Double.doubleToLongBits((double) ELEMENT.get(ALL, data + i * BYTES)) == bits"});
    private static final Path TARGET = Path.of("objects/src/main/java/org/cypclass/objects/containers");

    /** key type: primitive, boxed, Word constant, cast from a word. */
    private static final List<String[]> KEYS = List.of(
        new String[] {"long", "Long", "LONG", ""},
        new String[] {"int", "Integer", "INT", "(int) "});
    /** value type: primitive, boxed, Word constant, value to word, word to value. */
    private static final List<String[]> VALUES = List.of(
        new String[] {"long", "Long", "LONG", "value", "word"},
        new String[] {"int", "Integer", "INT", "value", "(int) word"},
        new String[] {"double", "Double", "DOUBLE", "Double.doubleToRawLongBits(value)", "Double.longBitsToDouble(word)"});

    private ContainerGenerator() {
    }

    public static void main(String[] args) throws IOException {
        boolean check = args.length > 0 && args[0].equals("--check");
        String template = Files.readString(TEMPLATE);
        String setTemplate = Files.readString(SET_TEMPLATE);
        String refValueTemplate = Files.readString(REF_VALUE_TEMPLATE);
        List<String> stale = new ArrayList<>();
        String listTemplate = Files.readString(LIST_TEMPLATE);
        for (String[] element : LIST_ELEMENTS) {
            String name = element[1] + "List";
            write(name, fill(listTemplate, Map.of(
                "$List$", name, "$elem$", element[0], "$Elem$", element[1], "$Boxed$", element[2], "$ELEM$", element[3],
                "$equalityNote$", element[4], "$bitsLine$\n", element[5], "$matches$", element[6])), check, stale);
        }
        for (String[] key : KEYS) {
            for (String[] value : VALUES) {
                String name = capital(key[0]) + capital(value[0]) + "Dict";
                write(name, fill(template, Map.of(
                    "$Dict$", name, "$key$", key[0], "$Key$", key[1], "$KEYWORD$", key[2], "$keyCast$", key[3],
                    "$value$", value[0], "$Value$", value[1], "$VALUEWORD$", value[2],
                    "$wordOfValue$", value[3], "$valueOfWord$", value[4])), check, stale);
            }
            String refName = capital(key[0]) + "RefDict";
            write(refName, fill(refValueTemplate, Map.of(
                "$Dict$", refName, "$key$", key[0], "$Key$", key[1], "$KEYWORD$", key[2], "$keyCast$", key[3])), check, stale);
            String name = capital(key[0]) + "Set";
            write(name, fill(setTemplate, Map.of(
                "$Set$", name, "$elem$", key[0], "$Elem$", key[1], "$WORD$", key[2], "$cast$", key[3])), check, stale);
        }
        if (!stale.isEmpty()) {
            System.err.println("out of date (run java tools/ContainerGenerator.java): " + stale);
            System.exit(1);
        }
    }

    private static String fill(String template, Map<String, String> values) {
        String text = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            text = text.replace(e.getKey(), e.getValue());
        }
        return text;
    }

    private static void write(String name, String text, boolean check, List<String> stale) throws IOException {
        Path file = TARGET.resolve(name + ".java");
        if (check) {
            if (!Files.exists(file) || !Files.readString(file).equals(text)) {
                stale.add(file.toString());
            }
        } else {
            Files.writeString(file, text);
        }
    }

    private static String capital(String type) {
        return Character.toUpperCase(type.charAt(0)) + type.substring(1);
    }
}
