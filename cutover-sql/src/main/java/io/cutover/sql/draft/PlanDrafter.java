package io.cutover.sql.draft;

import io.cutover.core.error.CutoverException;
import io.cutover.sql.db.Database;
import io.cutover.sql.plan.Endpoint;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Drafts a plan from two live databases: reads both catalogs and matches them (see {@link Drafter}).
 * Reads only; an unreachable database or a wrong password fails as {@link Database#open} reports it.
 */
public final class PlanDrafter {
    private PlanDrafter() {
    }

    /** The draft of a plan from {@code source} to {@code target}; a usage error when no table matches. */
    public static Draft draft(Endpoint source, Endpoint target) {
        Catalog src = read("source", source);
        Catalog tgt = withoutState(read("target", target));
        if (src.tables().isEmpty()) {
            throw CutoverException.usage("the source has no tables in its current schema (" + url(source) + ")");
        }
        if (tgt.tables().isEmpty()) {
            throw CutoverException.usage("the target has no tables in its current schema (" + url(target) + "): create its schema first");
        }
        Drafter.Result r = new Drafter(src, tgt).draft();
        if (r.matchedTables() == 0) {
            throw CutoverException.usage("no target table has the name of a source table (source: " + src.tables().size()
                    + " tables, target: " + tgt.tables().size() + "); nothing to draft");
        }
        return new Draft(source, target, r.steps(), r.remarks(), src.tables().size(), tgt.tables().size());
    }

    private static Catalog read(String role, Endpoint endpoint) {
        try (Database db = Database.open(role, endpoint, 1); Connection c = db.connection()) {
            return Catalog.read(c, role);
        } catch (SQLException e) {
            throw CutoverException.runtime(role + " database: reading its catalog: "
                    + io.cutover.core.error.Secrets.redact(String.valueOf(e.getMessage()), endpoint.password()).replaceAll("\\s+", " "), e);
        }
    }

    /** The target's tables without cutover's own (a target already migrated to holds its migration state). */
    private static Catalog withoutState(Catalog c) {
        return new Catalog(c.tables().stream().filter(t -> !t.name().toLowerCase(java.util.Locale.ROOT).startsWith("cutover_"))
                .toList(), c.names());
    }

    private static String url(Endpoint e) {
        return PlanWriter.withoutPassword(e.url()).replaceAll("[?;].*", "");
    }
}
