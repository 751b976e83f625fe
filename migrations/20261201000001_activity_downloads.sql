-- Downloads in the activity log: which stored file (so a download counts once per file per
-- student per window, whatever link was used) and the client's user agent (sanitized,
-- truncated). The source address already has its column (source_ip).
ALTER TABLE activity_log ADD COLUMN file_id INTEGER REFERENCES stored_files(id) ON DELETE SET NULL;
ALTER TABLE activity_log ADD COLUMN user_agent TEXT;
-- Serves the once-per-window check and the foreign key (a file deleted).
CREATE INDEX activity_file ON activity_log(file_id, user_id, created_at);
