package dev.trainyard.dataset.internal;

import jakarta.persistence.LockModeType;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Queries on datasets; used through {@link DatasetStore} only. */
interface DatasetRepository extends JpaRepository<DatasetEntity, UUID> {

    Page<DatasetEntity> findByTenantId(UUID tenantId, Pageable pageable);

    Optional<DatasetEntity> findByIdAndTenantId(UUID id, UUID tenantId);

    boolean existsByIdAndTenantId(UUID id, UUID tenantId);

    @Query("select coalesce(sum(d.sizeBytes), 0) from DatasetEntity d where d.tenantId = :tenantId")
    long storedBytes(@Param("tenantId") UUID tenantId);

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select d from DatasetEntity d where d.id = :id and d.tenantId = :tenantId")
    Optional<DatasetEntity> lockForUpdate(@Param("tenantId") UUID tenantId, @Param("id") UUID id);

    @Lock(LockModeType.PESSIMISTIC_READ)
    @Query("select d from DatasetEntity d where d.id = :id and d.tenantId = :tenantId")
    Optional<DatasetEntity> lockForShare(@Param("tenantId") UUID tenantId, @Param("id") UUID id);

    @Query("select count(c) from DatasetChunk c where c.key.datasetId = :id and c.key.kind = :kind")
    int chunkCount(@Param("id") UUID id, @Param("kind") String kind);

    /** Bytes in one chunk, without reading them. */
    @Query(value = "select octet_length(data) from dataset_chunks where dataset_id = :id and kind = :kind and seq = :seq",
            nativeQuery = true)
    Optional<Integer> chunkLength(@Param("id") UUID id, @Param("kind") String kind, @Param("seq") int seq);

    @Modifying
    @Query("delete from DatasetChunk c where c.key.datasetId = :id")
    int deleteChunks(@Param("id") UUID id);

}
