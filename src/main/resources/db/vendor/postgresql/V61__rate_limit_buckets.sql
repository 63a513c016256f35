-- Per-key rate limits (module security) on PostgreSQL: one Bucket4j token bucket per API key and
-- rule, shared by every instance. The id reads <rule>/<permits>/<key id>; the state is Bucket4j's
-- serialized bucket, read and written under SELECT ... FOR UPDATE.
--
-- UNLOGGED: a bucket changes on nearly every limited request, and its state is worth nothing after
-- a crash (PostgreSQL then empties the table, which refills every bucket), so its writes skip the
-- WAL and the disk flush at commit. On the embedded H2 database, one instance keeps its buckets in
-- memory and has no such table.
CREATE UNLOGGED TABLE rate_limit_buckets (
    id    VARCHAR(100) PRIMARY KEY,
    state BYTEA
);
