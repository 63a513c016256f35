/**
 * Layers with explicit forward and backward passes, and the
 * {@link dev.trainyard.engine.nn.Sequential} model.
 *
 * <p>
 * Conventions are PyTorch's: Dense weights (out, in), Conv2d weights (F, C, KH, KW), NCHW
 * tensors, dropout {@code rate} = probability of dropping, BatchNorm momentum 0.1 and eps
 * 1e-5 with the biased batch variance for normalizing and the unbiased one for the
 * running estimate, parameter and state names as in {@code state_dict} ({@code 0.weight},
 * {@code 1.running_mean}).
 */
package dev.trainyard.engine.nn;
