package dev.trainyard.security.internal;

import dev.trainyard.security.Caller;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Spring Security's view of an API key: before authentication it holds the key as sent,
 * after it the {@link Caller} with the authorities {@code ROLE_USER}, {@code ROLE_ADMIN}
 * for admin keys and {@code ROLE_OPERATOR} for admin keys of the default tenant. It never
 * holds the key once authenticated.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final transient ApiKeyFormat.ParsedKey key;

    private final Caller caller;

    private ApiKeyAuthentication(ApiKeyFormat.ParsedKey key, Caller caller, List<GrantedAuthority> authorities) {
        super(authorities);
        this.key = key;
        this.caller = caller;
        setAuthenticated(caller != null);
    }

    static ApiKeyAuthentication unauthenticated(ApiKeyFormat.ParsedKey key) {
        return new ApiKeyAuthentication(key, null, List.of());
    }

    static ApiKeyAuthentication authenticated(Caller caller) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        authorities.add(new SimpleGrantedAuthority("ROLE_USER"));
        if (caller.isAdmin()) {
            authorities.add(new SimpleGrantedAuthority("ROLE_ADMIN"));
        }
        if (caller.isOperator()) {
            authorities.add(new SimpleGrantedAuthority("ROLE_OPERATOR"));
        }
        return new ApiKeyAuthentication(null, caller, authorities);
    }

    ApiKeyFormat.ParsedKey key() {
        return key;
    }

    /**
     * The caller once authenticated, else the key's display prefix (never its secret).
     */
    @Override
    public Object getPrincipal() {
        return caller != null ? caller : key.displayPrefix();
    }

    @Override
    public Object getCredentials() {
        return null;
    }

}
