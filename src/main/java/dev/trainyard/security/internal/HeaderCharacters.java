package dev.trainyard.security.internal;

/**
 * The firewall's rule for request header names and values, as a loop over code points:
 * every character assigned in Unicode and none a control character (category Cc), except
 * that values may hold tabs. The same rule as Spring Security's default firewall, which
 * checks it with regular expressions ({@code [\p{IsAssigned}&&[^\p{IsControl}]]*}); a
 * regular expression per header cost a few percent of a small prediction's CPU time.
 */
final class HeaderCharacters {

    private HeaderCharacters() {
    }

    static boolean allowedName(String name) {
        return allowed(name, false);
    }

    static boolean allowedValue(String value) {
        return allowed(value, true);
    }

    private static boolean allowed(String s, boolean tab) {
        for (int i = 0; i < s.length();) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f) { // printable ASCII: all assigned, none a control
                i++;
                continue;
            }
            int cp = s.codePointAt(i);
            int type = Character.getType(cp);
            if (type == Character.UNASSIGNED || (type == Character.CONTROL && !(tab && cp == '\t'))) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

}
