package dev.trainyard.prediction.internal;

import dev.trainyard.prediction.EnsemblePredictionRequest;
import dev.trainyard.prediction.PredictionRequest;
import dev.trainyard.system.ApiException;
import dev.trainyard.system.JsonPointers;
import dev.trainyard.system.NulCharacters;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads prediction request bodies with the application's JSON settings plus one: the
 * literals {@code NaN} and {@code Infinity} (which Python's json module writes) are read
 * as numbers, so that such a feature is answered with a 422 naming it rather than a parse
 * error. Prediction bodies of the common shape take a faster path that reads the same
 * values ({@link PredictionBodyReader}); Jackson reads all others.
 */
@Component
public class RequestReader {

    private final JsonMapper json;

    RequestReader(JsonMapper json) {
        this.json = json.rebuild().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    }

    /**
     * A prediction body read: its instances, and the members of {@link PredictionRequest}
     * and, for ensembles, {@link EnsemblePredictionRequest}; absent ones are null.
     */
    public record Prediction(RawInstances instances, Integer mcDropoutSamples, Long seed, String method) {
    }

    /** A body of {@link PredictionRequest}'s shape. */
    public Prediction readPrediction(byte[] body) {
        PredictionBodyReader.Body fast = body == null ? null : PredictionBodyReader.read(body, false);
        if (fast == null) {
            PredictionRequest request = read(body, PredictionRequest.class);
            return new Prediction(RawInstances.of(request.instances()), request.mcDropoutSamples(), request.seed(),
                    null);
        }
        return new Prediction(fast.instances(), fast.mcDropoutSamples(), fast.seed(), null);
    }

    /** A body of {@link EnsemblePredictionRequest}'s shape. */
    public Prediction readEnsemblePrediction(byte[] body) {
        PredictionBodyReader.Body fast = body == null ? null : PredictionBodyReader.read(body, true);
        if (fast == null) {
            EnsemblePredictionRequest request = read(body, EnsemblePredictionRequest.class);
            return new Prediction(RawInstances.of(request.instances()), request.mcDropoutSamples(), request.seed(),
                    request.method());
        }
        return new Prediction(fast.instances(), fast.mcDropoutSamples(), fast.seed(), fast.method());
    }

    public <T> T read(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Missing body", "The request needs a JSON body.");
        }
        ObjectReader reader = json.readerFor(type);
        T value;
        try {
            value = reader.readValue(body);
        }
        catch (StreamReadException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Malformed request body",
                    "The request body is not valid JSON.", e);
        }
        catch (JacksonException e) {
            // Jackson's own message names Java types, so the client gets where, not what
            // Jackson saw
            throw new ApiException(HttpStatus.BAD_REQUEST, "Malformed request body",
                    NulCharacters.MESSAGE.equals(e.getOriginalMessage()) ? NulCharacters.MESSAGE
                            : "A member of the request body has the wrong type or an unexpected value.",
                    e)
                .with("pointer", JsonPointers.fromJacksonPath(e.getPath()));
        }
        if (value == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Missing body", "The request body must be a JSON object.");
        }
        return value;
    }

}
