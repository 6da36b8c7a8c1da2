package dev.hostevents.cli;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tool's log levels, set before the first logger exists, so that a failed command prints its one
 * {@code error:} line and nothing else. The drivers log what the tool already reports, and worse:
 * MariaDB Connector/J logs every server error at WARN, host codes and all ({@code Duplicate entry
 * 'host_…'}); pgjdbc warns through {@code java.util.logging} in two lines and logs bound values at
 * FINE; sqlite-jdbc logs ERROR with stack traces (about 90 lines) when it cannot unpack its native
 * library; jOOQ's DEBUG renders statements with their values. So they are off, with or without
 * {@code --verbose}: the error line and the {@code --verbose} trace carry the driver's message, with
 * secrets removed.
 *
 * <p>The library's own logger ({@code dev.hostevents}, see {@code docs/logging.md}) logs at WARN, and at
 * INFO with {@code --verbose}. A level the user set with {@code -D} (slf4j-simple's
 * {@code org.slf4j.simpleLogger.log.<name>}) wins, and so does a {@code java.util.logging} configuration
 * named by {@code -Djava.util.logging.config.file}: that is how to see a driver's log when debugging.
 */
final class ToolLogging {
    private static final String SIMPLE_LOGGER = "org.slf4j.simpleLogger.";
    /** SLF4J loggers of the drivers and jOOQ in the jar. */
    private static final List<String> QUIET_SLF4J = List.of("org.mariadb.jdbc", "org.sqlite", "org.jooq", "com.mysql");
    /** Drivers that log through java.util.logging: pgjdbc always, MariaDB and sqlite-jdbc when SLF4J is missing. */
    private static final List<String> QUIET_JUL = List.of("org.postgresql", "org.mariadb.jdbc", "org.sqlite");
    /** java.util.logging keeps loggers weakly: a level set on a logger nobody holds is lost with it. */
    private static final List<Logger> HELD = QUIET_JUL.stream().map(Logger::getLogger).toList();

    private ToolLogging() {
    }

    /**
     * Quiets the drivers and jOOQ, and sets the library's level: INFO when {@code verbose}, WARN
     * otherwise. Only the first call sets anything: slf4j-simple reads its levels once.
     */
    static synchronized void configure(boolean verbose) {
        // jOOQ prints a banner and tips through the logger; a tool's output is a contract.
        setIfAbsent("org.jooq.no-logo", "true");
        setIfAbsent("org.jooq.no-tips", "true");
        setIfAbsent(SIMPLE_LOGGER + "defaultLogLevel", "warn");
        setIfAbsent(SIMPLE_LOGGER + "logFile", "System.err");
        setIfAbsent(SIMPLE_LOGGER + "log.dev.hostevents", verbose ? "info" : "warn");
        for (String name : QUIET_SLF4J) {
            setIfAbsent(SIMPLE_LOGGER + "log." + name, "off");
        }
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null) {
            HELD.forEach(l -> l.setLevel(Level.OFF));
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
