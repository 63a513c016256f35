/**
 * The training engine: tensors, kernels, layers, losses, optimizers and the trainer, in
 * plain Java.
 *
 * <p>
 * Contract: nothing in this package tree depends on Spring, Jakarta EE, Hibernate or
 * Jackson (an ArchUnit test enforces it), so the engine could ship as a library of its
 * own. The service modules use it through its public types only; engine types never
 * appear in the HTTP API. The engine is deterministic: the same specification and seed
 * give bit-identical weights, whatever the number of threads.
 *
 * <p>
 * Sub-packages by concept: {@code tensor}, {@code kernel}, {@code backend}, {@code nn},
 * {@code init}, {@code loss}, {@code optim}, {@code data}, {@code train},
 * {@code ensemble}, {@code io}.
 */
package dev.trainyard.engine;
