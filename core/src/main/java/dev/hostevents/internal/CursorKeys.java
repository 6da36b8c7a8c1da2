package dev.hostevents.internal;

import dev.hostevents.EventStore;
import dev.hostevents.ValidationException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a store's cursor key comes from: the key given to the builder, else the setting
 * {@value EventStore#CURSOR_KEY_PROPERTY} (system property) or {@value EventStore#CURSOR_KEY_ENVIRONMENT}
 * (environment variable), else a random key made once per JVM. There is no built-in key: a key
 * everyone knows lets anyone with a host code forge positions.
 */
public final class CursorKeys {
    /** Shortest key accepted, in bytes. */
    public static final int MIN_BYTES = 16;
    /** Prefix of a setting that holds the key in base64 rather than as text. */
    public static final String BASE64_PREFIX = "base64:";
    private static final Logger LOG = LoggerFactory.getLogger(EventStore.class);
    private static final String FORMAT = "text of at least " + MIN_BYTES + " bytes, or " + BASE64_PREFIX
            + " followed by the base64 of at least " + MIN_BYTES + " bytes, e.g. " + BASE64_PREFIX + "$(openssl rand -base64 32)";

    private CursorKeys() {
    }

    /**
     * The key a setting names. Surrounding whitespace is ignored; {@code base64:<b64>} is decoded
     * (standard or URL-safe alphabet, padding optional); anything else is taken as UTF-8 text.
     *
     * @param setting the setting's value
     * @param source where it came from, for the message (e.g. "environment variable X"), or {@code null}
     * @throws ValidationException naming {@code cursor_key} when the setting is malformed or too short;
     *     the message never repeats the value
     */
    public static byte[] parse(String setting, String source) {
        String from = source == null ? "" : " (" + source + ")";
        if (setting == null) {
            throw new ValidationException("cursor_key", "is required: " + FORMAT + from);
        }
        String s = setting.strip();
        byte[] key;
        if (s.startsWith(BASE64_PREFIX)) {
            String b64 = s.substring(BASE64_PREFIX.length()).strip().replace('-', '+').replace('_', '/');
            try {
                key = Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw new ValidationException("cursor_key", "is not valid base64 after '" + BASE64_PREFIX + "'" + from);
            }
        } else {
            key = s.getBytes(StandardCharsets.UTF_8);
        }
        if (key.length < MIN_BYTES) {
            throw new ValidationException("cursor_key", "must be at least " + MIN_BYTES + " bytes: " + FORMAT + from);
        }
        return key;
    }

    /**
     * The key configured outside the code: the system property, else the environment variable;
     * empty when neither is set.
     *
     * @throws ValidationException naming {@code cursor_key} when the one that is set is malformed
     */
    public static Optional<byte[]> configured(Function<String, String> properties, Function<String, String> environment) {
        String property = properties.apply(EventStore.CURSOR_KEY_PROPERTY);
        if (property != null) {
            return Optional.of(parse(property, "system property " + EventStore.CURSOR_KEY_PROPERTY));
        }
        String variable = environment.apply(EventStore.CURSOR_KEY_ENVIRONMENT);
        if (variable != null) {
            return Optional.of(parse(variable, "environment variable " + EventStore.CURSOR_KEY_ENVIRONMENT));
        }
        return Optional.empty();
    }

    /**
     * This JVM's random key (32 bytes from {@link SecureRandom}), the same for every store in the JVM
     * so cursors move between them. The first call logs one WARN.
     */
    public static byte[] jvmKey() {
        return JvmKey.KEY.clone();
    }

    /** Made on first use, so the WARN appears once, and only in a JVM that needs the fallback. */
    private static final class JvmKey {
        static final byte[] KEY = new byte[32];

        static {
            new SecureRandom().nextBytes(KEY);
            LOG.warn("No cursor key configured: keyset cursors are signed with a random key made at start-up, so they will"
                    + " not survive a restart and another instance will not accept them (clients then get 'start again from"
                    + " the first page'). Give every instance the same key with the system property {} or the environment"
                    + " variable {} ({}), or EventStore.Builder#cursorKey.",
                    EventStore.CURSOR_KEY_PROPERTY, EventStore.CURSOR_KEY_ENVIRONMENT, FORMAT);
        }
    }
}
