package dev.trainyard.engine.init;

/**
 * Which fan sets a Xavier variance: {@code IN}: Var = 1/n_in; {@code AVG}: Var = 2/(n_in
 * + n_out).
 */
public enum FanMode {

    IN, AVG;

    double variance(Fans fans) {
        return this == IN ? 1.0 / fans.in() : 2.0 / (fans.in() + fans.out());
    }

}
