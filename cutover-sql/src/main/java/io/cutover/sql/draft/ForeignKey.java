package io.cutover.sql.draft;

import java.util.List;

/** A foreign key: {@code columns} of its table refer to {@code parentColumns} of {@code parentTable}. */
public record ForeignKey(List<String> columns, String parentTable, List<String> parentColumns) {
    public ForeignKey {
        columns = List.copyOf(columns);
        parentColumns = List.copyOf(parentColumns);
    }

    public boolean single() {
        return columns.size() == 1;
    }
}
