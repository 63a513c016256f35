package dev.trainyard.system;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A test hook for races: makes the thread that is about to run a chosen SQL statement
 * wait until the test lets it go, so that a test can run a competing request at exactly
 * that point. It wraps the context's data source; every statement any component prepares
 * (JDBC, JPA, Flyway, db-scheduler) passes through {@link #check}. Import it into a test
 * context with {@code @Import(SqlPauses.class)} and arm it with {@link #before}.
 *
 * <p>
 * The pause happens before the statement is sent, so the database has not yet seen it: a
 * {@code SELECT ... FOR UPDATE} paused this way holds no lock, while every statement the
 * same transaction ran before it keeps its locks for the whole pause.
 */
@TestComponent
public class SqlPauses implements BeanPostProcessor {

    /** Longest time a paused thread waits for the test; a failed test never hangs. */
    static final Duration MAX_PAUSE = Duration.ofSeconds(60);

    private final List<Pause> armed = new CopyOnWriteArrayList<>();

    private final List<Pause> made = new CopyOnWriteArrayList<>();

    /**
     * Pauses the first thread to prepare a statement containing {@code sqlFragment}
     * (case-insensitive, whitespace as written).
     */
    public Pause before(String sqlFragment) {
        return before(sqlFragment, null, 0);
    }

    /**
     * Pauses at the statement containing {@code sqlFragment} that is prepared while a
     * method named {@code caller} ({@code SimpleClassName.method}) is on the stack,
     * letting the first {@code skip} such statements pass.
     */
    public Pause before(String sqlFragment, String caller, int skip) {
        Pause pause = new Pause(sqlFragment.toLowerCase(Locale.ROOT), caller, skip);
        armed.add(pause);
        made.add(pause);
        return pause;
    }

    /** Disarms every pause and lets every paused thread go. */
    public void releaseAll() {
        armed.clear();
        for (Pause pause : made) {
            pause.release();
        }
        made.clear();
    }

    void check(String sql) {
        if (armed.isEmpty() || sql == null) {
            return;
        }
        String lower = sql.toLowerCase(Locale.ROOT);
        for (Pause pause : armed) {
            if (pause.matches(lower) && pause.take()) {
                armed.remove(pause);
                pause.hold();
                return;
            }
        }
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource dataSource && !(bean instanceof Pausing)) {
            return new Pausing(dataSource, this);
        }
        return bean;
    }

    /** One armed pause: reached once, then released by the test. */
    public static final class Pause {

        private final String fragment;

        private final String caller;

        private final AtomicInteger toSkip;

        private final CountDownLatch reached = new CountDownLatch(1);

        private final CountDownLatch released = new CountDownLatch(1);

        private volatile String thread;

        Pause(String fragment, String caller, int skip) {
            this.fragment = fragment;
            this.caller = caller;
            this.toSkip = new AtomicInteger(skip);
        }

        boolean matches(String sql) {
            return sql.contains(fragment) && (caller == null || onStack(caller));
        }

        /** True for the one match that pauses; earlier ones are skipped. */
        synchronized boolean take() {
            if (reached.getCount() == 0) {
                return false;
            }
            return toSkip.getAndDecrement() <= 0;
        }

        void hold() {
            thread = Thread.currentThread().getName();
            reached.countDown();
            try {
                if (!released.await(MAX_PAUSE.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("Paused before '" + fragment + "' for " + MAX_PAUSE
                            + " without being released; the test forgot to release it");
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Waits until a thread is paused here; throws if none got here within
         * {@code timeout}, so a test proves it exercised the interleaving.
         */
        public Pause awaitReached(Duration timeout) throws InterruptedException {
            if (!reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("No thread reached the statement containing '" + fragment + "'"
                        + (caller != null ? " from " + caller : "") + " within " + timeout);
            }
            return this;
        }

        public boolean reached() {
            return reached.getCount() == 0;
        }

        /** The name of the thread that paused here (once reached). */
        public String thread() {
            return thread;
        }

        public void release() {
            released.countDown();
        }

        private static boolean onStack(String caller) {
            return StackWalker.getInstance()
                .walk(frames -> frames
                    .anyMatch(f -> caller.equals(simpleName(f.getClassName()) + "." + f.getMethodName())));
        }

        private static String simpleName(String className) {
            return className.substring(Math.max(className.lastIndexOf('.'), className.lastIndexOf('$')) + 1);
        }

    }

    /** The data source whose connections report every prepared statement. */
    static final class Pausing extends DelegatingDataSource {

        private final SqlPauses pauses;

        Pausing(DataSource target, SqlPauses pauses) {
            super(target);
            this.pauses = pauses;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return wrap(obtainTargetDataSource().getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return wrap(obtainTargetDataSource().getConnection(username, password));
        }

        private Connection wrap(Connection target) {
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] { Connection.class }, (proxy, method, args) -> invoke(target, method, args));
        }

        private Object invoke(Connection target, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if ((name.equals("prepareStatement") || name.equals("prepareCall")) && args != null
                    && args[0] instanceof String sql) {
                pauses.check(sql);
            }
            try {
                return method.invoke(target, args);
            }
            catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

    }

}
