package dev.trainyard.experiment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class JsonPointerWriterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ObjectNode spec() {
        return (ObjectNode) JSON.readTree("""
                {"model": {"layers": [{"type": "dense", "units": 4}]}, "a/b": {"c~d": 1}}""");
    }

    @Test
    void writesIntoObjectsAndExistingArrayElementsAndCreatesMissingObjects() {
        ObjectNode spec = spec();
        assertThat(JsonPointerWriter.write(spec, "/model/layers/0/units", JsonNodeFactory.instance.numberNode(8)))
            .isNull();
        assertThat(JsonPointerWriter.write(spec, "/training/optimizer/learningRate",
                JsonNodeFactory.instance.numberNode(0.1)))
            .isNull();
        assertThat(JsonPointerWriter.write(spec, "/a~1b/c~0d", JsonNodeFactory.instance.stringNode("x"))).isNull();
        assertThat(spec.toString()).isEqualTo("{\"model\":{\"layers\":[{\"type\":\"dense\",\"units\":8}]},"
                + "\"a/b\":{\"c~d\":\"x\"},\"training\":{\"optimizer\":{\"learningRate\":0.1}}}");
    }

    @Test
    void refusesArrayElementsTheBaseSpecLacksAndMembersOfScalars() {
        assertThat(JsonPointerWriter.write(spec(), "/model/layers/1/units", JsonNodeFactory.instance.numberNode(8)))
            .isEqualTo("the base spec has no element 1 in the array at /model/layers (it has 1)");
        assertThat(JsonPointerWriter.write(spec(), "/model/layers/01", JsonNodeFactory.instance.numberNode(8)))
            .startsWith("the base spec has no element 01");
        assertThat(JsonPointerWriter.write(spec(), "/model/layers/0/units/x", JsonNodeFactory.instance.numberNode(8)))
            .isEqualTo("the base spec has a value, not an object or array, at /model/layers/0/units");
    }

}
