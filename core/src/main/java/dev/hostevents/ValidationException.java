package dev.hostevents;

/**
 * Input broke a rule. {@link #field()} names the input ({@code host_code}, {@code limit}, …) and
 * {@link #rule()} says what it must be; the message is {@code "<field> <rule>"}, one line, and never
 * quotes the rejected value (it may be a secret).
 */
public class ValidationException extends HostEventsException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final String rule;

    public ValidationException(String field, String rule) {
        super(field.replace('_', ' ') + " " + rule);
        this.field = field;
        this.rule = rule;
    }

    /** The name of the offending field or parameter, e.g. {@code host_code} or {@code offset}. */
    public String field() {
        return field;
    }

    /** The rule the value broke, e.g. {@code "must be between 1 and 100"}. */
    public String rule() {
        return rule;
    }
}
