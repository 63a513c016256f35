package dev.trainyard.security.internal;

import io.github.bucket4j.TimeMeter;
import java.sql.DatabaseMetaData;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * The {@link RateLimiter} and where its buckets live, chosen by the database: on
 * PostgreSQL, which several instances share, in its table {@code rate_limit_buckets}; on
 * the embedded H2 database, which one instance owns, in memory (Bucket4j has no H2
 * support, and none is needed there).
 */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RateLimitConfiguration.class);

    @Bean
    RateLimiter rateLimiter(SecurityProperties properties, DataSource dataSource) throws MetaDataAccessException {
        String database = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
        boolean shared = "PostgreSQL".equals(database);
        RateLimitBuckets buckets = shared ? new DatabaseRateLimitBuckets(dataSource, TimeMeter.SYSTEM_MILLISECONDS)
                : new LocalRateLimitBuckets(System::nanoTime);
        log.info("Rate limit buckets: {}",
                shared ? "in the database, shared by every instance" : "in memory (" + database + ")");
        return RateLimiter.fromProperties(properties.rateLimits(), buckets);
    }

}
