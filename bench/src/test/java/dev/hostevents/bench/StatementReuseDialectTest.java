package dev.hostevents.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostevents.spi.Dialect;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatementReuseDialectTest {
    @Test
    void forwardsEveryMethodOfTheDialectSpi() {
        // A default method left to the interface would silently replace the wrapped dialect's own.
        List<String> missing = Arrays.stream(Dialect.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> !declares(m))
                .map(Method::toString)
                .toList();
        assertThat(missing).isEmpty();
    }

    private static boolean declares(Method m) {
        try {
            StatementReuseDialect.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
