package dev.trainyard.training.internal;

import java.util.UUID;

/**
 * One member of a job as a db-scheduler task instance id: {@code <jobId>/<member>}.
 */
record MemberRef(UUID jobId, int member) {

    static MemberRef parse(String instanceId) {
        int slash = instanceId.indexOf('/');
        return new MemberRef(UUID.fromString(instanceId.substring(0, slash)),
                Integer.parseInt(instanceId.substring(slash + 1)));
    }

    String instanceId() {
        return jobId + "/" + member;
    }

    @Override
    public String toString() {
        return "job " + jobId + " member " + member;
    }

}
