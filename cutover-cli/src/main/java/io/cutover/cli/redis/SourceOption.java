package io.cutover.cli.redis;

import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;
import picocli.CommandLine.Option;

/** {@code --source URI}; the password may come from CUTOVER_SOURCE_PASSWORD instead of the URI. */
public final class SourceOption {
    @Option(names = "--source", required = true, paramLabel = "URI",
            description = "Source Redis: redis://[user[:password]@]host[:port][/db] or rediss://… "
                    + "(password may come from CUTOVER_SOURCE_PASSWORD).")
    String source;

    public RedisUri uri() {
        return RedisUri.parse(source, System.getenv("CUTOVER_SOURCE_PASSWORD"), "--source");
    }

    @Option(names = "--source-cluster", description = "The source is a Redis Cluster (otherwise detected from INFO): "
            + "scan every primary, route keys by slot.")
    boolean cluster;

    public RedisEndpoint endpoint(TlsOption tls) {
        return endpoint(tls.options());
    }

    public RedisEndpoint endpoint(io.cutover.redis.connect.TlsOptions tls) {
        return new RedisEndpoint(uri(), "source", tls, cluster);
    }
}
