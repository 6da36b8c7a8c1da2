package dev.hostevents;

import java.sql.BatchUpdateException;
import java.sql.SQLClientInfoException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.sql.SQLWarning;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Copies of a cause chain with every host code masked ({@link HostCodes#maskAll}). A
 * {@link SQLException} stays an {@code SQLException} (message masked, SQLState and vendor code kept);
 * any other throwable becomes a {@link Masked} that names the original class. Stack traces, causes,
 * suppressed exceptions and {@link SQLException#getNextException() next exceptions} are copied too.
 * Our own exceptions pass as they are: their messages never hold a code.
 */
final class MaskedCause {
    private static final int MAX_DEPTH = 32;

    private MaskedCause() {
    }

    static Throwable of(Throwable cause) {
        return copy(cause, new IdentityHashMap<>(), 0);
    }

    private static Throwable copy(Throwable t, Map<Throwable, Throwable> done, int depth) {
        if (t == null || t instanceof HostEventsException || t instanceof Masked) {
            return t;
        }
        Throwable seen = done.get(t);
        if (seen != null) {
            return seen;
        }
        Throwable out;
        if (t instanceof SQLException sql) {
            out = sqlCopy(sql, HostCodes.maskAll(sql.getMessage()));
        } else {
            out = new Masked(t.getClass().getName() + (t.getMessage() == null ? "" : ": " + HostCodes.maskAll(t.getMessage())));
        }
        done.put(t, out);
        out.setStackTrace(t.getStackTrace());
        if (depth < MAX_DEPTH) {
            Throwable cause = t.getCause();
            if (cause != null && cause != t && out.getCause() == null) {
                out.initCause(copy(cause, done, depth + 1));
            }
            for (Throwable s : t.getSuppressed()) {
                out.addSuppressed(copy(s, done, depth + 1));
            }
            if (t instanceof SQLException sql && sql.getNextException() != null && sql.getNextException() != sql.getCause()) {
                Throwable next = copy(sql.getNextException(), done, depth + 1);
                if (next instanceof SQLException n) {
                    ((SQLException) out).setNextException(n);
                }
            }
        }
        return out;
    }

    /**
     * A copy of the driver's exception as the nearest {@code java.sql} type, so that a caller's
     * {@code instanceof SQLTransientException} (or a pool's retry logic) still sees what it saw before.
     * Driver classes ({@code PSQLException}, {@code SQLiteException}) are not kept: their extra fields
     * (PostgreSQL's {@code ServerErrorMessage} with its {@code detail}) hold the row's values.
     */
    private static SQLException sqlCopy(SQLException e, String message) {
        String state = e.getSQLState();
        int code = e.getErrorCode();
        if (e instanceof BatchUpdateException b) {
            return new BatchUpdateException(message, state, code, b.getUpdateCounts());
        }
        if (e instanceof SQLWarning) {
            return new SQLWarning(message, state, code);
        }
        if (e instanceof SQLTransientConnectionException) {
            return new SQLTransientConnectionException(message, state, code);
        }
        if (e instanceof SQLTransactionRollbackException) {
            return new SQLTransactionRollbackException(message, state, code);
        }
        if (e instanceof SQLTimeoutException) {
            return new SQLTimeoutException(message, state, code);
        }
        if (e instanceof SQLTransientException) {
            return new SQLTransientException(message, state, code);
        }
        if (e instanceof SQLNonTransientConnectionException) {
            return new SQLNonTransientConnectionException(message, state, code);
        }
        if (e instanceof SQLIntegrityConstraintViolationException) {
            return new SQLIntegrityConstraintViolationException(message, state, code);
        }
        if (e instanceof SQLSyntaxErrorException) {
            return new SQLSyntaxErrorException(message, state, code);
        }
        if (e instanceof SQLDataException) {
            return new SQLDataException(message, state, code);
        }
        if (e instanceof SQLFeatureNotSupportedException) {
            return new SQLFeatureNotSupportedException(message, state, code);
        }
        if (e instanceof SQLInvalidAuthorizationSpecException) {
            return new SQLInvalidAuthorizationSpecException(message, state, code);
        }
        if (e instanceof SQLNonTransientException) {
            return new SQLNonTransientException(message, state, code);
        }
        if (e instanceof SQLRecoverableException) {
            return new SQLRecoverableException(message, state, code);
        }
        if (e instanceof SQLClientInfoException) {
            return new SQLClientInfoException(message, state, code, null);
        }
        return new SQLException(message, state, code);
    }

    /** A non-SQL cause, copied with its class name in the message and every host code masked. */
    static final class Masked extends Exception {
        private static final long serialVersionUID = 1L;

        Masked(String message) {
            super(message, null, true, true);
        }
    }
}
