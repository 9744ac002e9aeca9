package io.cutover.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The command's logging, set up in code rather than from a logback.xml: reading XML loads the JDK's XML parser
 * and logback's configuration machinery, about a tenth of a second of every start. Libraries (Lettuce, Netty,
 * Jetty, Hikari) stay quiet and commands print their own results; {@code CUTOVER_LOG_LEVEL} (default WARN) and
 * {@code CUTOVER_LIB_LOG_LEVEL} (default ERROR) raise the levels, to standard error.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0}: %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> err = new ConsoleAppender<>();
        err.setContext(context);
        err.setName("ERR");
        err.setTarget("System.err");
        err.setEncoder(encoder);
        err.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level("CUTOVER_LIB_LOG_LEVEL", Level.ERROR));
        root.addAppender(err);
        context.getLogger("io.cutover").setLevel(level("CUTOVER_LOG_LEVEL", Level.WARN));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static Level level(String variable, Level otherwise) {
        String v = System.getenv(variable);
        return v == null || v.isBlank() ? otherwise : Level.toLevel(v.trim(), otherwise);
    }
}
