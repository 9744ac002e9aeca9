package io.cutover.sql.plan;

import com.fasterxml.jackson.annotation.JsonFormat;

import java.util.List;

/**
 * A foreign key translated through the migration log: source column(s) {@code from} hold a key of {@code step}.
 *
 * @param from     the source column, or columns of a composite key (their text joined by {@code :})
 * @param into     the target columns the parent's (composite) target key is written into, part by part; without it
 *                 the ref's name is the one target column
 * @param deferred true to write the column NULL first and fill it in a second pass once the run's rows are in (a
 *                 self-reference, and a ref closing a cycle, are deferred without it)
 */
public record Ref(@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> from, String step,
                  @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> into, Boolean deferred) {
    public Ref {
        from = from == null ? List.of() : List.copyOf(from);
        into = into == null ? List.of() : List.copyOf(into);
    }

    public Ref(String from, String step) {
        this(List.of(from), step, null, null);
    }

    /** The source column(s) as written in messages: {@code user_id}, or {@code a:b}. */
    public String source() {
        return String.join(Step.KEY_SEPARATOR, from);
    }

    /** The target columns of a ref named {@code name}: its {@code into}, or the name itself. */
    public List<String> targetColumns(String name) {
        return into.isEmpty() ? List.of(name) : into;
    }

    /** Whether the plan asks for it to be deferred. */
    public boolean deferredByPlan() {
        return Boolean.TRUE.equals(deferred);
    }
}
