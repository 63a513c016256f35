package dev.trainyard.prediction.registry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Registered model settings ({@code trainyard.registry.*}).
 *
 * @param resolutionTtl how long an instance reuses what a name with an alias or version
 * resolved to; bounds how late another instance serves a moved alias. At most 1 s, so a
 * move reaches every instance within the promised 2 s; 0 reads the database on every
 * request. The instance that moves an alias forgets its resolutions at once.
 */
@ConfigurationProperties("trainyard.registry")
record RegistryProperties(@DefaultValue("1s") Duration resolutionTtl) {

    RegistryProperties {
        if (resolutionTtl.isNegative() || resolutionTtl.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("trainyard.registry.resolution-ttl must lie between 0 and 1s (a moved"
                    + " alias reaches every instance within 2 s), not " + resolutionTtl);
        }
    }

}
