package dev.trainyard.experiment.internal;

import dev.trainyard.dataset.DatasetView;
import dev.trainyard.experiment.ExperimentPreset;
import dev.trainyard.experiment.ExperimentRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The lecture's claims as experiments on one dataset: preprocessing across three
 * networks, initialization of deep tanh and ReLU networks, batch norm across learning
 * rates, dropout (inverted and vanilla), DropBlock against dropout, ensembles of 1 to
 * {@value #MEMBERS} members. Image datasets ((C, H, W), both sides at least
 * {@value #MIN_IMAGE_SIDE}) get conv nets; other datasets get multilayer perceptrons of
 * the same depth, and DropBlock, which drops squares of feature maps, is left out of its
 * preset for them. Every layer list ends in one unit per class of the dataset.
 */
public final class LecturePresets {

    static final int MIN_IMAGE_SIDE = 8;

    static final int MEMBERS = 5;

    static final int REPEATS = 3;

    static final String DIAGNOSTICS_HINT = "Per-layer activation statistics are in each trial's jobs' diagnostics: "
            + "GET /api/v1/jobs/{jobId}/diagnostics (the job ids are the trial's jobIds in GET "
            + "/api/v1/experiments/{id}); activations[i].std of epoch 1 is the spread of layer i's output on a fixed "
            + "probe batch of 256 training examples after the first epoch (test mode), with saturatedFraction for "
            + "tanh and deadFraction for ReLU layers.";

    private final JsonMapper json;

    private final DatasetView dataset;

    private final UUID testDatasetId;

    private final int classes;

    private final boolean image;

    /** The side of the feature maps after the first 2x2 pooling. */
    private final int pooledSide;

    LecturePresets(JsonMapper json, DatasetView dataset, UUID testDatasetId) {
        this.json = json;
        this.dataset = dataset;
        this.testDatasetId = testDatasetId;
        this.classes = dataset.classes().size();
        List<Integer> shape = dataset.featureShape();
        this.image = shape.size() == 3 && shape.get(1) >= MIN_IMAGE_SIDE && shape.get(2) >= MIN_IMAGE_SIDE;
        this.pooledSide = image ? Math.min(shape.get(1), shape.get(2)) / 2 : 0;
    }

    /** The presets for {@code dataset}, evaluated on {@code testDatasetId} when given. */
    public static List<ExperimentPreset> of(JsonMapper json, DatasetView dataset, UUID testDatasetId) {
        return new LecturePresets(json, dataset, testDatasetId).all();
    }

    List<ExperimentPreset> all() {
        return List.of(preprocessing(), initialization(), batchNorm(), dropout(), dropBlock(), ensemble());
    }

    ExperimentPreset preprocessing() {
        String nets = image
                ? "three conv nets: CNN-1 (one 5x5 conv of 8 filters, pooling), CNN-2 (two 3x3 convs of "
                        + "16 and 32 filters, pooling, a dense layer of 64) and CNN-3 (CNN-2's convs with batch norm)"
                : "three multilayer perceptrons in place of the lecture's conv nets, which need (C, H, W) images: "
                        + "MLP-1 (one hidden layer of 64), MLP-2 (128 and 64) and MLP-3 (MLP-2 with batch norm)";
        return preset("preprocessing",
                "Preprocessing the inputs improves accuracy: standardization beats mean subtraction, which beats "
                        + "raw inputs, on each of three convolutional networks (the lecture's Table I).",
                "Grid of preprocessing (none, mean_subtraction, standardize, min_max; statistics per feature, from "
                        + "the training split) x " + nets + ", one learning rate for all, " + REPEATS
                        + " seeds each. Compare bestValAccuracy (and testAccuracy with a test dataset) of the "
                        + "methods within each network; a trial whose training diverged (FAILED, training_diverged) "
                        + "is a result too: that network did not train on those inputs at that learning rate.",
                base(10, 0.01, networks()), 4, parameter("/preprocessing/method", text("none"),
                        text("mean_subtraction"), text("standardize"), text("min_max")),
                parameter("/model/layers", networks().toArray(ArrayNode[]::new)));
    }

    ExperimentPreset initialization() {
        ObjectNode spec = base(5, 0.01, List.of(deepMlp("tanh")));
        return preset("initialization",
                "Small random weights N(0, 0.01) make the activations of a deep network collapse towards zero layer "
                        + "by layer, constant weights leave every unit of a layer the same, while Xavier (tanh) and "
                        + "He (ReLU) initialization keep the activations' spread through all layers.",
                "Grid of 10-layer perceptrons (10 hidden layers of 500 units, tanh or ReLU) x initialization of every "
                        + "weight layer (constant 0.01, normal with std 0.01, xavier_normal, he_normal), "
                        + "standardized inputs. " + DIAGNOSTICS_HINT + " The claim holds when the std falls towards 0 "
                        + "from layer to layer under normal(0.01) and stays of the same order under xavier_normal "
                        + "(tanh) and he_normal (ReLU); constant weights show up as a network that learns no better "
                        + "than a one-unit-wide one (bestValAccuracy).",
                spec, 4, parameter("/model/layers", deepMlp("tanh"), deepMlp("relu")),
                parameter("/model/init", init("constant", "value", 0.01), init("normal", "std", 0.01),
                        init("xavier_normal", null, 0), init("he_normal", null, 0)));
    }

    ExperimentPreset batchNorm() {
        ArrayNode plain = image ? convNet(false) : mlp(false);
        ArrayNode normalized = image ? convNet(true) : mlp(true);
        return preset("batch_norm",
                "Batch normalization allows higher learning rates (and lessens the dependence on initialization).",
                "Grid of the same "
                        + (image ? "conv net (two 3x3 convs of 16 and 32 filters, a dense layer of 64)"
                                : "perceptron (hidden layers of 128, 128 and 64; a conv net needs (C, H, W) images)")
                        + " without and with batch norm after each hidden layer x SGD learning rates 0.01, 0.03, "
                        + "0.1, 0.3 (momentum 0.9). The claim holds when the batch-norm network reaches its best "
                        + "bestValAccuracy at a higher learning rate, or keeps training (not FAILED with "
                        + "training_diverged) where the plain one diverges or falls behind.",
                base(10, 0.01, List.of(plain)), 4, parameter("/model/layers", plain, normalized),
                parameter("/training/optimizer/learningRate", number(0.01), number(0.03), number(0.1), number(0.3)));
    }

    ExperimentPreset dropout() {
        ArrayNode layers = flatten();
        layers.add(dense(512)).add(layer("relu")).add(dense(512)).add(layer("relu"));
        int at = layers.size();
        layers.add(layer("dropout").put("rate", 0.5).put("variant", "inverted")).add(dense(classes));
        String p = "/model/layers/" + at;
        return preset("dropout",
                "Dropout reduces overfitting, and its vanilla form (scaling activations by the keep probability at "
                        + "test time) and inverted form (scaling by 1 / keep probability while training) agree.",
                "A perceptron with two hidden layers of 512 and dropout before the output layer, trained long "
                        + "enough to overfit, x dropout rate 0 and 0.5 x variant inverted and vanilla (at rate 0 "
                        + "the two variants are the same network: a control). Overfitting is the gap between the "
                        + "last epoch's trainAccuracy and valAccuracy (GET /api/v1/jobs/{jobId}/metrics); the "
                        + "claim holds when rate 0.5 narrows the gap and keeps or improves bestValAccuracy, and "
                        + "the two variants at 0.5 agree within their spread over seeds.",
                base(20, 0.01, List.of(layers)), 4, parameter(p + "/rate", number(0.0), number(0.5)),
                parameter(p + "/variant", text("inverted"), text("vanilla")));
    }

    ExperimentPreset dropBlock() {
        ArrayNode layers;
        int at;
        List<JsonNode> regularizers = new ArrayList<>(List.of(layer("dropout").put("rate", 0.0),
                layer("dropout").put("rate", 0.1), layer("dropout").put("rate", 0.3)));
        String description;
        if (image) {
            int block = Math.max(1, Math.min(7, pooledSide / 4));
            layers = json.createArrayNode()
                .add(conv(16, 3))
                .add(layer("relu"))
                .add(layer("max_pool"))
                .add(conv(32, 3))
                .add(layer("relu"));
            at = layers.size();
            layers.add(layer("dropout").put("rate", 0.0))
                .add(layer("max_pool"))
                .add(layer("flatten"))
                .add(dense(64))
                .add(layer("relu"))
                .add(dense(classes));
            regularizers.add(layer("drop_block").put("blockSize", block).put("rate", 0.1));
            description = "A conv net (3x3 convs of 16 and 32 filters, pooling, a dense layer of 64) whose second "
                    + "conv's feature maps (" + pooledSide + "x" + pooledSide + ") go through nothing, dropout "
                    + "0.1, dropout 0.3, or DropBlock (" + block + "x" + block + " blocks, rate 0.1 as the "
                    + "paper's keep probability 0.9). The claim holds when DropBlock's bestValAccuracy (and "
                    + "testAccuracy) is above the best dropout's and the baseline's, by more than their spread over "
                    + "seeds.";
        }
        else {
            layers = flatten();
            layers.add(dense(256)).add(layer("relu"));
            at = layers.size();
            layers.add(layer("dropout").put("rate", 0.0)).add(dense(128)).add(layer("relu")).add(dense(classes));
            description = "This dataset's examples are not (C, H, W) images, and DropBlock drops squares of "
                    + "feature maps, so only dropout (rate 0, 0.1, 0.3) after the first hidden layer of a "
                    + "perceptron (256, 128) is compared here; the claim cannot be judged on this dataset.";
        }
        return preset("drop_block",
                "On convolutional networks DropBlock, which drops contiguous squares of feature maps, regularizes "
                        + "better than dropout, which drops single units whose neighbours carry the same "
                        + "information.",
                description, base(15, 0.01, List.of(layers)), 4,
                parameter("/model/layers/" + at, regularizers.toArray(JsonNode[]::new)));
    }

    ExperimentPreset ensemble() {
        JsonNode[] members = new JsonNode[MEMBERS];
        for (int k = 0; k < MEMBERS; k++) {
            members[k] = number(k + 1);
        }
        String judged = testDatasetId != null
                ? "testAccuracy, which for an ensemble is the accuracy of its averaged probabilities on the test "
                        + "dataset"
                : "testAccuracy, which needs a test dataset: ask for the presets with testDatasetId (without it "
                        + "only each member's bestValAccuracy is measured, which does not judge the claim)";
        return preset("ensemble",
                "An ensemble of independently trained models, averaging their predicted probabilities, is more "
                        + "accurate than one model (the lecture: about 2% extra).",
                "The same " + (image ? "conv net (CNN-1 of the preprocessing preset)" : "perceptron (MLP-1)")
                        + " trained as an ensemble of 1 to " + MEMBERS + " members (seeds seed, seed + 1, ...). "
                        + "Read " + judged + "; the claim holds when it rises from 1 member and the gain levels off.",
                base(10, 0.01, List.of(networks().get(0))), 4, parameter("/ensemble/members", members));
    }

    private ExperimentPreset preset(String id, String claim, String description, ObjectNode baseSpec, int maxConcurrent,
            ExperimentRequest.Parameter... parameters) {
        String name = "lecture: " + id.replace('_', ' ') + " on " + dataset.name();
        return new ExperimentPreset(id, claim, description,
                new ExperimentRequest(name, baseSpec, List.of(parameters),
                        new ExperimentRequest.Strategy(ExperimentRequest.Strategy.GRID, null, null, null, null, null),
                        "val_accuracy", REPEATS, maxConcurrent));
    }

    /**
     * A job spec: standardized inputs, He initialization, SGD with momentum 0.9, batches
     * of 64, a tenth held out for validation, and the first of {@code layers}.
     */
    private ObjectNode base(int epochs, double learningRate, List<ArrayNode> layers) {
        ObjectNode spec = json.createObjectNode();
        spec.put("datasetId", dataset.id().toString());
        if (testDatasetId != null) {
            spec.put("testDatasetId", testDatasetId.toString());
        }
        spec.put("validationFraction", 0.1).put("seed", 0);
        spec.putObject("preprocessing").put("method", "standardize");
        ObjectNode model = spec.putObject("model");
        model.putObject("init").put("method", "he_normal");
        model.set("layers", layers.get(0));
        ObjectNode training = spec.putObject("training").put("epochs", epochs).put("batchSize", 64);
        training.putObject("optimizer").put("type", "sgd").put("learningRate", learningRate).put("momentum", 0.9);
        return spec;
    }

    /** CNN-1, CNN-2, CNN-3 for images; MLP-1, MLP-2, MLP-3 otherwise. */
    private List<ArrayNode> networks() {
        if (image) {
            ArrayNode small = json.createArrayNode()
                .add(conv(8, 5))
                .add(layer("relu"))
                .add(layer("max_pool"))
                .add(layer("flatten"))
                .add(dense(classes));
            return List.of(small, convNet(false), convNet(true));
        }
        ArrayNode small = flatten().add(dense(64)).add(layer("relu")).add(dense(classes));
        ArrayNode deeper = flatten().add(dense(128)).add(layer("relu")).add(dense(64)).add(layer("relu"));
        deeper.add(dense(classes));
        ArrayNode normalized = flatten().add(dense(128))
            .add(layer("batch_norm"))
            .add(layer("relu"))
            .add(dense(64))
            .add(layer("batch_norm"))
            .add(layer("relu"))
            .add(dense(classes));
        return List.of(small, deeper, normalized);
    }

    /**
     * Two 3x3 convs (16, 32 filters) with pooling, a dense layer of 64; batch norm or
     * not.
     */
    private ArrayNode convNet(boolean batchNorm) {
        ArrayNode layers = json.createArrayNode();
        for (int filters : new int[] { 16, 32 }) {
            ObjectNode c = conv(filters, 3);
            layers.add(c);
            if (batchNorm) {
                c.put("bias", false);
                layers.add(layer("batch_norm"));
            }
            layers.add(layer("relu")).add(layer("max_pool"));
        }
        layers.add(layer("flatten")).add(dense(64));
        if (batchNorm) {
            layers.add(layer("batch_norm"));
        }
        return layers.add(layer("relu")).add(dense(classes));
    }

    /** Hidden layers of 128, 128 and 64, batch norm before each ReLU or not. */
    private ArrayNode mlp(boolean batchNorm) {
        ArrayNode layers = flatten();
        for (int units : new int[] { 128, 128, 64 }) {
            layers.add(dense(units));
            if (batchNorm) {
                layers.add(layer("batch_norm"));
            }
            layers.add(layer("relu"));
        }
        return layers.add(dense(classes));
    }

    /** Ten hidden layers of 500 units with {@code activation}, then the output layer. */
    private ArrayNode deepMlp(String activation) {
        ArrayNode layers = flatten();
        for (int i = 0; i < 10; i++) {
            layers.add(dense(500)).add(layer(activation));
        }
        return layers.add(dense(classes));
    }

    /** A flatten layer where examples are not flat, else nothing. */
    private ArrayNode flatten() {
        ArrayNode layers = json.createArrayNode();
        if (dataset.featureShape().size() > 1) {
            layers.add(layer("flatten"));
        }
        return layers;
    }

    private ObjectNode conv(int filters, int kernel) {
        return layer("conv2d").put("filters", filters).put("kernel", kernel).put("padding", "same");
    }

    private ObjectNode dense(int units) {
        return layer("dense").put("units", units);
    }

    private ObjectNode layer(String type) {
        return json.createObjectNode().put("type", type);
    }

    private ObjectNode init(String method, String parameter, double value) {
        ObjectNode init = json.createObjectNode().put("method", method);
        return parameter == null ? init : init.put(parameter, value);
    }

    private JsonNode text(String value) {
        return json.getNodeFactory().stringNode(value);
    }

    private JsonNode number(double value) {
        return json.getNodeFactory().numberNode(value);
    }

    private JsonNode number(int value) {
        return json.getNodeFactory().numberNode(value);
    }

    private static ExperimentRequest.Parameter parameter(String path, JsonNode... values) {
        return new ExperimentRequest.Parameter(path, List.of(values), null, null, null);
    }

}
