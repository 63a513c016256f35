package dev.trainyard.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.RequestRejectedException;

/**
 * The loop must accept exactly what the default firewall's regular expressions accept:
 * every code point alone, and random mixtures with surrogate pairs and lone surrogates.
 */
class HeaderCharactersTest {

    // the default firewall's expressions (Spring Security 7 StrictHttpFirewall)
    private static final Pattern NAME = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

    private static final Pattern VALUE = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void everyCodePointAloneAsTheRegularExpressions() {
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            String s = "a" + Character.toString(cp) + "b";
            assertThat(HeaderCharacters.allowedName(s)).as("U+%04X in a name", cp).isEqualTo(NAME.matcher(s).matches());
            assertThat(HeaderCharacters.allowedValue(s)).as("U+%04X in a value", cp)
                .isEqualTo(VALUE.matcher(s).matches());
        }
    }

    @Test
    void mixedStringsAsTheRegularExpressions() {
        SplittableRandom random = new SplittableRandom(3);
        int[] interesting = { '\t', '\n', 0x7f, 0x85, 0xa0, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0x1f600, 0xe0001, 0x378,
                0x10ffff, 'x', ' ' };
        for (int t = 0; t < 20000; t++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(6);
            for (int i = 0; i < length; i++) {
                sb.appendCodePoint(random.nextBoolean() ? interesting[random.nextInt(interesting.length)]
                        : random.nextInt(Character.MAX_CODE_POINT + 1));
            }
            String s = sb.toString();
            assertThat(HeaderCharacters.allowedName(s)).as(s).isEqualTo(NAME.matcher(s).matches());
            assertThat(HeaderCharacters.allowedValue(s)).as(s).isEqualTo(VALUE.matcher(s).matches());
        }
        assertThat(HeaderCharacters.allowedName("")).isTrue();
    }

    @Test
    void theConfiguredFirewallRejectsControlCharactersInHeaders() {
        var firewall = new SecurityConfiguration().httpFirewall();
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/models");
        request.addHeader("X-API-Key", "ty_\u0007");
        request.addHeader("X-Tab", "a\tb");
        var firewalled = firewall.getFirewalledRequest(request);
        assertThat(firewalled.getHeader("X-Tab")).isEqualTo("a\tb");
        assertThatThrownBy(() -> firewalled.getHeader("X-API-Key")).isInstanceOf(RequestRejectedException.class);
    }

}
