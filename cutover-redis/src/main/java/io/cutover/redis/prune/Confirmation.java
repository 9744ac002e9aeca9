package io.cutover.redis.prune;

/** Asks whoever runs a prune whether to go ahead; the CLI asks on the terminal, library callers decide in code. */
@FunctionalInterface
public interface Confirmation {
    /** True to go ahead with what {@code question} describes. */
    boolean confirm(String question);

    /** Always yes ({@code --yes}). */
    static Confirmation yes() {
        return q -> true;
    }
}
