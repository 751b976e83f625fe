-- Failed and refused logins: the security log shown to trainers, and the memory of the
-- brute-force protection (per source, per login tried + source). Bounded: the newest
-- 10,000 rows of the last 90 days are kept.
CREATE TABLE login_failures (
    id           INTEGER PRIMARY KEY,
    created_at   TEXT NOT NULL,
    -- The client's address as seen by the server ('-' when unknown).
    source       TEXT NOT NULL,
    -- What the limits count by: the IPv4 address, or the IPv6 /64 network.
    source_group TEXT NOT NULL,
    -- The login tried: lower-cased, control characters removed, at most 64 characters.
    login        TEXT NOT NULL,
    -- 'failed': wrong login or password; refused unchecked: 'refused' (the source had too
    -- many failures) or 'slowed' (this source is slowed down on this login).
    outcome      TEXT NOT NULL CHECK (outcome IN ('failed', 'refused', 'slowed'))
);
CREATE INDEX login_failures_group ON login_failures(source_group, id);
CREATE INDEX login_failures_login ON login_failures(login, id);
