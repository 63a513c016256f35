package dev.trainyard.prediction.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and checks an Open Inference Protocol inference request against the served model:
 * one input tensor of datatype FP32 or UINT8 whose shape is {@code [batch, features...]}
 * with the model's feature shape, and as many values as the shape holds, flat (row-major)
 * or nested. Everything else is a 400 with a message that says what is wrong.
 */
@Component
class InferenceRequestReader {

    static final String PROBABILITIES = "probabilities";

    static final String LABEL = "label";

    static final List<String> OUTPUTS = List.of(PROBABILITIES, LABEL);

    /**
     * A checked request.
     *
     * @param id the request's id, or null
     * @param instances one row per instance, the features flattened row-major
     * @param outputs the outputs to answer, in order
     */
    record Inference(String id, double[][] instances, List<String> outputs) {
    }

    private final JsonMapper json;

    InferenceRequestReader(JsonMapper json) {
        this.json = json;
    }

    Inference read(byte[] body, int[] featureShape) {
        JsonNode request = parse(body);
        String id = id(request.get("id"));
        checkParameters(request.get("parameters"), "request", "binary_data_output");
        List<String> outputs = outputs(request.get("outputs"));
        JsonNode inputs = request.get("inputs");
        if (inputs == null || !inputs.isArray()) {
            throw InferenceException.badRequest("The request needs 'inputs', an array of input tensors.");
        }
        if (inputs.size() != 1) {
            throw InferenceException
                .badRequest("The model takes exactly one input tensor; the request has " + inputs.size() + ".");
        }
        return new Inference(id, instances(inputs.get(0), featureShape), outputs);
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw InferenceException.badRequest("The request needs a JSON body.");
        }
        JsonNode request;
        try {
            request = json.readTree(body);
        }
        catch (JacksonException e) {
            // where, not Jackson's message, which names its own types
            throw InferenceException.badRequest(
                    (e.getLocation() == null) ? "The body is not valid JSON." : "The body is not valid JSON (line "
                            + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ").");
        }
        if (request == null || !request.isObject()) {
            throw InferenceException.badRequest("The body must be a JSON object.");
        }
        return request;
    }

    private static String id(JsonNode id) {
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.isString()) {
            throw InferenceException.badRequest("'id' must be a string.");
        }
        return id.asString();
    }

    /**
     * Parameters are an object of strings, numbers and booleans; those not named here are
     * ignored, as the protocol allows. Binary tensor data (an extension) is not
     * supported.
     */
    private static void checkParameters(JsonNode parameters, String where, String binaryFlag) {
        if (parameters == null || parameters.isNull()) {
            return;
        }
        if (!parameters.isObject()) {
            throw InferenceException.badRequest("The " + where + "'s 'parameters' must be an object.");
        }
        for (Map.Entry<String, JsonNode> parameter : parameters.properties()) {
            JsonNode value = parameter.getValue();
            if (!value.isString() && !value.isNumber() && !value.isBoolean()) {
                throw InferenceException.badRequest("Parameter '" + parameter.getKey() + "' of the " + where
                        + " must be a string, a number or a boolean.");
            }
        }
        JsonNode binary = parameters.get(binaryFlag);
        if (binary != null && binary.asBoolean(false)) {
            throw InferenceException
                .badRequest("Binary tensor data is not supported; ask for JSON data ('" + binaryFlag + "': false).");
        }
        if (parameters.has("binary_data_size")) {
            throw InferenceException.badRequest("Binary tensor data is not supported; send the data as JSON.");
        }
    }

    private static List<String> outputs(JsonNode outputs) {
        if (outputs == null || outputs.isNull()) {
            return OUTPUTS;
        }
        if (!outputs.isArray()) {
            throw InferenceException.badRequest("'outputs' must be an array of requested outputs.");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode output : outputs) {
            JsonNode name = output.get("name");
            if (name == null || !name.isString()) {
                throw InferenceException.badRequest("Every requested output needs a 'name'.");
            }
            if (!OUTPUTS.contains(name.asString())) {
                throw InferenceException
                    .badRequest("Unknown output '" + name.asString() + "'; the model has outputs " + OUTPUTS + ".");
            }
            checkParameters(output.get("parameters"), "output '" + name.asString() + "'", "binary_data");
            if (!names.contains(name.asString())) {
                names.add(name.asString());
            }
        }
        return names.isEmpty() ? OUTPUTS : names;
    }

    private static double[][] instances(JsonNode input, int[] featureShape) {
        if (input == null || !input.isObject()) {
            throw InferenceException.badRequest("An input tensor must be an object.");
        }
        JsonNode name = input.get("name");
        String tensor = name != null && name.isString() ? name.asString() : null;
        if (tensor == null) {
            throw InferenceException.badRequest("The input tensor needs a 'name'.");
        }
        checkParameters(input.get("parameters"), "input '" + tensor + "'", "binary_data");
        JsonNode datatypeNode = input.get("datatype");
        String datatype = datatypeNode != null && datatypeNode.isString() ? datatypeNode.asString() : null;
        if (!"FP32".equals(datatype) && !"UINT8".equals(datatype)) {
            throw InferenceException.badRequest(
                    "Input '" + tensor + "' has datatype " + datatype + "; the model takes FP32 (or UINT8) values.");
        }
        int[] shape = shape(input.get("shape"), tensor);
        int[] expected = new int[featureShape.length + 1];
        System.arraycopy(featureShape, 0, expected, 1, featureShape.length);
        expected[0] = shape.length > 0 ? shape[0] : -1;
        if (!Arrays.equals(shape, expected)) {
            expected[0] = -1;
            throw InferenceException.badRequest("Input '" + tensor + "' has shape " + Arrays.toString(shape)
                    + "; the model takes shape " + Arrays.toString(expected) + ".");
        }
        int rows = shape[0];
        if (rows == 0) {
            throw InferenceException.badRequest("Input '" + tensor + "' holds no instances (shape[0] is 0).");
        }
        int features = 1;
        for (int d : featureShape) {
            features *= d;
        }
        JsonNode data = input.get("data");
        if (data == null || !data.isArray()) {
            throw InferenceException.badRequest("Input '" + tensor + "' needs 'data', an array of values.");
        }
        long count = count(data);
        if (count != (long) rows * features) {
            throw InferenceException.badRequest("Input '" + tensor + "' has " + count + " values; its shape "
                    + Arrays.toString(shape) + " holds " + (long) rows * features + ".");
        }
        double[][] instances = new double[rows][features];
        int[] at = { 0 };
        fill(data, instances, features, "UINT8".equals(datatype), tensor, at);
        return instances;
    }

    private static int[] shape(JsonNode shape, String tensor) {
        if (shape == null || !shape.isArray()) {
            throw InferenceException.badRequest("Input '" + tensor + "' needs 'shape', an array of sizes.");
        }
        int[] dims = new int[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.asInt() < 0) {
                throw InferenceException
                    .badRequest("Input '" + tensor + "' has shape " + shape + "; sizes are integers of 0 or more.");
            }
            dims[i] = d.asInt();
        }
        return dims;
    }

    /** Values in the (possibly nested) data array. */
    private static long count(JsonNode data) {
        long n = 0;
        for (JsonNode element : data) {
            n += element.isArray() ? count(element) : 1;
        }
        return n;
    }

    /** Copies the values in row-major order, checking each against the datatype. */
    private static void fill(JsonNode data, double[][] instances, int features, boolean uint8, String tensor,
            int[] at) {
        for (JsonNode element : data) {
            if (element.isArray()) {
                fill(element, instances, features, uint8, tensor, at);
                continue;
            }
            int i = at[0]++;
            instances[i / features][i % features] = value(element, uint8, tensor, i);
        }
    }

    private static double value(JsonNode element, boolean uint8, String tensor, int index) {
        if (!element.isNumber()) {
            throw InferenceException
                .badRequest("Input '" + tensor + "' value " + index + " is " + element + ", not a number.");
        }
        if (uint8) {
            if (!element.isIntegralNumber() || !element.canConvertToInt() || element.asInt() < 0
                    || element.asInt() > 255) {
                throw InferenceException.badRequest(
                        "Input '" + tensor + "' value " + index + " is " + element + "; UINT8 values are 0 to 255.");
            }
            return element.asInt();
        }
        double v = element.asDouble();
        if (!Float.isFinite((float) v)) {
            throw InferenceException
                .badRequest("Input '" + tensor + "' value " + index + " is " + element + "; FP32 values are finite.");
        }
        return v;
    }

}
