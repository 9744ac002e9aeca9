package io.cutover.runbook.state;

import io.cutover.core.error.Secrets;

import java.nio.file.Path;

/** The runbook's {@code state:}: a file, or a JDBC URL of a database that several operators' machines share. */
public sealed interface StateLocation {
    /** Opens the store of runbook {@code name}'s runs. */
    RunStore open(String name);

    /** A JSON file (see {@link StateFile}). */
    record File(Path path) implements StateLocation {
        @Override
        public RunStore open(String name) {
            return new FileStore(path, name);
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** A PostgreSQL, MariaDB or H2 database (see {@link DatabaseStore}). */
    record Database(String url) implements StateLocation {
        @Override
        public RunStore open(String name) {
            return new DatabaseStore(url, name);
        }

        @Override
        public String toString() {
            return Secrets.redact(url);
        }
    }
}
