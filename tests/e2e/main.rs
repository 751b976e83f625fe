//! End-to-end tests: a real server on a real port, real SSH clients, real HTTPS requests.

mod harness;

mod access;
mod admin_exec;
mod admin_pty;
mod binary;
mod browser;
mod certificates;
mod crash;
mod downloads;
mod edit_exec;
mod exec;
mod files;
mod files_pty;
mod https;
mod https_flood;
mod import_export;
mod import_pty;
mod injection;
mod inline_files;
mod lockout;
mod logos_pty;
mod messages_exec;
mod messages_pty;
mod permissions;
mod present;
mod pty;
mod quiz_exec;
mod quiz_pty;
mod security;
mod small_screen;
mod ssh_flood;
mod student_exec;
mod student_pty;
mod upload_limits;
