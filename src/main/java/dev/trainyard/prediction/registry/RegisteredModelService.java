package dev.trainyard.prediction.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.trainyard.model.ModelService;
import dev.trainyard.prediction.EnsembleService;
import dev.trainyard.system.ApiException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Registered models (MLflow's model registry is the model): a tenant's name for a model
 * or ensemble that changes over time, with versions numbered 1, 2, ... and aliases such
 * as {@code champion} that name one version and move atomically.
 *
 * <p>
 * Resolving a name with an alias or a version number is what every prediction by name
 * does first; the answer is kept for {@code trainyard.registry.resolution-ttl} (at most 1
 * s), and forgotten at once on this instance when its versions or aliases change.
 */
@Service
public class RegisteredModelService {

    static final int MAX_PAGE_SIZE = 100;

    static final int MAX_DESCRIPTION = 2000;

    /** Resolutions remembered at most. */
    static final int KNOWN_RESOLUTIONS = 10_000;

    /** Which version of a name: by alias, by number, or the protocol's default. */
    private record Key(UUID tenantId, String name, String selector) {
    }

    private final RegisteredModelStore store;

    private final ModelService models;

    private final EnsembleService ensembles;

    private final Cache<Key, ServingTarget> resolved;

    /**
     * Counts changes forgotten on this instance, so that a resolution read before a
     * change is not remembered after it.
     */
    private final AtomicLong changes = new AtomicLong();

    RegisteredModelService(RegisteredModelStore store, ModelService models, EnsembleService ensembles,
            RegistryProperties properties) {
        this.store = store;
        this.models = models;
        this.ensembles = ensembles;
        this.resolved = Caffeine.newBuilder()
            .maximumSize(properties.resolutionTtl().isZero() ? 0 : KNOWN_RESOLUTIONS)
            .expireAfterWrite(properties.resolutionTtl())
            .executor(Runnable::run)
            .build();
    }

    /** A new registered model without versions; 400 for a bad name, 409 if taken. */
    @Transactional
    public RegisteredModelView create(UUID tenantId, CreateRegisteredModelRequest request) {
        String name = request.name();
        RegistryNames.checkName(name, "#/name");
        String description = request.description();
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Description too long",
                    "A description has at most " + MAX_DESCRIPTION + " characters, not " + description.length() + ".")
                .with("pointer", "#/description");
        }
        if (store.find(tenantId, name).isPresent()) {
            throw taken(name);
        }
        try {
            RegisteredModelStore.Head head = store.insert(tenantId, name, description);
            return new RegisteredModelView(head.name(), head.description(), List.of(), Map.of(), head.createdAt());
        }
        catch (DuplicateKeyException raced) {
            throw taken(name);
        }
    }

    @Transactional(readOnly = true)
    public RegisteredModelView get(UUID tenantId, String name) {
        return view(head(tenantId, name));
    }

    @Transactional(readOnly = true)
    public RegisteredModelPage list(UUID tenantId, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid page",
                    "page must be 0 or more and size from 1 to " + MAX_PAGE_SIZE + ".")
                .with("page", page)
                .with("size", size);
        }
        long total = store.count(tenantId);
        List<RegisteredModelView> items = store.page(tenantId, page, size).stream().map(this::view).toList();
        return new RegisteredModelPage(items, page, size, total, (int) ((total + size - 1) / size));
    }

    /**
     * Adds the next version, pointing at one of the tenant's models or ensembles. The
     * registered model's row is locked while the number is taken, so concurrent calls on
     * any instance get consecutive numbers.
     */
    @Transactional
    public RegisteredModelVersion addVersion(UUID tenantId, String name, CreateVersionRequest request) {
        UUID modelId = request.modelId();
        UUID ensembleId = request.ensembleId();
        if ((modelId == null) == (ensembleId == null)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid version",
                    "A version names exactly one of modelId and ensembleId.")
                .with("pointer", "#");
        }
        RegisteredModelStore.Head head = store.lock(tenantId, name).orElseThrow(() -> notFound(name));
        // held until the version is stored, so that the model is not deleted meanwhile
        if (modelId != null && models.reserve(tenantId, List.of(modelId)).isEmpty()) {
            throw ModelService.notFound(modelId).with("pointer", "#/modelId");
        }
        if (ensembleId != null && ensembles.find(tenantId, ensembleId).isEmpty()) {
            throw new ApiException(HttpStatus.NOT_FOUND, "Ensemble not found",
                    "There is no ensemble " + ensembleId + ".")
                .with("ensembleId", ensembleId)
                .with("pointer", "#/ensembleId");
        }
        int version = store.nextVersion(head.id());
        RegisteredModelVersion created = store.insertVersion(head, version, modelId, ensembleId);
        forgetAfterCommit(tenantId, name);
        return created;
    }

    @Transactional(readOnly = true)
    public RegisteredModelVersion version(UUID tenantId, String name, int version) {
        RegisteredModelStore.Head head = head(tenantId, name);
        return store.version(head, version).orElseThrow(() -> versionNotFound(name, version));
    }

    /**
     * Points the alias at an existing version (creating it or moving it, in one
     * statement); answers the registered model.
     */
    @Transactional
    public RegisteredModelView setAlias(UUID tenantId, String name, String alias, SetAliasRequest request) {
        RegistryNames.checkSettableAlias(alias);
        if (request.version() == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Missing version", "The alias needs a version number.")
                .with("pointer", "#/version");
        }
        int version = request.version();
        RegisteredModelStore.Head head = store.lock(tenantId, name).orElseThrow(() -> notFound(name));
        if (store.version(head, version).isEmpty()) {
            throw versionNotFound(name, version).with("pointer", "#/version");
        }
        store.setAlias(head, alias, version);
        forgetAfterCommit(tenantId, name);
        return view(head);
    }

    @Transactional
    public void deleteAlias(UUID tenantId, String name, String alias) {
        RegistryNames.checkSettableAlias(alias);
        RegisteredModelStore.Head head = store.lock(tenantId, name).orElseThrow(() -> notFound(name));
        if (!store.deleteAlias(head, alias)) {
            throw aliasNotFound(name, alias);
        }
        forgetAfterCommit(tenantId, name);
    }

    /**
     * The version the alias names ({@code latest}: the highest); 404 for an unknown name
     * or alias.
     */
    public ServingTarget resolveAlias(UUID tenantId, String name, String alias) {
        if (!RegistryNames.isAlias(alias)) {
            throw aliasNotFound(name, alias);
        }
        if (RegistryNames.LATEST.equals(alias)) {
            return resolve(new Key(tenantId, name, "@" + alias), () -> store.latest(tenantId, name),
                    () -> noVersions(name));
        }
        return resolve(new Key(tenantId, name, "@" + alias), () -> store.byAlias(tenantId, name, alias),
                () -> aliasNotFound(name, alias));
    }

    /** The numbered version; 404 for an unknown name or version. */
    public ServingTarget resolveVersion(UUID tenantId, String name, int version) {
        return resolve(new Key(tenantId, name, "#" + version), () -> store.byVersion(tenantId, name, version),
                () -> versionNotFound(name, version));
    }

    /**
     * The version served when a client names no version: the one aliased
     * {@code champion}, else the highest; 404 when there is none.
     */
    public ServingTarget resolveDefault(UUID tenantId, String name) {
        return resolve(new Key(tenantId, name, ""),
                () -> store.byAlias(tenantId, name, "champion").or(() -> store.latest(tenantId, name)),
                () -> noVersions(name));
    }

    private ServingTarget resolve(Key key, Supplier<Optional<ServingTarget>> read, Supplier<ApiException> missing) {
        if (!RegistryNames.isName(key.name())) {
            throw notFound(key.name());
        }
        ServingTarget known = resolved.getIfPresent(key);
        if (known != null) {
            return known;
        }
        long seen = changes.get();
        Optional<ServingTarget> target = read.get();
        if (target.isEmpty()) {
            if (store.find(key.tenantId(), key.name()).isEmpty()) {
                throw notFound(key.name());
            }
            throw missing.get();
        }
        if (changes.get() == seen) {
            resolved.put(key, target.get());
            // a change that forgot between the check and the put is caught here
            if (changes.get() != seen) {
                resolved.invalidate(key);
            }
        }
        return target.get();
    }

    /**
     * Forgets this instance's resolutions of the name now and again once the change
     * commits, so that no resolution read in between outlives it.
     */
    private void forgetAfterCommit(UUID tenantId, String name) {
        forget(tenantId, name);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    forget(tenantId, name);
                }
            });
        }
    }

    private void forget(UUID tenantId, String name) {
        changes.incrementAndGet();
        resolved.asMap().keySet().removeIf(k -> k.tenantId().equals(tenantId) && k.name().equals(name));
    }

    private RegisteredModelStore.Head head(UUID tenantId, String name) {
        if (!RegistryNames.isName(name)) {
            throw notFound(name);
        }
        return store.find(tenantId, name).orElseThrow(() -> notFound(name));
    }

    private RegisteredModelView view(RegisteredModelStore.Head head) {
        return new RegisteredModelView(head.name(), head.description(), store.versions(head), store.aliases(head),
                head.createdAt());
    }

    static ApiException notFound(String name) {
        return new ApiException(HttpStatus.NOT_FOUND, "Registered model not found",
                "There is no registered model " + name + ".")
            .with("name", name);
    }

    private static ApiException versionNotFound(String name, int version) {
        return new ApiException(HttpStatus.NOT_FOUND, "Version not found",
                "Registered model " + name + " has no version " + version + ".")
            .with("name", name)
            .with("version", version);
    }

    private static ApiException aliasNotFound(String name, String alias) {
        return new ApiException(HttpStatus.NOT_FOUND, "Alias not found",
                "Registered model " + name + " has no alias " + alias + ".")
            .with("name", name)
            .with("alias", alias);
    }

    private static ApiException noVersions(String name) {
        return new ApiException(HttpStatus.NOT_FOUND, "No version", "Registered model " + name + " has no versions.")
            .with("name", name);
    }

    private static ApiException taken(String name) {
        return new ApiException(HttpStatus.CONFLICT, "Name taken", "There is already a registered model " + name + ".")
            .with("name", name);
    }

}
