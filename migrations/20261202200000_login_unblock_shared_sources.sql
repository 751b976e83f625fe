-- A trainer may unblock a source: recorded in the security log as an 'unblocked' row (its
-- login column holds the trainer's e-mail); the brute-force rules ignore that source's
-- attempts made before it. SQLite cannot change a CHECK constraint: the table is rebuilt,
-- rows and ids kept.
CREATE TABLE login_failures_new (
    id           INTEGER PRIMARY KEY,
    created_at   TEXT NOT NULL,
    source       TEXT NOT NULL,
    source_group TEXT NOT NULL,
    login        TEXT NOT NULL,
    -- 'failed', 'refused', 'slowed' (see 20261130000010_security_log.sql), or 'unblocked':
    -- a trainer lifted the refusals of this source group.
    outcome      TEXT NOT NULL CHECK (outcome IN ('failed', 'refused', 'slowed', 'unblocked'))
);
INSERT INTO login_failures_new (id, created_at, source, source_group, login, outcome)
    SELECT id, created_at, source, source_group, login, outcome FROM login_failures;
DROP TABLE login_failures;
ALTER TABLE login_failures_new RENAME TO login_failures;
CREATE INDEX login_failures_group ON login_failures(source_group, id);
CREATE INDEX login_failures_login ON login_failures(login, id);
CREATE INDEX login_failures_time ON login_failures(created_at);

-- Which accounts logged in from which source group (IPv4 address or IPv6 /64), and when
-- last: a source several accounts log in from is a shared one (a classroom), whose
-- per-source failure limit is higher. Rows older than the policy's window are pruned.
CREATE TABLE login_sources (
    source_group TEXT NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    last_at      TEXT NOT NULL,
    PRIMARY KEY (source_group, user_id)
) WITHOUT ROWID;
CREATE INDEX login_sources_time ON login_sources(last_at);
CREATE INDEX login_sources_user ON login_sources(user_id);

-- The logins already in the activity log (IPv4 and IPv4-mapped addresses, whose group is
-- the address itself; earlier IPv6 logins are not carried over).
INSERT OR IGNORE INTO login_sources (source_group, user_id, last_at)
    SELECT CASE WHEN source_ip LIKE '::ffff:%' THEN substr(source_ip, 8) ELSE source_ip END,
           user_id, max(created_at)
    FROM activity_log
    WHERE kind = 'login' AND user_id IS NOT NULL AND source_ip IS NOT NULL
      AND (instr(source_ip, ':') = 0
           OR (source_ip LIKE '::ffff:%' AND instr(substr(source_ip, 8), ':') = 0
               AND instr(substr(source_ip, 8), '.') > 0))
    GROUP BY 1, 2;
