package dev.trainyard.security.internal;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface ApiKeyRepository extends JpaRepository<ApiKeyEntity, UUID> {

    Optional<ApiKeyEntity> findByPublicId(String publicId);

    List<ApiKeyEntity> findByTenantIdOrderByCreatedAtAscIdAsc(UUID tenantId);

    List<ApiKeyEntity> findAllByOrderByCreatedAtAscIdAsc();

    boolean existsByBootstrapTrue();

}
