/**
 * Datasets: upload (CSV, IDX, ZIP of images), validation, storage and loading.
 *
 * <p>
 * {@code POST /api/v1/datasets} parses an upload as it streams in and stores it compactly
 * (uint8 where the source is bytes, float32 otherwise) in chunks of at most 8 MiB, all in
 * one transaction. Bad content is refused with 422 problem details naming the part, row
 * and column, and stores nothing.
 *
 * <p>
 * {@code GET /api/v1/datasets/{id}/examples} pages through the stored examples with their
 * raw values and class names; it reads only the chunks that hold the page, finding them
 * from the length of the first chunk (every chunk but the last is full).
 *
 * <p>
 * Datasets belong to the tenant of the API key that uploaded them; every method of
 * {@link dev.trainyard.dataset.DatasetService} takes the tenant, and another tenant's
 * dataset answers 404. An upload that would pass the tenant's dataset quota is refused
 * with 409 and stores nothing; uploads of one tenant are checked one after another under
 * a row lock in the database, so concurrent ones on any instances never pass it together.
 *
 * <p>
 * Other modules use {@link dev.trainyard.dataset.DatasetService}: {@code load} gives an
 * {@code engine.data.Dataset} (raw feature values as float32, labels as class indices),
 * {@code find} the description with class names, {@code reserve} guards a dataset against
 * deletion while a new use is being recorded; and they implement
 * {@link dev.trainyard.dataset.DatasetUsage} to refuse deletions while they depend on a
 * dataset. Parsers, entities and storage live in {@code internal}.
 *
 * <p>
 * Persistence: JPA only (two entities, a Spring Data repository, and the
 * {@code EntityManager} to write each chunk and detach it at once, so that the
 * persistence context never holds a chunk's bytes).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Datasets")
package dev.trainyard.dataset;
