package dev.trainyard.security;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What an API key may do: {@code admin} manages its tenant's keys as well; {@code user}
 * uses the API.
 */
public enum Role {

    ADMIN, USER;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Role fromJson(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

}
