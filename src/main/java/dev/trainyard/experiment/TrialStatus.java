package dev.trainyard.experiment;

/**
 * A trial's state: QUEUED until one of its jobs starts, RUNNING until its jobs end (and,
 * under successive halving, until its rung is decided), then SUCCEEDED, FAILED (a job
 * failed, e.g. diverged; its reason is the trial's error), CANCELLED, or STOPPED: not
 * promoted by successive halving past its {@code rung}, with the results of that rung.
 */
public enum TrialStatus {

    QUEUED, RUNNING, SUCCEEDED, STOPPED, FAILED, CANCELLED;

    public boolean ended() {
        return this != QUEUED && this != RUNNING;
    }

}
