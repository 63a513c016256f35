package dev.trainyard.training.internal;

import dev.trainyard.system.JsonPointers;
import dev.trainyard.system.NulCharacters;
import dev.trainyard.training.InitConfig;
import dev.trainyard.training.JobSpec;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes job specs and the JSON the module stores. Specs are read strictly: an
 * unknown member or layer type is a 400 naming it by JSON Pointer.
 */
@Component
public class SpecJson {

    private final JsonMapper json;

    private final JsonMapper strict;

    SpecJson(JsonMapper json) {
        this.json = json;
        this.strict = json.rebuild().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }

    /** A submitted spec, as sent (defaults not yet filled in). */
    public JobSpec parse(String body) {
        if (body == null || body.isBlank()) {
            throw Violations.single("", "the request body must be a job spec (JSON object)");
        }
        JobSpec spec;
        try {
            spec = strict.readValue(body, JobSpec.class);
        }
        catch (UnrecognizedPropertyException e) {
            throw Violations.single(pointer(e.getPath()), "unknown member '" + e.getPropertyName() + "'");
        }
        catch (InvalidTypeIdException e) {
            String property = e.getBaseType() != null && e.getBaseType().getRawClass() == InitConfig.class ? "method"
                    : "type";
            throw Violations.single(JsonPointers.append(pointer(e.getPath()), property), e.getTypeId() == null
                    ? property + " is required" : "unknown " + property + " '" + e.getTypeId() + "'");
        }
        catch (DatabindException e) {
            throw Violations.single(pointer(e.getPath()), NulCharacters.MESSAGE.equals(e.getOriginalMessage())
                    ? NulCharacters.MESSAGE : "wrong type or value");
        }
        catch (JacksonException e) {
            throw Violations.single("", "the request body is not valid JSON");
        }
        if (spec == null) {
            // the JSON literal null
            throw Violations.single("", "the request body must be a job spec (JSON object)");
        }
        return spec;
    }

    /** A spec this module stored itself. */
    public JobSpec read(String stored) {
        return json.readValue(stored, JobSpec.class);
    }

    public String write(Object value) {
        return json.writeValueAsString(value);
    }

    public <T> T read(String stored, Class<T> type) {
        return json.readValue(stored, type);
    }

    /** Violations take pointers without the leading {@code #}. */
    private static String pointer(List<JacksonException.Reference> path) {
        return JsonPointers.fromJacksonPath(path).substring(1);
    }

}
