package dev.trainyard.experiment.internal;

import dev.trainyard.experiment.ExperimentRequest;
import dev.trainyard.system.JsonPointers;
import dev.trainyard.system.NulCharacters;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads experiment requests strictly (an unknown member is a 400 naming it by JSON
 * Pointer) and writes the JSON the module stores.
 */
@Component
public class ExperimentJson {

    private final JsonMapper json;

    private final JsonMapper strict;

    ExperimentJson(JsonMapper json) {
        this.json = json;
        this.strict = json.rebuild().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }

    public ExperimentRequest parse(String body) {
        if (body == null || body.isBlank()) {
            throw Problems.single("#", "the request body must be an experiment (JSON object)");
        }
        ExperimentRequest request;
        try {
            request = strict.readValue(body, ExperimentRequest.class);
        }
        catch (UnrecognizedPropertyException e) {
            throw Problems.single(JsonPointers.fromJacksonPath(e.getPath()),
                    "unknown member '" + e.getPropertyName() + "'");
        }
        catch (DatabindException e) {
            throw Problems.single(JsonPointers.fromJacksonPath(e.getPath()),
                    NulCharacters.MESSAGE.equals(e.getOriginalMessage()) ? NulCharacters.MESSAGE
                            : "wrong type or value");
        }
        catch (JacksonException e) {
            throw Problems.single("#", "the request body is not valid JSON");
        }
        if (request == null) {
            // the JSON literal null
            throw Problems.single("#", "the request body must be an experiment (JSON object)");
        }
        return request;
    }

    public ExperimentRequest readRequest(String stored) {
        return json.readValue(stored, ExperimentRequest.class);
    }

    public JsonNode tree(String stored) {
        return json.readTree(stored);
    }

    public String write(Object value) {
        return json.writeValueAsString(value);
    }

}
