-- Technical demos (issue 16): a trainer demonstrates in a terminal for a course's students.
-- This part plans them; the live broadcast and the recordings build on these rows.

CREATE TABLE demos (
    id                INTEGER PRIMARY KEY,
    course_id         INTEGER NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    lesson_id         INTEGER REFERENCES lessons(id) ON DELETE SET NULL,
    title             TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    starts_at         TEXT NOT NULL,                 -- planned start, UTC
    duration_minutes  INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
    -- 'course': every participant of the course; 'classes': the members of demo_classes.
    audience          TEXT NOT NULL DEFAULT 'course' CHECK (audience IN ('course', 'classes')),
    repo_url          TEXT,
    slides_url        TEXT,
    status            TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'live', 'done')),
    started_at        TEXT,                          -- when it went live
    ended_at          TEXT,                          -- when it finished
    -- The recording (asciicast), stored like other course files; set by the live part.
    recording_file_id INTEGER REFERENCES stored_files(id) ON DELETE SET NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX demos_course ON demos(course_id);
CREATE INDEX demos_starts ON demos(starts_at);

CREATE TABLE demo_classes (
    demo_id  INTEGER NOT NULL REFERENCES demos(id) ON DELETE CASCADE,
    class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    PRIMARY KEY (demo_id, class_id)
);
CREATE INDEX demo_classes_class ON demo_classes(class_id);
