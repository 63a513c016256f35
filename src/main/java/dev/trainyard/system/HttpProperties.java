package dev.trainyard.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the HTTP layer.
 *
 * @param maxBodySize largest request body that is not multipart (JSON and the like);
 * multipart uploads are bounded by {@code spring.servlet.multipart.*} instead
 */
@ConfigurationProperties("trainyard.http")
record HttpProperties(@DefaultValue("10MB") DataSize maxBodySize) {
}
