package dev.trainyard.prediction.registry;

import dev.trainyard.system.ApiException;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/**
 * The rules for registered model names and alias names. Neither may hold {@code @}, so
 * {@code name@alias} in a path is never ambiguous.
 */
final class RegistryNames {

    static final int MAX_LENGTH = 100;

    static final String NAME_PATTERN = "^[A-Za-z0-9._-]{1,100}$";

    static final String ALIAS_PATTERN = "^[A-Za-z][A-Za-z0-9_-]{0,99}$";

    /**
     * The alias every registered model has implicitly: its highest version. It cannot be
     * set or deleted.
     */
    static final String LATEST = "latest";

    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);

    private static final Pattern ALIAS = Pattern.compile(ALIAS_PATTERN);

    private RegistryNames() {
    }

    static boolean isName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    static boolean isAlias(String alias) {
        return alias != null && ALIAS.matcher(alias).matches();
    }

    /** 400 unless {@code name} follows the rules; {@code pointer} locates it. */
    static void checkName(String name, String pointer) {
        if (!isName(name)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid registered model name",
                    "A registered model name has 1 to 100 letters, digits, '.', '_' or '-'"
                            + (name == null ? "; there is none." : ", not '" + name + "'."))
                .with("pointer", pointer);
        }
    }

    /** 400 unless {@code alias} can be set: the rules, and not the reserved one. */
    static void checkSettableAlias(String alias) {
        if (!isAlias(alias)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid alias",
                    "An alias starts with a letter and has at most 100 letters, digits, '_' or '-', not '" + alias
                            + "'.")
                .with("alias", alias);
        }
        if (LATEST.equals(alias)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Reserved alias",
                    "The alias 'latest' always names the highest version; it cannot be set or deleted.")
                .with("alias", alias);
        }
    }

}
