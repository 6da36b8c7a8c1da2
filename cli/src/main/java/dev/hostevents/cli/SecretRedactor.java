package dev.hostevents.cli;

import dev.hostevents.HostCodes;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes secrets out of a text before the tool prints it: an error line, a stack trace. Drivers quote
 * what they were given, and not always whole: MariaDB's Connector/J reads
 * {@code jdbc:mariadb://root:SECRETPW12@127.0.0.1/x} as host {@code root}, port
 * {@code SECRETPW12@127.0.0.1}, and says {@code Incorrect port value : SECRETPW12@127.0.0.1}. So
 * the redactor knows the secrets of this run ({@link #secret}, {@link #url}) and replaces them
 * wherever they appear, and also removes by shape what any JDBC URL could carry: the user info of
 * {@code //user:password@host} and the value of every {@code password=} style parameter. Host codes
 * are masked as everywhere ({@link HostCodes#maskAll}).
 */
final class SecretRedactor {
    /** What a removed password or user info reads as. */
    static final String REDACTED = "***";
    /**
     * Shorter values are only replaced where quoted whole: replacing every "ab" in a message would
     * garble it; the shape-based rules still catch them in URLs.
     */
    private static final int MIN_BARE = 4;
    /** {@code //user:password@} or {@code //user@}: the user info of a URL's authority. */
    private static final Pattern USER_INFO = Pattern.compile("//[^/?#@\\s'\"]*@");
    /**
     * {@code password=…}, {@code PASSWORD=…} (H2), {@code sslpassword=…}, {@code password1=…},
     * {@code trustCertificateKeyStorePassword=…}, {@code pwd=…}: any key that names a password,
     * up to the next separator of the URL forms drivers accept ({@code & ; , )} space or quote).
     */
    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("(?i)([a-z0-9_.-]*(?:password|passwd|pwd)[a-z0-9_.-]*\\s*=\\s*)([^&;,)\\s'\"]+)");
    /** The password in one {@code user:password@} of an authority (Connector/J takes several). */
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(?:^|[/,(])[^/?#@:,\\s]*:([^/?#@,\\s]+)@");

    /** Literal secret → what it is shown as. */
    private final Map<String, String> secrets = new LinkedHashMap<>();

    /** Remembers a secret value of this run ({@code null} and empty values are ignored). */
    SecretRedactor secret(String value, String shownAs) {
        if (value != null && !value.isEmpty()) {
            secrets.putIfAbsent(value, shownAs);
            String stripped = value.strip();
            if (!stripped.isEmpty()) {
                secrets.putIfAbsent(stripped, shownAs);
            }
        }
        return this;
    }

    /**
     * Remembers the secrets a JDBC URL carries: the password of each user info and the value of each
     * password parameter, as written and percent-decoded.
     */
    SecretRedactor url(String jdbcUrl) {
        if (jdbcUrl == null) {
            return this;
        }
        int authorityStart = jdbcUrl.indexOf("//");
        if (authorityStart >= 0) {
            int end = authorityStart + 2;
            while (end < jdbcUrl.length() && "/?#".indexOf(jdbcUrl.charAt(end)) < 0) {
                end++;
            }
            Matcher m = USER_INFO_PASSWORD.matcher(jdbcUrl.substring(authorityStart + 1, end));
            while (m.find()) {
                password(m.group(1));
            }
        }
        Matcher p = PASSWORD_PARAMETER.matcher(jdbcUrl);
        while (p.find()) {
            password(p.group(2));
        }
        return this;
    }

    private void password(String value) {
        secret(value, REDACTED);
        try {
            secret(URLDecoder.decode(value, StandardCharsets.UTF_8), REDACTED);
        } catch (IllegalArgumentException notEncoded) {
            // A bare '%' in a password: the driver sees it as written, which is remembered already.
        }
    }

    /** The text with every known secret replaced, URL user info and password parameters removed, host codes masked. */
    String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        // Longest first, so a secret that contains another is replaced whole.
        for (Map.Entry<String, String> s : secrets.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed()).toList()) {
            out = out.replace("'" + s.getKey() + "'", "'" + s.getValue() + "'");
            if (s.getKey().length() >= MIN_BARE) {
                out = out.replace(s.getKey(), s.getValue());
            }
        }
        out = USER_INFO.matcher(out).replaceAll("//" + REDACTED + "@");
        out = PASSWORD_PARAMETER.matcher(out).replaceAll("$1" + REDACTED);
        return HostCodes.maskAll(out);
    }
}
