package io.cutover.cli.redis;

import io.cutover.cli.Cutover;
import io.cutover.core.output.Json;
import io.cutover.core.output.OutputFormat;
import io.cutover.core.progress.Progress;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.inventory.Inventory;
import io.cutover.redis.inventory.InventoryOptions;
import io.cutover.redis.inventory.KeyspaceInventory;
import io.cutover.redis.select.KeySelection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cutover redis inventory}: what a keyspace holds, per database and key prefix. */
@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = "What a keyspace holds: keys, bytes, types and TTLs per database and key prefix, the biggest "
                + "keys, and what a target holding only the selected keys would need.")
public final class InventoryCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    SourceOption source;

    @Mixin
    TlsOption tls;

    @Option(names = "--delimiter", defaultValue = ":", description = "Separates the parts of key names (default: ${DEFAULT-VALUE}).")
    String delimiter;

    @Option(names = "--depth", defaultValue = "1", description = "Key parts that form a prefix (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--include", paramLabel = "GLOB", description = "Keys a target would keep (repeatable); adds the 'selected' line.")
    List<String> includes;

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Keys a target would leave out (repeatable).")
    List<String> excludes;

    @Option(names = "--top", defaultValue = "10", description = "Biggest keys to list (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--batch", defaultValue = "1000", description = "Keys per SCAN batch and round trip (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        OutputFormat f = OutputFormat.parse(format);
        InventoryOptions options = new InventoryOptions(delimiter, depth, KeySelection.of(includes, excludes), top, batch);
        try (RedisEndpoint endpoint = source.endpoint(tls);
             Progress progress = f == OutputFormat.TABLE ? Cutover.progress(spec, "inventory", 0) : Progress.silent()) {
            Inventory inventory = new KeyspaceInventory(endpoint, options, progress).run();
            progress.close();
            PrintWriter out = spec.commandLine().getOut();
            out.print(f == OutputFormat.JSON ? Json.write(inventory) + "\n" : inventory.table());
            out.flush();
        }
        return 0;
    }
}
