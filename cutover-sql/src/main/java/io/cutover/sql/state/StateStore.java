package io.cutover.sql.state;

import io.cutover.core.error.CutoverException;
import io.cutover.sql.db.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;

/**
 * The coordination state kept in the target database, so that any process can pick up where another stopped: the
 * run history ({@link RunHistory}), each step's migration log ({@link MigrationLog}) and the rows still outstanding
 * ({@link OutstandingRows}).
 */
public final class StateStore {
    private final Database target;
    private final RunHistory history;
    private final MigrationLog log;
    private final SharedRuns shared;

    public StateStore(Database target) {
        this.target = target;
        this.history = new RunHistory(target);
        this.log = new MigrationLog(target);
        this.shared = new SharedRuns(target);
    }

    public Database database() {
        return target;
    }

    public RunHistory history() {
        return history;
    }

    public MigrationLog log() {
        return log;
    }

    /** Runs shared by several workers and their units. */
    public SharedRuns shared() {
        return shared;
    }

    /**
     * Creates the state tables, and each step's migration log, when they are missing; moves a log kept in the
     * single-table layout of earlier versions into the per-step tables.
     */
    public void ensure(Collection<StepKeys> steps) {
        for (StepKeys s : steps) {
            log.requireKeysFit(s);
        }
        try (Connection c = target.connection(); Statement st = c.createStatement()) {
            history.ensure(st);
            outstanding().ensure(st, target.dialect());
            log.ensure(st, steps);
            shared.ensure(st);
        } catch (SQLException e) {
            throw target.failure("creating the state tables", e);
        }
        new SingleTableLog(target).moveInto(steps, log);
    }

    /** The rows not migrated now (see {@link OutstandingRows}). */
    public OutstandingRows outstanding() {
        return new OutstandingRows(target);
    }

    /** Whether the state tables exist (read-only commands say "no runs yet" otherwise). */
    public boolean exists() {
        return history.exists();
    }
}
