package dev.hostevents.migration;

import dev.hostevents.HostEventsException;
import java.util.List;

/**
 * The live schema differs from the one the recorded revision promises, e.g. the composite index is
 * missing, ascending where it must be descending, or left INVALID by a failed concurrent build.
 */
public class SchemaDriftException extends HostEventsException {
    private static final long serialVersionUID = 1L;
    private final List<String> findings;

    public SchemaDriftException(List<String> findings) {
        super("schema drift: " + String.join("; ", findings));
        this.findings = List.copyOf(findings);
    }

    /** One line per difference found. */
    public List<String> findings() {
        return findings;
    }
}
