package dev.trainyard.security.internal;

import java.net.http.HttpRequest;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The expected answer of every endpoint to every kind of caller. The test derives the
 * endpoints from the application's handler mappings and fails on any endpoint missing
 * here, so that a new endpoint cannot ship without its access rules being written down
 * and checked.
 */
final class EndpointMatrix {

    /**
     * The callers: no key, a malformed one, a revoked one, and working keys of different
     * reach.
     */
    enum Caller {

        NO_KEY, MALFORMED_KEY, REVOKED_KEY,
        /**
         * An admin key of tenant B, while the resources in the path belong to tenant A.
         */
        OTHER_TENANT,
        /** An admin key of tenant A, the owner of the resources in the path. */
        OWN,
        /** A user key of tenant A. */
        OWN_USER,
        /** An admin key of the default tenant. */
        OPERATOR

    }

    /**
     * The resources a request may name: tenant A's id, and a fresh key of tenant A per
     * request.
     */
    interface Fixture {

        String tenantA();

        String freshKeyOfTenantA();

        String freshDatasetOfTenantA();

        /**
         * A training job of tenant A that has finished (so its event stream ends at
         * once).
         */
        String finishedJobOfTenantA();

        /** An experiment of tenant A that has finished (one trial, one job). */
        String finishedExperimentOfTenantA();

        String uniqueName();

        /** A fresh model of tenant A (4 features, classes cat, dog, bird). */
        String modelOfTenantA();

        /**
         * A fresh dataset of tenant A that fits {@link #modelOfTenantA()}: 4 features,
         * classes cat and dog.
         */
        String scoringDatasetOfTenantA();

        /** A batch prediction of tenant A that has succeeded. */
        String finishedBatchPredictionOfTenantA();

        /** A fresh ensemble of tenant A over one fresh model. */
        String ensembleOfTenantA();

        /**
         * A fresh registered model of tenant A: version 1 serves a fresh model, aliased
         * {@code champion}.
         */
        String registeredModelOfTenantA();

    }

    /**
     * An endpoint's expected statuses and how to call it. {@code path} may name fixture
     * resources.
     */
    record Row(Function<Fixture, HttpRequest.Builder> request, Map<Caller, Integer> statuses) {
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();

    Map<String, Row> rows() {
        return rows;
    }

    EndpointMatrix add(String endpoint, Function<Fixture, HttpRequest.Builder> request, Map<Caller, Integer> statuses) {
        rows.put(endpoint, new Row(request, statuses));
        return this;
    }

    /**
     * Under /api/v1: 401 without a working key; then the statuses for the keys that work.
     */
    static Map<Caller, Integer> api(int otherTenant, int own, int ownUser, int operator) {
        Map<Caller, Integer> statuses = new EnumMap<>(Caller.class);
        statuses.put(Caller.NO_KEY, 401);
        statuses.put(Caller.MALFORMED_KEY, 401);
        statuses.put(Caller.REVOKED_KEY, 401);
        statuses.put(Caller.OTHER_TENANT, otherTenant);
        statuses.put(Caller.OWN, own);
        statuses.put(Caller.OWN_USER, ownUser);
        statuses.put(Caller.OPERATOR, operator);
        return statuses;
    }

    /**
     * Public: the same answer with no key or any working key; a key that is sent must
     * work.
     */
    static Map<Caller, Integer> open(int status) {
        Map<Caller, Integer> statuses = api(status, status, status, status);
        statuses.put(Caller.NO_KEY, status);
        return statuses;
    }

    /** Operators only (the actuator): 403 for every other working key. */
    static Map<Caller, Integer> operatorOnly(int status) {
        return api(403, 403, 403, status);
    }

}
