package io.cutover.cli.redis;

import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;
import picocli.CommandLine.Option;

/** {@code --target URI}; the password may come from CUTOVER_TARGET_PASSWORD instead of the URI. */
public final class TargetOption {
    @Option(names = "--target", required = true, paramLabel = "URI",
            description = "Target Redis: redis://[user[:password]@]host[:port][/db] or rediss://… "
                    + "(password may come from CUTOVER_TARGET_PASSWORD).")
    String target;

    public RedisUri uri() {
        return RedisUri.parse(target, System.getenv("CUTOVER_TARGET_PASSWORD"), "--target");
    }

    @Option(names = "--target-cluster", description = "The target is a Redis Cluster (otherwise detected from INFO): "
            + "scan every primary, route keys by slot.")
    boolean cluster;

    public RedisEndpoint endpoint(TlsOption tls) {
        return endpoint(tls.options());
    }

    public RedisEndpoint endpoint(io.cutover.redis.connect.TlsOptions tls) {
        return new RedisEndpoint(uri(), "target", tls, cluster);
    }
}
