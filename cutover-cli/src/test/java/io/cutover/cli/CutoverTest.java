package io.cutover.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CutoverTest {
    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cutover.execute(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryPart() {
        Result r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("redis", "sql", "router", "demo");
    }

    @Test
    void versionPrints() {
        Result r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("cutover ");
    }

    @Test
    void unknownFlagIsOneLineAndExitTwo() {
        Result r = run("--frobnicate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("cutover: Unknown option: '--frobnicate' (see 'cutover --help')");
    }

    @Test
    void unknownCommandIsExitTwo() {
        Result r = run("mongo", "copy");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("mongo").doesNotContain("\tat ");
    }

    @Test
    void unknownDemoActIsExitTwo() {
        Result r = run("demo", "--act", "kafka");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("cutover: --act: unknown act 'kafka' (redis, sql, router, runbook)");
    }

    @Test
    void helpListsEveryPartInOrderWithHelpLast() {
        Result r = run("--help");
        String commands = r.out().substring(r.out().indexOf("Commands:"));
        assertThat(commands).containsSubsequence("redis", "sql", "router", "demo", "help");
    }

    @Test
    void aGroupBuiltAloneStillParsesAndExplains() {
        Result sql = run("sql", "--help");
        assertThat(sql.exit()).isZero();
        assertThat(sql.out()).contains("migrate", "verify", "estimate");
        Result help = run("help", "router");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("check", "run");
        Result wrong = run("sql", "migrat");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).contains("migrat").contains("cutover sql --help");
    }

    @Test
    void loggingIsSetUpInCodeQuietByDefault() {
        Logger ours = LoggerFactory.getLogger("io.cutover.anything");
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        // without the configurator logback would fall back to DEBUG for everything
        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.ERROR);
        assertThat(ours.isWarnEnabled()).isTrue();
        assertThat(ours.isInfoEnabled()).isFalse();
        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("ERR")).isNotNull();
    }
}
