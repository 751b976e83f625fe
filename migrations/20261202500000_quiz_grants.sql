-- Extra attempts and extra time a trainer gives one student on one quiz (issue 15).
-- Append-only: each grant is a row (who gave what, when); a student's allowance is the
-- sum of their rows. Granting never rewrites a result.
CREATE TABLE quiz_grants (
    id             INTEGER PRIMARY KEY,
    quiz_id        INTEGER NOT NULL REFERENCES quizzes(id) ON DELETE CASCADE,
    student_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    extra_attempts INTEGER NOT NULL DEFAULT 0 CHECK (extra_attempts >= 0),
    extra_minutes  INTEGER NOT NULL DEFAULT 0 CHECK (extra_minutes >= 0),
    granted_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    granted_at     TEXT NOT NULL,
    CHECK (extra_attempts > 0 OR extra_minutes > 0)
);
CREATE INDEX quiz_grants_quiz_student ON quiz_grants(quiz_id, student_id);
