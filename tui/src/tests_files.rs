//! Files in the TUI: signed links to course files, photo and logo previews, one-time
//! upload links with their QR codes.
