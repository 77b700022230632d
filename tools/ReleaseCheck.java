import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The release, tried the way a user's build meets it. Run from the repository root with a
 * JDK 25 (the one that runs this file builds too):
 *
 * <pre>java tools/ReleaseCheck.java</pre>
 *
 * <ol>
 *   <li>generates a throwaway gpg key in a temporary home (never committed, deleted at the end);
 *   <li>{@code mvn -Prelease deploy} into a temporary staging repository, signed with it;
 *   <li>checks that every published artifact is there with its pom, sources and javadoc jars,
 *       each with a signature gpg verifies, and that nothing unpublished is;
 *   <li>builds and runs {@code samples/hello} (a copy) with README's own {@code mvn} and
 *       {@code java} lines, an empty local repository and the staging repository as the only
 *       source of {@code org.cypclass} artifacts: the BOM import, the dependency and the
 *       processor path resolve from what was published;
 *   <li>builds the published modules again from clean and compares each jar, byte for byte,
 *       with the one deployed: the build is reproducible.
 * </ol>
 * Exits 0 when everything holds, 1 naming what does not, 2 when a tool is missing. Maven is
 * the wrapper {@code ./mvnw} (else the {@code mvn} on the PATH); plugins come from Maven Central
 * as usual. CI runs it after the test command ({@code .ci/run}).
 */
public final class ReleaseCheck {

    /** Never published (each pom says why); none of them may reach the staging repository. */
    private static final List<String> UNPUBLISHED = List.of("cypclass-tests", "cypclass-benchmarks", "cypclass-stress", "cypclass-hello",
        "cypclass-samples", "cypclass-kdtree-app");

    private final Path root = Path.of("").toAbsolutePath();
    /**
     * The artifacts a user can depend on, as the BOM lists them (PomMetadataTest keeps the BOM
     * equal to the reactor's published modules); each is built by the folder of its name
     * without the {@code cypclass-} prefix.
     */
    private final List<String> published = bomArtifacts();
    private final Path work;
    private final List<String> problems = new ArrayList<>();
    private final long started = System.nanoTime();

    private ReleaseCheck(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            System.err.println("usage: java tools/ReleaseCheck.java   (from the repository root; no options)");
            System.exit(args[0].equals("--help") ? 0 : 64);
        }
        if (!Files.isRegularFile(Path.of("bom/pom.xml"))) {
            System.err.println("release-check: run me from the repository root (no bom/pom.xml here)");
            System.exit(64);
        }
        if (Runtime.version().feature() < 25) {
            System.err.println("release-check: needs a JDK 25 or newer to run and build; this is " + Runtime.version());
            System.exit(2);
        }
        Path work = Files.createTempDirectory("cypclass-release-check");
        ReleaseCheck check = new ReleaseCheck(work);
        int status;
        try {
            status = check.run();
        } finally {
            deleteTree(work);
        }
        System.exit(status);
    }

    private int run() throws Exception {
        if (!onPath("gpg")) {
            System.err.println("release-check: gpg is needed to sign (Debian: apt-get install gnupg)");
            return 2;
        }
        Path gnupg = Files.createDirectory(work.resolve("gnupg"));
        Files.setPosixFilePermissions(gnupg, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path staging = work.resolve("staging");

        step("a throwaway signing key");
        exec(root, Map.of("GNUPGHOME", gnupg.toString()), "gpg", "--batch", "--passphrase", "", "--quick-generate-key",
            "Cypclass release check <release-check@invalid>", "ed25519", "sign", "1d");

        step("mvn -Prelease deploy into " + staging);
        maven(root, "-Prelease", "-DskipTests", "-Dgpg.homedir=" + gnupg, "-Dcypclass.staging=" + staging, "clean", "deploy");
        Map<String, Path> deployedJars = checkStaging(staging, gnupg);

        step("samples/hello against the staging repository alone, with an empty local repository");
        buildAndRunHello(staging);

        step("the published modules again, from clean: are the jars the same bytes?");
        List<String> modules = published.stream().map(artifact -> artifact.substring("cypclass-".length())).toList();
        maven(root, "-Prelease", "-Dgpg.skip", "-DskipTests", "-pl", String.join(",", modules), "-am", "clean", "package");
        for (String artifact : published) {
            for (String classifier : List.of("", "-sources", "-javadoc")) {
                String key = artifact + classifier;
                Path rebuilt = root.resolve(artifact.substring("cypclass-".length())).resolve("target")
                    .resolve(artifact + "-" + version() + classifier + ".jar");
                Path deployed = deployedJars.get(key);
                if (deployed == null || !Files.isRegularFile(rebuilt)) {
                    problems.add("no " + key + " jar to compare (" + rebuilt + ")");
                } else if (!sha256(deployed).equals(sha256(rebuilt))) {
                    problems.add("not reproducible: " + key + ".jar differs between two clean builds of the same sources");
                }
            }
        }

        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        if (problems.isEmpty()) {
            System.err.printf("release-check: PASSED in %d s: %d artifacts signed, with sources and javadoc; samples/hello built"
                + " and ran from the staging repository alone; two clean builds gave the same jars%n", seconds, published.size() + 2);
            return 0;
        }
        System.err.println("release-check: FAILED in " + seconds + " s:");
        problems.forEach(p -> System.err.println("  - " + p));
        return 1;
    }

    /** Checks the staging repository and returns each published jar, keyed by artifact and classifier. */
    private Map<String, Path> checkStaging(Path staging, Path gnupg) throws IOException, InterruptedException {
        Map<String, Path> jars = new TreeMap<>();
        Path group = staging.resolve("org/cypclass");
        for (String artifact : published) {
            Path dir = group.resolve(artifact).resolve(version());
            for (String suffix : List.of(".pom", ".jar", "-sources.jar", "-javadoc.jar")) {
                Path file = newest(dir, suffix);
                if (file == null) {
                    problems.add(artifact + ": no " + suffix + " in " + dir);
                    continue;
                }
                verifySignature(file, gnupg);
                if (suffix.endsWith(".jar")) {
                    jars.put(artifact + suffix.replace(".jar", ""), file);
                }
            }
        }
        for (String pomOnly : List.of("cypclass-parent", "cypclass-bom")) {
            Path pom = newest(group.resolve(pomOnly).resolve(version()), ".pom");
            if (pom == null) {
                problems.add(pomOnly + ": no .pom deployed (a user's build needs it)");
            } else {
                verifySignature(pom, gnupg);
            }
        }
        for (String artifact : UNPUBLISHED) {
            if (Files.exists(group.resolve(artifact)) || Files.exists(staging.resolve("org/example").resolve(artifact))) {
                problems.add(artifact + " was deployed, but it is never published");
            }
        }
        return jars;
    }

    private void verifySignature(Path file, Path gnupg) throws IOException, InterruptedException {
        Path signature = file.resolveSibling(file.getFileName() + ".asc");
        if (!Files.isRegularFile(signature)) {
            problems.add("unsigned: " + work.relativize(file));
            return;
        }
        Result verify = run(root, Map.of("GNUPGHOME", gnupg.toString()), "gpg", "--batch", "--verify", signature.toString(), file.toString());
        if (verify.status != 0) {
            problems.add("bad signature on " + work.relativize(file) + ": " + verify.output.strip());
        }
    }

    private void buildAndRunHello(Path staging) throws IOException, InterruptedException {
        Path hello = work.resolve("hello");
        copyTree(root.resolve("samples/hello"), hello);
        deleteTree(hello.resolve("target"));
        Path localRepository = Files.createDirectory(work.resolve("empty-local-repository"));
        Path settings = work.resolve("settings.xml");
        Files.writeString(settings, """
            <settings>
              <profiles>
                <profile>
                  <id>staging</id>
                  <repositories>
                    <repository>
                      <id>cypclass-staging</id>
                      <url>%s</url>
                      <releases><enabled>true</enabled></releases>
                      <snapshots><enabled>true</enabled></snapshots>
                    </repository>
                  </repositories>
                </profile>
              </profiles>
              <activeProfiles><activeProfile>staging</activeProfile></activeProfiles>
            </settings>
            """.formatted(staging.toUri()));
        // README's own build and run lines, as a user copies them.
        List<String> readmeLines = readmeRunLines();
        List<String> mvnLine = List.of(readmeLines.get(0).split("\\s+"));
        List<String> mavenArguments = new ArrayList<>(List.of("-s", settings.toString(), "-Dmaven.repo.local=" + localRepository));
        mavenArguments.addAll(mvnLine.subList(1, mvnLine.size()));
        maven(hello, mavenArguments.toArray(String[]::new));

        // Every org.cypclass file the build resolved must have come from the staging repository.
        try (Stream<Path> files = Files.walk(localRepository.resolve("org/cypclass"))) {
            List<Path> records = files.filter(f -> f.getFileName().toString().equals("_remote.repositories")).toList();
            if (records.isEmpty()) {
                problems.add("samples/hello resolved no org.cypclass artifact from a repository");
            }
            for (Path record : records) {
                for (String line : Files.readAllLines(record)) {
                    if (!line.startsWith("#") && !line.isBlank() && !line.contains(">cypclass-staging=")) {
                        problems.add("samples/hello took " + line + " from somewhere else than the staging repository");
                    }
                }
            }
        }
        for (String needed : List.of("cypclass-bom", "cypclass-objects", "cypclass-memory", "cypclass-processor")) {
            if (!Files.isDirectory(localRepository.resolve("org/cypclass").resolve(needed))) {
                problems.add("samples/hello's build did not resolve " + needed + " (BOM import, dependency or processor path)");
            }
        }

        List<String> javaLine = new ArrayList<>(List.of(readmeLines.get(1).split("\\s+")));
        javaLine.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Result ran = run(hello, Map.of(), javaLine.toArray(String[]::new));
        if (ran.status != 0 || !ran.output.replace("\r\n", "\n").contains("count: 42\nservice count: 3\nlive blocks: 0\n")) {
            problems.add("samples/hello, built and run by README's lines from the staging repository, did not run as expected"
                + " (status " + ran.status + "):\n" + ran.output.indent(4));
        }
    }

    /** The {@code mvn} and {@code java} lines of the sh block in README's "Use it in your project". */
    private List<String> readmeRunLines() throws IOException {
        String readme = Files.readString(root.resolve("README.md"));
        int section = readme.indexOf("\n## Use it in your project\n");
        int block = readme.indexOf("```sh\n", section);
        int end = readme.indexOf("```", block + 5);
        if (section < 0 || block < 0 || end < 0) {
            throw new IllegalStateException("release-check: README has no sh block under 'Use it in your project'");
        }
        List<String> lines = readme.substring(block + 6, end).replace("\\\n", " ").lines().map(String::strip)
            .filter(l -> !l.isEmpty()).toList();
        if (lines.size() != 2 || !lines.get(0).startsWith("mvn ") || !lines.get(1).startsWith("java ")) {
            throw new IllegalStateException("release-check: README's run block should be one mvn line and one java line: " + lines);
        }
        return lines;
    }

    // ---- processes

    private record Result(int status, String output) {
    }

    private void step(String what) {
        System.err.printf("release-check: [%3d s] %s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds(), what);
    }

    private void maven(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        // The repository's own Maven (the wrapper pins it), as the launcher uses; else the PATH's.
        Path wrapper = root.resolve("mvnw");
        command.add(Files.isExecutable(wrapper) ? wrapper.toString() : "mvn");
        command.addAll(List.of("-B", "-ntp", "-q"));
        command.addAll(List.of(arguments));
        exec(directory, Map.of(), command.toArray(String[]::new));
    }

    /** Runs a command that must succeed; on failure prints its output and stops the check. */
    private void exec(Path directory, Map<String, String> environment, String... command) throws IOException, InterruptedException {
        Result result = run(directory, environment, command);
        if (result.status != 0) {
            System.err.println(result.output);
            throw new IllegalStateException("release-check: '" + String.join(" ", command) + "' failed with status " + result.status);
        }
    }

    private Result run(Path directory, Map<String, String> environment, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        // Maven and the sample run with this JDK whatever JAVA_HOME the caller had.
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("release-check: '" + String.join(" ", command) + "' did not end in 30 minutes");
        }
        return new Result(process.exitValue(), output);
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    // ---- files

    private String version;

    /** The artifactIds the BOM manages, in its order. */
    private List<String> bomArtifacts() {
        try {
            List<String> artifacts = new ArrayList<>();
            java.util.regex.Matcher managed = java.util.regex.Pattern.compile("<artifactId>(cypclass-[a-z-]+)</artifactId>")
                .matcher(Files.readString(root.resolve("bom/pom.xml")));
            while (managed.find()) {
                if (!managed.group(1).equals("cypclass-bom")) {
                    artifacts.add(managed.group(1));
                }
            }
            return List.copyOf(artifacts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reactor's version, from the BOM (which has no parent to inherit it from). */
    private String version() {
        if (version == null) {
            try {
                String bom = Files.readString(root.resolve("bom/pom.xml"));
                int start = bom.indexOf("<version>", bom.indexOf("<artifactId>cypclass-bom</artifactId>")) + "<version>".length();
                version = bom.substring(start, bom.indexOf("</version>", start)).strip();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return version;
    }

    /** The newest file of a deployed version ending in {@code suffix} (snapshots carry a timestamp per deploy). */
    private static Path newest(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.endsWith(suffix) && (suffix.startsWith("-") || !name.matches(".*-(sources|javadoc)\\.jar"));
            }).max(java.util.Comparator.comparing(Path::toString)).orElse(null);
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
