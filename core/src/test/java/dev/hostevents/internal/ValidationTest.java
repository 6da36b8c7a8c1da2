package dev.hostevents.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hostevents.ValidationException;
import org.junit.jupiter.api.Test;

class ValidationTest {
    @Test
    void title_isTrimmed_andBoundedTo200() {
        assertThat(Validation.title("  Town hall  ")).isEqualTo("Town hall");
        assertThat(Validation.title("x".repeat(200))).hasSize(200);
        assertThatThrownBy(() -> Validation.title("x".repeat(201))).hasMessage("title must be at most 200 characters");
        assertThatThrownBy(() -> Validation.title("a\u0000b")).isInstanceOf(ValidationException.class).hasMessageContaining("control");
        assertThatThrownBy(() -> Validation.title("bad \uD800 surrogate")).hasMessageContaining("surrogate");
    }

    @Test
    void description_keepsLineBreaks_rejectsOtherControls() {
        assertThat(Validation.description("a\nb\tc\r\n")).isEqualTo("a\nb\tc\r\n");
        assertThat(Validation.description(null)).isNull();
        assertThatThrownBy(() -> Validation.description("nul\u0000")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Validation.description("d".repeat(1001))).hasMessage("description must be at most 1000 characters");
    }

    @Test
    void slug_rules_andDerivation() {
        assertThat(Validation.slug(" my-event-2 ")).isEqualTo("my-event-2");
        for (String bad : new String[] {"ab", "My-Event", "a--b", "-ab", "ab-", "a b c", "x".repeat(51), "é-event"}) {
            assertThatThrownBy(() -> Validation.slug(bad)).as(bad).isInstanceOf(ValidationException.class)
                    .extracting(e -> ((ValidationException) e).field()).isEqualTo("slug");
        }
        assertThat(Validation.slugFromTitle("Crème Brûlée — Q&A 2025!", 43)).isEqualTo("creme-brulee-q-a-2025");
        assertThat(Validation.slugFromTitle("a".repeat(60) + " b", 43)).hasSize(43);
        assertThat(Validation.slugFromTitle("日本語", 43)).isEmpty();
    }

    @Test
    void limitAndOffset_nameTheParameter() {
        assertThatThrownBy(() -> Validation.limit(0, 100)).hasMessage("limit must be between 1 and 100");
        assertThatThrownBy(() -> Validation.offset(-1, 10)).extracting(e -> ((ValidationException) e).field()).isEqualTo("offset");
    }
}
