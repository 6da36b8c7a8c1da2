package dev.hostevents.cli;

import dev.hostevents.HostEventsException;
import dev.hostevents.ValidationException;
import dev.hostevents.dialect.sqlite.SqliteDataSources;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Locale;
import java.util.Properties;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.sqlite.SQLiteDataSource;

/**
 * Data sources for a JDBC URL given on the command line. A command opens a connection or two and
 * exits, so there is no pool: each {@code getConnection()} opens a new connection.
 */
final class JdbcDataSources {
    private static final String SQLITE = "jdbc:sqlite:";
    private static final String H2 = "jdbc:h2:";
    /** What an H2 URL must not hold: each makes H2 run SQL, or Java code compiled from the URL, when it connects. */
    static final String H2_CODE_RULE = "must not contain INIT, RUNSCRIPT or CREATE ALIAS: an H2 URL with them runs code when it connects";
    private static final Pattern PERCENT_ESCAPE = Pattern.compile("%([0-9A-Fa-f]{2})");
    private static final Pattern SQL_COMMENT = Pattern.compile("/\\*.*?\\*/|--[^\\n]*", Pattern.DOTALL);
    /** The URL prefixes the tool has a driver for, for the error message. */
    static final String SUPPORTED = "jdbc:sqlite:, jdbc:postgresql:, jdbc:mysql:, jdbc:mariadb:, jdbc:h2:";

    private JdbcDataSources() {
    }

    /**
     * A data source for the URL; {@code user} and {@code password} may be {@code null}. A SQLite file
     * URL ({@code jdbc:sqlite:<path>}) gets the SQLite dialect's recommended configuration, its
     * relative path resolved against {@code workingDirectory}.
     *
     * @param mayCreate whether a SQLite file URL may name a file that does not exist (the driver would
     *     create it empty); when false such a URL fails here, before anything connects
     */
    static DataSource forUrl(String url, String user, String password, Path workingDirectory, boolean mayCreate) {
        if (url.regionMatches(true, 0, H2, 0, H2.length())) {
            refuseCodeRunningSettings(url);
        }
        if (url.startsWith(SQLITE)) {
            String rest = url.substring(SQLITE.length());
            boolean plainFile = !rest.isEmpty() && rest.indexOf('?') < 0 && !rest.startsWith(":") && !rest.startsWith("file:");
            if (plainFile) {
                Path file = workingDirectory.resolve(rest).toAbsolutePath().normalize();
                if (!mayCreate && !Files.exists(file)) {
                    throw new HostEventsException("no database at " + file);
                }
                return SqliteDataSources.file(file);
            }
            // In-memory, URI file names and URL parameters: as the driver reads them.
            SQLiteDataSource sqlite = new SQLiteDataSource(SqliteDataSources.recommendedConfig());
            sqlite.setUrl(url);
            return sqlite;
        }
        return new DriverManagerDataSource(url, user, password);
    }

    /**
     * Refuses an H2 URL whose {@code INIT} setting would run SQL on connect ({@code RUNSCRIPT FROM
     * 'http://…'}, {@code CREATE ALIAS} with Java source). The URL is read as loosely as anything
     * that could still reach H2: case folded, percent escapes decoded, and spaces, backslash escapes
     * and SQL comments removed, so {@code ;init = run\script}, {@code %49NIT=} and
     * {@code CREATE/**}{@code /ALIAS} are refused too. The value itself is never quoted back.
     *
     * @throws ValidationException naming {@code url}
     */
    static void refuseCodeRunningSettings(String url) {
        String text = url;
        for (int round = 0; round < 3; round++) {
            String decoded = PERCENT_ESCAPE.matcher(text).replaceAll(
                    m -> Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
            if (decoded.equals(text)) {
                break;
            }
            text = decoded;
        }
        text = SQL_COMMENT.matcher(text).replaceAll("");
        StringBuilder squeezed = new StringBuilder(text.length());
        text.codePoints().filter(cp -> !Character.isWhitespace(cp) && !Character.isSpaceChar(cp) && !Character.isISOControl(cp)
                && cp != '\\').forEach(squeezed::appendCodePoint);
        String folded = squeezed.toString().toUpperCase(Locale.ROOT);
        if (folded.contains("INIT=") || folded.contains("RUNSCRIPT") || folded.contains("CREATEALIAS")) {
            throw new ValidationException("url", H2_CODE_RULE);
        }
    }

    /** {@link DriverManager} behind the {@link DataSource} interface. */
    static final class DriverManagerDataSource implements DataSource {
        private final String url;
        private final Properties properties = new Properties();

        DriverManagerDataSource(String url, String user, String password) {
            this.url = url;
            if (user != null) {
                properties.setProperty("user", user);
            }
            if (password != null) {
                properties.setProperty("password", password);
            }
        }

        @Override
        public Connection getConnection() throws SQLException {
            try {
                DriverManager.getDriver(url);
            } catch (SQLException e) {
                // DriverManager's own message repeats the URL, which may carry a password.
                throw new SQLException("no JDBC driver in this tool accepts the --url (supported: " + SUPPORTED + ")", "08001");
            }
            return DriverManager.getConnection(url, properties);
        }

        @Override
        public Connection getConnection(String username, String pass) throws SQLException {
            Properties p = new Properties();
            p.putAll(properties);
            p.setProperty("user", username);
            p.setProperty("password", pass);
            return DriverManager.getConnection(url, p);
        }

        @Override
        public PrintWriter getLogWriter() {
            return DriverManager.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            DriverManager.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) {
            DriverManager.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() {
            return DriverManager.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException("no parent logger");
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            if (iface.isInstance(this)) {
                return iface.cast(this);
            }
            throw new SQLException("not a wrapper of " + iface.getName());
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return iface.isInstance(this);
        }

        @Override
        public String toString() {
            return "DriverManagerDataSource";
        }
    }
}
