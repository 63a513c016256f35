package dev.trainyard.system;

import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the race tests' checks share: the application's port, its {@link SqlPauses} (every
 * pause released after each test, so a failed test leaves no thread waiting) and its
 * database. The test's context must {@code @Import(SqlPauses.class)}.
 */
public abstract class SqlPauseChecks {

    /**
     * How long a test holds a request waiting behind a paused one: longer than H2's
     * default lock timeout (2 s), which the waiting request must outlast.
     */
    public static final long HOLD_MILLIS = 2500;

    @LocalServerPort
    protected int port;

    @Autowired
    protected SqlPauses pauses;

    @Autowired
    protected JdbcClient jdbc;

    @AfterEach
    void releasePauses() {
        pauses.releaseAll();
    }

}
