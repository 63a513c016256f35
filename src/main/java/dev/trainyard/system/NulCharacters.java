package dev.trainyard.system;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;

/**
 * No string with the NUL character (U+0000) gets in: PostgreSQL's text cannot hold it, so
 * a name with one would fail at the database (500) instead of at the door (400). Request
 * bodies are checked as they are read, the JSON Pointer of the string in the answer;
 * other inputs (multipart fields, names inside uploaded files) call {@link #contains}.
 */
@Configuration(proxyBeanMethods = false)
public class NulCharacters {

    /** The detail of the answer, also how a caller recognises the failure. */
    public static final String MESSAGE = "A string may not contain the NUL character (U+0000).";

    /** Whether {@code text} holds U+0000. */
    public static boolean contains(String text) {
        return text != null && text.indexOf('\u0000') >= 0;
    }

    /** Registered with the application's JSON mapper by Spring Boot. */
    @Bean
    JacksonModule nulRejectingStrings() {
        return new SimpleModule("nul-rejecting-strings").addDeserializer(String.class, new Strings());
    }

    static final class Strings extends StdScalarDeserializer<String> {

        Strings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            if (contains(value)) {
                throw InvalidFormatException.from(p, MESSAGE, value.replace("\u0000", "\\u0000"), String.class);
            }
            return value;
        }

    }

}
