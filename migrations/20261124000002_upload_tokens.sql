-- One-time upload links (avatar, organisation logo, course file), shown as link + QR code.
CREATE TABLE upload_tokens (
    id              INTEGER PRIMARY KEY,
    token_hash      TEXT NOT NULL UNIQUE,
    purpose         TEXT NOT NULL CHECK (purpose IN ('avatar', 'logo', 'resource')),
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organisation_id INTEGER REFERENCES organisations(id) ON DELETE CASCADE,
    course_id       INTEGER REFERENCES courses(id) ON DELETE CASCADE,
    lesson_id       INTEGER REFERENCES lessons(id) ON DELETE CASCADE,
    title           TEXT,
    expires_at      TEXT NOT NULL,
    used_at         TEXT,
    created_at      TEXT NOT NULL
);
