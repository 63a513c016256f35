package dev.trainyard.security.internal;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * Authenticates {@link ApiKeyAuthentication}s against the stored keys; the only provider
 * there is.
 */
@Component
class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    private final ApiKeyAuthenticator authenticator;

    ApiKeyAuthenticationProvider(ApiKeyAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        ApiKeyFormat.ParsedKey key = ((ApiKeyAuthentication) authentication).key();
        return authenticator.authenticate(key)
            .map(ApiKeyAuthentication::authenticated)
            .orElseThrow(() -> new BadCredentialsException("The API key is unknown or revoked."));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiKeyAuthentication.class.isAssignableFrom(authentication);
    }

}
