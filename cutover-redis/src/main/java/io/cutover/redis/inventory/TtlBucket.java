package io.cutover.redis.inventory;

/** How long a key has left to live, in the buckets the inventory reports. */
public enum TtlBucket {
    NONE("none", "none"), UNDER_1H("lt_1h", "<1h"), UNDER_1D("lt_1d", "<1d"), UNDER_7D("lt_7d", "<7d"),
    LONGER("longer", "longer");

    private final String jsonName;
    private final String label;

    TtlBucket(String jsonName, String label) {
        this.jsonName = jsonName;
        this.label = label;
    }

    /** The bucket of a PTTL reply (-1: no expiry). */
    public static TtlBucket of(long pttlMillis) {
        if (pttlMillis < 0) {
            return NONE;
        }
        if (pttlMillis < 3_600_000L) {
            return UNDER_1H;
        }
        if (pttlMillis < 86_400_000L) {
            return UNDER_1D;
        }
        if (pttlMillis < 7 * 86_400_000L) {
            return UNDER_7D;
        }
        return LONGER;
    }

    /** Field name in JSON output. */
    public String jsonName() {
        return jsonName;
    }

    /** Column label in table output. */
    public String label() {
        return label;
    }
}
