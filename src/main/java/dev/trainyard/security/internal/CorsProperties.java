package dev.trainyard.security.internal;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cross-origin access for web front-ends ({@code trainyard.cors.*}).
 *
 * @param allowedOrigins origins (such as {@code https://app.example.com}) whose pages may
 * call the API; none by default, so browsers refuse every cross-origin call
 * @param maxAge how long browsers may cache a preflight answer
 */
@ConfigurationProperties("trainyard.cors")
record CorsProperties(@DefaultValue List<String> allowedOrigins, @DefaultValue("1h") Duration maxAge) {
}
