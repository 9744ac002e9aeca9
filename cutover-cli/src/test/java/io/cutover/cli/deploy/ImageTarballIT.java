package io.cutover.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The standalone image that `mvn verify` builds (target/cutover-standalone-image.tar, docker-save format): its
 * manifest and config, its layers unpacked into a root file system, and its entry point run in that root as the
 * image's user, the way a container runtime would run it.
 */
class ImageTarballIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION = System.getProperty("cutover.version");
    @TempDir
    static Path work;
    static JsonNode manifest;
    static JsonNode config;
    static Path rootfs;

    @BeforeAll
    static void unpack() throws Exception {
        // set by Failsafe, which runs this after the image is built; a -Dtest pattern may hand it to Surefire before
        assumeTrue(System.getProperty("cutover.image.tar") != null, "the image is tested by Failsafe in `mvn verify`");
        Path tar = Path.of(System.getProperty("cutover.image.tar"));
        assertThat(tar).isRegularFile();
        Path image = Files.createDirectory(work.resolve("image"));
        untar(List.of("-xf", tar.toString(), "-C", image.toString()));
        JsonNode manifests = JSON.readTree(image.resolve("manifest.json").toFile());
        assertThat(manifests).hasSize(1);
        manifest = manifests.get(0);
        config = JSON.readTree(image.resolve(manifest.path("Config").asText()).toFile());
        rootfs = Files.createDirectory(work.resolve("rootfs"));
        for (JsonNode layer : manifest.path("Layers")) {
            untar(List.of("--warning=no-unknown-keyword", "-xzf", image.resolve(layer.asText()).toString(), "-C", rootfs.toString()));
        }
    }

    @Test
    void manifestNamesTheImageAndItsLayers() {
        assertThat(manifest.path("RepoTags").get(0).asText()).isEqualTo("cutover:" + VERSION + "-standalone");
        assertThat(manifest.path("Layers").size()).isGreaterThanOrEqualTo(4).isEqualTo(config.path("rootfs").path("diff_ids").size());
        assertThat(config.path("os").asText()).isEqualTo("linux");
    }

    @Test
    void entryPointIsTheCutoverCommand() {
        JsonNode c = config.path("config");
        assertThat(strings(c.path("Entrypoint"))).containsExactly("java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError",
                "-cp", "@/app/jib-classpath-file", "io.cutover.cli.Cutover");
        assertThat(c.path("Cmd").isMissingNode() || c.path("Cmd").isNull() || c.path("Cmd").isEmpty()).isTrue();
        assertThat(c.path("User").asText()).isEqualTo("65532:65532");
        assertThat(strings(c.path("Env"))).contains("PATH=/opt/java/bin:/usr/bin:/bin");
        assertThat(c.path("Labels").path("org.opencontainers.image.version").asText()).isEqualTo(VERSION);
    }

    @Test
    void layersCarryEveryCutoverModuleAndAJavaRuntime() throws IOException {
        for (String module : List.of("core", "redis", "sql", "router", "runbook", "demo", "testkit")) {
            assertThat(rootfs.resolve("app/libs/cutover-" + module + "-" + VERSION + ".jar")).isRegularFile();
        }
        assertThat(rootfs.resolve("app/classes/io/cutover/cli/Cutover.class")).isRegularFile();
        assertThat(rootfs.resolve("app/resources/io/cutover/cli/version.txt")).content().isEqualTo(VERSION + "\n");
        for (String entry : Files.readString(rootfs.resolve("app/jib-classpath-file")).strip().split(":")) {
            assertThat(rootfs.resolve(entry.substring(1))).as("classpath entry %s", entry).exists();
        }
        assertThat(Files.getPosixFilePermissions(rootfs.resolve("opt/java/bin/java"))).contains(PosixFilePermission.OTHERS_EXECUTE);
        assertThat(Files.getPosixFilePermissions(rootfs.resolve("opt/java/lib/jspawnhelper"))).contains(PosixFilePermission.OTHERS_EXECUTE);
        assertThat(Files.getPosixFilePermissions(rootfs.resolve("tmp"))).contains(PosixFilePermission.OTHERS_WRITE);
        assertThat(rootfs.resolve("lib64/ld-linux-x86-64.so.2")).isRegularFile();
    }

    @Test
    void entryPointPrintsTheVersion() throws Exception {
        Result r = runEntryPoint("--version");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output().strip()).isEqualTo("cutover " + VERSION);
    }

    @Test
    void badUsageInsideTheImageIsOneLineAndExitTwo() throws Exception {
        Result r = runEntryPoint("sql", "migrate", "--until", "2024-02-01");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output().strip()).startsWith("cutover: Missing required option: '--plan=FILE'").doesNotContain("\n");
    }

    /** The sql act of the demo migrates three windows on embedded H2: JDBC, the plan, writes to /tmp as user 65532. */
    @Test
    void sqlDemoRunsInsideTheImage() throws Exception {
        Result r = runEntryPoint("demo", "--act", "sql");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("3 window(s) done", "no outstanding rows");
    }

    record Result(int exit, String output) {
    }

    /**
     * Runs the entry point with the image's environment, working directory and user, in the unpacked root file
     * system with the host's /dev and a fresh /proc, as a container runtime does: an outer user namespace (root
     * there) mounts them, an inner one maps the image's user and changes root (util-linux unshare).
     */
    private static Result runEntryPoint(String... args) throws Exception {
        assumeTrue(canUnshare(), "unshare cannot make a user namespace here (util-linux missing, or user namespaces"
                + " disabled): the image's entry point was not run");
        JsonNode c = config.path("config");
        String[] user = c.path("User").asText().split(":");
        List<String> command = new ArrayList<>(List.of("unshare", "--user", "--map-root-user", "--mount", "--pid", "--fork",
                "sh", "-c", "mount --rbind /dev \"$0/dev\" && mount -t proc proc \"$0/proc\" && exec unshare --user"
                        + " --map-user=" + user[0] + " --map-group=" + user[1] + " --root=\"$0\" --wd=" + c.path("WorkingDir").asText("/") + " \"$@\"",
                rootfs.toString()));
        command.addAll(strings(c.path("Entrypoint")));
        command.addAll(List.of(args));
        Map<String, String> env = new HashMap<>();
        for (String e : strings(c.path("Env"))) {
            env.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        }
        return run(command, env);
    }

    private static boolean canUnshare() throws Exception {
        try {
            return run(new ProcessBuilder("unshare", "--user", "--map-root-user", "--mount", "true")).exit() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void untar(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tar"));
        command.addAll(args);
        Result r = run(new ProcessBuilder(command));
        assertThat(r.exit()).as(command + ": " + r.output()).isZero();
    }

    /** Runs {@code command} with exactly {@code env}: the image's PATH finds the entry point inside the root. */
    private static Result run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        return run(pb);
    }

    private static Result run(ProcessBuilder pb) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static List<String> strings(JsonNode array) {
        List<String> s = new ArrayList<>();
        array.forEach(n -> s.add(n.asText()));
        return s;
    }
}
