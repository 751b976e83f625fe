-- Quizzes and exams (issue 8): positioning tests, knowledge checks, final assessments.
-- Results are kept as proof: attempts and answers are never rewritten once submitted.

CREATE TABLE quizzes (
    id                 INTEGER PRIMARY KEY,
    course_id          INTEGER NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    lesson_id          INTEGER REFERENCES lessons(id) ON DELETE SET NULL,
    title              TEXT NOT NULL,
    kind               TEXT NOT NULL DEFAULT 'check' CHECK (kind IN ('positioning', 'check', 'final')),
    pass_percent       INTEGER NOT NULL DEFAULT 50 CHECK (pass_percent BETWEEN 0 AND 100),
    max_attempts       INTEGER CHECK (max_attempts IS NULL OR max_attempts >= 1),
    time_limit_minutes INTEGER CHECK (time_limit_minutes IS NULL OR time_limit_minutes >= 1),
    show_corrections   INTEGER NOT NULL DEFAULT 1 CHECK (show_corrections IN (0, 1)),
    opens_at           TEXT,
    closes_at          TEXT,
    published          INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX quizzes_course ON quizzes(course_id);

-- A question: the authored draft as JSON (kind, text, choices with credits, answers,
-- feedback), plus the columns queries need.
CREATE TABLE quiz_questions (
    id         INTEGER PRIMARY KEY,
    quiz_id    INTEGER NOT NULL REFERENCES quizzes(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('single', 'multiple', 'true_false', 'short')),
    points     REAL NOT NULL CHECK (points > 0),
    draft      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX quiz_questions_quiz ON quiz_questions(quiz_id, position);

CREATE TABLE quiz_attempts (
    id           INTEGER PRIMARY KEY,
    quiz_id      INTEGER NOT NULL REFERENCES quizzes(id) ON DELETE CASCADE,
    student_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    started_at   TEXT NOT NULL,
    deadline     TEXT,                     -- server-side; NULL = untimed and no closing date
    submitted_at TEXT,                     -- NULL while in progress
    timed_out    INTEGER NOT NULL DEFAULT 0 CHECK (timed_out IN (0, 1)),
    score        REAL,
    max_score    REAL,
    percent      REAL,
    passed       INTEGER CHECK (passed IS NULL OR passed IN (0, 1))
);
-- At most one attempt in progress per student and quiz.
CREATE UNIQUE INDEX quiz_attempts_open ON quiz_attempts(quiz_id, student_id) WHERE submitted_at IS NULL;
CREATE INDEX quiz_attempts_student ON quiz_attempts(student_id, quiz_id);

-- Answers, saved as they are given. At grading every question of the quiz gets a row
-- (answer NULL when not answered) with the points earned.
CREATE TABLE quiz_answers (
    attempt_id  INTEGER NOT NULL REFERENCES quiz_attempts(id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES quiz_questions(id) ON DELETE CASCADE,
    answer      TEXT,                      -- JSON of the Answer
    earned      REAL,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (attempt_id, question_id)
);
CREATE INDEX quiz_answers_question ON quiz_answers(question_id);
