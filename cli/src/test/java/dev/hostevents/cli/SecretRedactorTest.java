package dev.hostevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the redactor takes out of a text, by shape and by the secrets of the run. */
class SecretRedactorTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "jdbc:mariadb://root:pw1secret@db:3306/app                  | jdbc:mariadb://***@db:3306/app",
        "jdbc:postgresql://db/app?user=app&password=pw2secret&ssl=1 | jdbc:postgresql://db/app?user=app&password=***&ssl=1",
        "jdbc:h2:./x;USER=sa;PASSWORD=pw3secret;MODE=MySQL          | jdbc:h2:./x;USER=sa;PASSWORD=***;MODE=MySQL",
        "jdbc:mysql://(host=db,user=u,password=pw4secret)/app       | jdbc:mysql://(host=db,user=u,password=***)/app",
        "jdbc:mysql://db/app?password1=pw5secret&sslpassword=pw6x   | jdbc:mysql://db/app?password1=***&sslpassword=***",
        "jdbc:mysql://db/app?trustCertificateKeyStorePassword=pw7x  | jdbc:mysql://db/app?trustCertificateKeyStorePassword=***",
        "connection String jdbc:mariadb:bad//?password=SECRETPW17   | connection String jdbc:mariadb:bad//?password=***",
    })
    void urlUserInfoAndPasswordParameters_areRemovedByShape_fromAnyText(String text, String redacted) {
        assertThat(new SecretRedactor().redact(text)).isEqualTo(redacted);
    }

    @Test
    void theSecretsOfAUrl_areRemovedWhereverADriverQuotesThem() {
        SecretRedactor r = new SecretRedactor().url("jdbc:mariadb://root:SECRETPW12@127.0.0.1:3306/x")
                .url("jdbc:mysql://u1:first%40pw@h1,u2:secondpw@h2/app?password=thirdpw1");

        assertThat(r.redact("Incorrect port value : SECRETPW12@127.0.0.1")).isEqualTo("Incorrect port value : ***@127.0.0.1");
        assertThat(r.redact("x first@pw y first%40pw z secondpw w thirdpw1")).isEqualTo("x *** y *** z *** w ***");
    }

    @Test
    void literalSecrets_areReplaced_quotedEvenWhenShort_bareFromFourCharacters() {
        SecretRedactor r = new SecretRedactor().secret("abc", "***").secret("longer-secret", "***");

        assertThat(r.redact("'abc' and abc, longer-secret")).isEqualTo("'***' and abc, ***");
    }

    @Test
    void hostCodes_areMasked() {
        assertThat(new SecretRedactor().redact("Duplicate entry 'host_mariamaria12' for key 'ux_host'"))
                .isEqualTo("Duplicate entry 'host_********ia12' for key 'ux_host'");
    }
}
