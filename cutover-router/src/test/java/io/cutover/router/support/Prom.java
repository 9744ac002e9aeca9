package io.cutover.router.support;

/** Reads a sample from Prometheus text: the line starting with the name whose labels include all given ones. */
public final class Prom {
    private Prom() {
    }

    /**
     * {@code query} is {@code name} or {@code name{a="x",b="y"}}; label order does not matter.
     * Returns NaN when no line matches.
     */
    public static double value(String scrape, String query) {
        String name = query.contains("{") ? query.substring(0, query.indexOf('{')) : query;
        String[] labels = query.contains("{")
                ? query.substring(query.indexOf('{') + 1, query.lastIndexOf('}')).split(",") : new String[0];
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                if (!l.isBlank() && !line.contains(l.trim())) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }
}
