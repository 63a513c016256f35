package dev.trainyard.security.internal;

import dev.trainyard.security.Role;
import dev.trainyard.security.Tenants;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * At start, gives the default tenant its first admin key unless one was made before on
 * this database: the key of {@code TRAINYARD_BOOTSTRAP_API_KEY} when set (it must have
 * the format of a Trainyard key, so that it can be looked up like any other), else a
 * generated one, printed once in the log: the only place a key is ever logged. Instances
 * that start together on an empty database race for one unique row; the losers make
 * nothing and print nothing.
 */
@Component
class BootstrapAdminKey implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdminKey.class);

    private final KeyManagement management;

    private final ApiKeyRepository keys;

    private final String configuredKey;

    private final Environment environment;

    BootstrapAdminKey(KeyManagement management, ApiKeyRepository keys, SecurityProperties properties,
            Environment environment) {
        this.management = management;
        this.keys = keys;
        this.configuredKey = properties.bootstrapApiKey().strip();
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) {
        createIfAbsent(configuredKey);
    }

    /**
     * Creates the bootstrap key unless there is one.
     * @param configured the key to use, or empty to generate one
     * @return the key created, or empty if there was one already
     * @throws IllegalStateException if {@code configured} is not a Trainyard key
     */
    Optional<KeyManagement.IssuedKey> createIfAbsent(String configured) {
        if (keys.existsByBootstrapTrue()) {
            return Optional.empty();
        }
        ApiKeyFormat.ParsedKey key = configured.isEmpty() ? ApiKeyFormat.generate() : ApiKeyFormat.parse(configured)
            .orElseThrow(() -> new IllegalStateException(
                    "TRAINYARD_BOOTSTRAP_API_KEY is not a Trainyard API key: it must read ty_, 16 hex"
                            + " digits, _ and 43 base64url characters. Make one with: " + ApiKeyFormat.SHELL_RECIPE));
        KeyManagement.IssuedKey issued;
        try {
            issued = management.issue(key, Tenants.DEFAULT_ID, "bootstrap", Role.ADMIN, true);
        }
        catch (DataIntegrityViolationException anotherInstanceWasFaster) {
            log.info("The bootstrap admin key was created by another instance");
            return Optional.empty();
        }
        if (configured.isEmpty()) {
            String port = environment.getProperty("server.port", "8080");
            log.warn(
                    """
                            Created the first admin key of tenant 'default'. It is shown this once and never again; store it now:

                                {}

                            Use it like this: curl -H 'X-API-Key: {}' http://localhost:{}/api/v1/keys""",
                    issued.key(), issued.key(), port);
        }
        else {
            log.info("Created the first admin key of tenant 'default' ({}) from TRAINYARD_BOOTSTRAP_API_KEY",
                    key.displayPrefix());
        }
        return Optional.of(issued);
    }

}
