package io.cutover.sql.draft;

import java.util.List;
import java.util.Optional;

/** A table of one side's catalog: its columns in order, its primary key and its foreign keys. */
public record Table(String name, List<Column> columns, List<String> primaryKey, List<ForeignKey> foreignKeys) {
    public Table {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        foreignKeys = List.copyOf(foreignKeys);
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The single-column foreign key on {@code column}, if any. */
    public Optional<ForeignKey> foreignKeyOn(String column) {
        return foreignKeys.stream().filter(f -> f.single() && f.columns().get(0).equals(column)).findFirst();
    }
}
