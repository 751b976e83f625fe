-- Portail schema: the whole product, so later features add behaviour rather than re-plumbing.
-- Timestamps are ISO-8601 UTC text (chrono). Dates (class/assignment) are YYYY-MM-DD text.

CREATE TABLE stored_files (
    id            INTEGER PRIMARY KEY,
    storage_name  TEXT NOT NULL UNIQUE,          -- generated name under the data dir
    original_name TEXT NOT NULL,                 -- user's file name, metadata only
    content_type  TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL CHECK (size_bytes >= 0),
    sha256        TEXT NOT NULL,
    uploaded_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE users (
    id                    INTEGER PRIMARY KEY,
    role                  TEXT NOT NULL CHECK (role IN ('trainer', 'student')),
    email                 TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (instr(email, '@') > 1),
    login                 TEXT COLLATE NOCASE UNIQUE CHECK (login IS NULL OR instr(login, '@') = 0),
    first_name            TEXT NOT NULL DEFAULT '',
    last_name             TEXT NOT NULL DEFAULT '',
    phone                 TEXT,
    notes                 TEXT,
    avatar_file_id        INTEGER REFERENCES stored_files(id) ON DELETE SET NULL,
    language              TEXT NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'en')),
    disabled              INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    password_hash         TEXT,
    must_change_password  INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    activation_code_hash  TEXT,
    activation_expires_at TEXT,
    locked_fields         TEXT NOT NULL DEFAULT '',  -- comma-separated profile fields a student may not edit
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    last_login_at         TEXT
);

CREATE TABLE organisations (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL COLLATE NOCASE UNIQUE,
    siret          TEXT,
    address        TEXT,
    contact_name   TEXT,
    email          TEXT,
    phone          TEXT,
    website        TEXT,
    logo_file_id   INTEGER REFERENCES stored_files(id) ON DELETE SET NULL,
    notes          TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- A student may belong to an organisation without being in one of its classes.
CREATE TABLE organisation_members (
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    student_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    added_at        TEXT NOT NULL,
    PRIMARY KEY (organisation_id, student_id)
);

CREATE TABLE classes (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name            TEXT NOT NULL COLLATE NOCASE,
    start_date      TEXT,
    end_date        TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (organisation_id, name),
    CHECK (start_date IS NULL OR end_date IS NULL OR start_date <= end_date)
);

CREATE TABLE class_members (
    class_id   INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    added_at   TEXT NOT NULL,
    PRIMARY KEY (class_id, student_id)
);
CREATE INDEX class_members_student ON class_members(student_id);

CREATE TABLE courses (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    objectives     TEXT NOT NULL DEFAULT '[]',      -- JSON array of strings
    duration_hours REAL CHECK (duration_hours IS NULL OR duration_hours >= 0),
    level          TEXT,
    prerequisites  TEXT,
    status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX courses_title ON courses(title COLLATE NOCASE);

CREATE TABLE lessons (
    id         INTEGER PRIMARY KEY,
    course_id  INTEGER NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',            -- Markdown
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX lessons_course ON lessons(course_id, position);

CREATE TABLE resources (
    id         INTEGER PRIMARY KEY,
    course_id  INTEGER NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    lesson_id  INTEGER REFERENCES lessons(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('link', 'file')),
    title      TEXT NOT NULL,
    url        TEXT,
    file_id    INTEGER REFERENCES stored_files(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    CHECK ((kind = 'link' AND url IS NOT NULL) OR (kind = 'file' AND file_id IS NOT NULL))
);
CREATE INDEX resources_course ON resources(course_id);

-- A course is assigned to a class or to one student; a student's courses are the union.
CREATE TABLE assignments (
    id         INTEGER PRIMARY KEY,
    course_id  INTEGER NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    class_id   INTEGER REFERENCES classes(id) ON DELETE CASCADE,
    student_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    start_date TEXT,
    end_date   TEXT,
    created_at TEXT NOT NULL,
    CHECK ((class_id IS NULL) <> (student_id IS NULL)),
    CHECK (start_date IS NULL OR end_date IS NULL OR start_date <= end_date)
);
CREATE UNIQUE INDEX assignments_class ON assignments(course_id, class_id) WHERE class_id IS NOT NULL;
CREATE UNIQUE INDEX assignments_student ON assignments(course_id, student_id) WHERE student_id IS NOT NULL;
CREATE INDEX assignments_student_lookup ON assignments(student_id);
CREATE INDEX assignments_class_lookup ON assignments(class_id);

-- Progress is kept per student and lesson, independent of how the course reached them.
CREATE TABLE lesson_progress (
    student_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    lesson_id    INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
    first_opened_at TEXT NOT NULL,
    completed_at TEXT,
    PRIMARY KEY (student_id, lesson_id)
);

CREATE TABLE threads (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('direct', 'announcement')),
    student_id      INTEGER REFERENCES users(id) ON DELETE CASCADE,
    class_id        INTEGER REFERENCES classes(id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    last_message_at TEXT NOT NULL,
    CHECK ((kind = 'direct' AND student_id IS NOT NULL AND class_id IS NULL)
        OR (kind = 'announcement' AND class_id IS NOT NULL AND student_id IS NULL))
);
CREATE UNIQUE INDEX threads_direct ON threads(student_id) WHERE kind = 'direct';

CREATE TABLE messages (
    id         INTEGER PRIMARY KEY,
    thread_id  INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    sender_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body       TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    created_at TEXT NOT NULL
);
CREATE INDEX messages_thread ON messages(thread_id, id);

CREATE TABLE message_reads (
    thread_id            INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    user_id              INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    last_read_message_id INTEGER NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);

CREATE TABLE message_drafts (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    thread_key TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (user_id, thread_key)
);

-- Proof of attendance: logins, lessons opened/completed, downloads.
CREATE TABLE activity_log (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind       TEXT NOT NULL,
    course_id  INTEGER REFERENCES courses(id) ON DELETE SET NULL,
    lesson_id  INTEGER REFERENCES lessons(id) ON DELETE SET NULL,
    detail     TEXT NOT NULL DEFAULT '',
    source_ip  TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX activity_user_time ON activity_log(user_id, created_at);
CREATE INDEX activity_time ON activity_log(created_at);
