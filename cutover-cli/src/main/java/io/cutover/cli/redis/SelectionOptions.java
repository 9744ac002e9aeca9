package io.cutover.cli.redis;

import io.cutover.redis.select.DbMapping;
import io.cutover.redis.select.KeySelection;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code --include}, {@code --exclude} and {@code --db-map}, shared by copy and verify. */
public final class SelectionOptions {
    @Option(names = "--include", paramLabel = "GLOB", description = "Only keys matching this Redis glob (repeatable).")
    List<String> includes;

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave out keys matching this Redis glob (repeatable).")
    List<String> excludes;

    @Option(names = "--db-map", paramLabel = "SRC:DST[:prefix=P]",
            description = "Copy source database SRC into target database DST, optionally prefixing keys (repeatable).")
    List<String> dbMap;

    public KeySelection selection() {
        return KeySelection.of(includes, excludes);
    }

    public DbMapping dbMapping() {
        return DbMapping.parse(dbMap);
    }
}
