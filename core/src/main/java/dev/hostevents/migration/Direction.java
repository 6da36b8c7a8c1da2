package dev.hostevents.migration;

import java.util.Locale;

/** Upgrade or downgrade. */
public enum Direction {
    UPGRADE, DOWNGRADE;

    /** {@code upgrade} or {@code downgrade}, as Alembic prints it. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
