package dev.hostevents.bench;

import dev.hostevents.spi.Dialect;
import dev.hostevents.spi.IndexSpec;
import dev.hostevents.spi.LiveIndex;
import dev.hostevents.spi.MigrationLock;
import dev.hostevents.spi.PlanReport;
import dev.hostevents.spi.RenderContext;
import dev.hostevents.spi.RenderedStatement;
import dev.hostevents.spi.ServerInfo;
import dev.hostevents.spi.StatementBinder;
import dev.hostevents.spi.TieBreak;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.Condition;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.SortField;
import org.jooq.Table;

/**
 * A dialect exactly like the one it wraps except that {@link #reusePreparedStatements()} is on: the
 * proposed one-line change for the SQLite dialect, measured before it is made there. Delegates every
 * method explicitly (no reflection on the hot path); {@code StatementReuseDialectTest} fails when the
 * SPI gains a method this class does not forward.
 */
public final class StatementReuseDialect implements Dialect {
    private final Dialect delegate;

    /** Wraps {@code delegate}. */
    public StatementReuseDialect(Dialect delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public List<String> aliases() {
        return delegate.aliases();
    }

    @Override
    public boolean handles(ServerInfo a0) {
        return delegate.handles(a0);
    }

    @Override
    public int priority() {
        return delegate.priority();
    }

    @Override
    public SQLDialect sqlDialect(ServerInfo a0) {
        return delegate.sqlDialect(a0);
    }

    @Override
    public ServerInfo describe(Connection a0) throws SQLException {
        return delegate.describe(a0);
    }

    @Override
    public ServerInfo offlineServer(String a0, String a1) {
        return delegate.offlineServer(a0, a1);
    }

    @Override
    public DataType<?> createdAtType(ServerInfo a0) {
        return delegate.createdAtType(a0);
    }

    @Override
    public List<RenderedStatement> createEventsTable(RenderContext a0) {
        return delegate.createEventsTable(a0);
    }

    @Override
    public IndexSpec expectedIndex(IndexSpec a0, ServerInfo a1) {
        return delegate.expectedIndex(a0, a1);
    }

    @Override
    public String buildNote(IndexSpec a0, ServerInfo a1) {
        return delegate.buildNote(a0, a1);
    }

    @Override
    public List<RenderedStatement> createIndex(IndexSpec a0, RenderContext a1) {
        return delegate.createIndex(a0, a1);
    }

    @Override
    public List<RenderedStatement> dropIndex(IndexSpec a0, RenderContext a1) {
        return delegate.dropIndex(a0, a1);
    }

    @Override
    public List<LiveIndex> readIndexes(Connection a0, String a1) throws SQLException {
        return delegate.readIndexes(a0, a1);
    }

    @Override
    public boolean tableExists(Connection a0, String a1) throws SQLException {
        return delegate.tableExists(a0, a1);
    }

    @Override
    public List<String> advice(IndexSpec a0, LiveIndex a1, ServerInfo a2) {
        return delegate.advice(a0, a1, a2);
    }

    @Override
    public Optional<IndexSpec> indexBuiltByDesign(IndexSpec a0, String a1, ServerInfo a2) {
        return delegate.indexBuiltByDesign(a0, a1, a2);
    }

    @Override
    public boolean supportsTransactionalDdl() {
        return delegate.supportsTransactionalDdl();
    }

    @Override
    public MigrationLock acquireMigrationLock(Connection a0, DataSource a1, Duration a2) throws SQLException {
        return delegate.acquireMigrationLock(a0, a1, a2);
    }

    @Override
    public void beginRevision(Connection a0) throws SQLException {
        delegate.beginRevision(a0);
    }

    @Override
    public void commitRevision(Connection a0) throws SQLException {
        delegate.commitRevision(a0);
    }

    @Override
    public void rollbackRevision(Connection a0) throws SQLException {
        delegate.rollbackRevision(a0);
    }

    @Override
    public void beforeDdl(Connection a0, Duration a1) throws SQLException {
        delegate.beforeDdl(a0, a1);
    }

    @Override
    public void afterDdl(Connection a0) throws SQLException {
        delegate.afterDdl(a0);
    }

    @Override
    public boolean isLockTimeout(SQLException a0) {
        return delegate.isLockTimeout(a0);
    }

    @Override
    public boolean isUniqueViolation(SQLException a0) {
        return delegate.isUniqueViolation(a0);
    }

    @Override
    public List<SortField<?>> pageOrder(Field<Object> a0, Field<Object> a1, Field<Object> a2, TieBreak a3) {
        return delegate.pageOrder(a0, a1, a2, a3);
    }

    @Override
    public Table<?> pageQueryTable(Table<?> a0, String a1) {
        return delegate.pageQueryTable(a0, a1);
    }

    @Override
    public boolean isMissingIndex(SQLException a0) {
        return delegate.isMissingIndex(a0);
    }

    /** The point of this class: reuse page statements, whatever the wrapped dialect says. */
    @Override
    public boolean reusePreparedStatements() {
        return true;
    }

    @Override
    public TieBreak tieBreak(ServerInfo a0) {
        return delegate.tieBreak(a0);
    }

    @Override
    public Condition keysetAfter(Field<Object> a0, Field<Object> a1, Field<Object> a2, Field<Object> a3, TieBreak a4) {
        return delegate.keysetAfter(a0, a1, a2, a3, a4);
    }

    @Override
    public void bindCreatedAt(PreparedStatement a0, int a1, Instant a2) throws SQLException {
        delegate.bindCreatedAt(a0, a1, a2);
    }

    @Override
    public Instant readCreatedAt(ResultSet a0, int a1, long a2) throws SQLException {
        return delegate.readCreatedAt(a0, a1, a2);
    }

    @Override
    public PreparedStatement prepareInsert(Connection a0, String a1) throws SQLException {
        return delegate.prepareInsert(a0, a1);
    }

    @Override
    public PlanReport explain(Connection a0, String a1, StatementBinder a2, String a3) throws SQLException {
        return delegate.explain(a0, a1, a2, a3);
    }
}
