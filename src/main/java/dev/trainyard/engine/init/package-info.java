/**
 * Weight initializers named after their papers, with the formulas and fan computation of
 * {@code torch.nn.init}; each class states its formula in one line.
 */
package dev.trainyard.engine.init;
