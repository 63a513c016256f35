package dev.trainyard.security.internal;

import jakarta.servlet.DispatcherType;
import java.util.List;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Who may call what. {@code /api/v1/**} and the Open Inference Protocol's {@code /v2/**}
 * need an API key ({@code X-API-Key}); managing tenants and keys needs an admin key,
 * creating tenants and the actuator (besides health) an operator key (an admin key of the
 * default tenant). Health and the API documentation are public unless turned off. Other
 * paths serve the dashboard's static files (the data behind it needs a key) under a
 * Content-Security-Policy, or answer 404 without a key. Stateless: no session, no cookie,
 * so no CSRF to defend against.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties({ SecurityProperties.class, CorsProperties.class })
class SecurityConfiguration {

    static final String[] DOCS = { "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**" };

    /**
     * Health, also the Open Inference Protocol's server liveness and readiness, which
     * load balancers and KServe probe without credentials.
     */
    static final String[] HEALTH = { "/actuator/health", "/actuator/health/**", "/v2/health/live", "/v2/health/ready" };

    /**
     * The dashboard's policy: scripts, styles, data and fonts from this origin only, no
     * inline script or style markup (the page sets styles through the CSSOM), images also
     * from canvases ({@code data:}, {@code blob:}), no framing. Swagger UI is left
     * without it: its page is springdoc's, not ours.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; manifest-src 'self'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    @Bean
    ApiKeyHasher apiKeyHasher(SecurityProperties properties) {
        return new ApiKeyHasher(properties.keyPepper());
    }

    /**
     * Spring Security's default firewall, picked up by Spring Security as a bean, with
     * its header rule checked by {@link HeaderCharacters} instead of regular expressions.
     */
    @Bean
    HttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(HeaderCharacters::allowedName);
        firewall.setAllowedHeaderValues(HeaderCharacters::allowedValue);
        return firewall;
    }

    /**
     * Spring Security observes nothing: no timer per security filter, authentication or
     * authorization. {@code http.server.requests} still times every request. Without this
     * bean the filter chain is wrapped in an observing decorator on every request even
     * when a property turns those observations off (a few per cent of a prediction's CPU
     * time).
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, SecurityProperties properties, CorsProperties cors,
            ApiKeyAuthenticationProvider provider, RateLimiter limiter,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        ProblemSecurityHandlers problems = new ProblemSecurityHandlers(resolver);
        http.csrf(AbstractHttpConfigurer::disable)
            .httpBasic(AbstractHttpConfigurer::disable)
            .formLogin(AbstractHttpConfigurer::disable)
            .logout(AbstractHttpConfigurer::disable)
            .requestCache(AbstractHttpConfigurer::disable)
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .addFilter(corsFilter(cors))
            .addFilterBefore(new ApiKeyAuthenticationFilter(provider, problems), AnonymousAuthenticationFilter.class)
            .addFilterAfter(new RateLimitFilter(limiter, resolver), AuthorizationFilter.class)
            .headers(headers -> headers.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                    new NegatedRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher("/swagger-ui/**")),
                    new ContentSecurityPolicyHeaderWriter(CONTENT_SECURITY_POLICY))))
            .exceptionHandling(handling -> handling.authenticationEntryPoint(problems).accessDeniedHandler(problems))
            .authorizeHttpRequests(requests -> {
                // the error page renders what went wrong with a request that was let in
                // already
                requests.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
                // the async dispatch that ends a stream (SSE) belongs to a request let in
                // already
                requests.dispatcherTypeMatchers(DispatcherType.ASYNC).permitAll();
                if (properties.publicHealth()) {
                    requests.requestMatchers(HEALTH).permitAll();
                }
                if (properties.publicDocs()) {
                    requests.requestMatchers(DOCS).permitAll();
                }
                else {
                    requests.requestMatchers(DOCS).authenticated();
                }
                requests.requestMatchers("/actuator", "/actuator/**").hasRole("OPERATOR");
                requests.requestMatchers(HttpMethod.POST, "/api/v1/tenants").hasRole("OPERATOR");
                requests.requestMatchers("/api/v1/tenants/**", "/api/v1/keys", "/api/v1/keys/**").hasRole("ADMIN");
                requests.requestMatchers("/api/v1/**", "/v2", "/v2/**").authenticated();
                requests.anyRequest().permitAll();
            });
        return http.build();
    }

    private static CorsFilter corsFilter(CorsProperties properties) {
        CorsConfiguration configuration = new CorsConfiguration();
        configuration.setAllowedOrigins(properties.allowedOrigins());
        configuration.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
        configuration.setAllowedHeaders(List.of(ApiKeyAuthenticationFilter.HEADER, "Content-Type", "Accept"));
        configuration.setExposedHeaders(List.of("Location", "Retry-After", "WWW-Authenticate", "X-Downsampled"));
        configuration.setMaxAge(properties.maxAge());
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", configuration);
        CorsFilter filter = new CorsFilter(source);
        filter.setCorsProcessor(new ProblemCorsProcessor());
        return filter;
    }

}
