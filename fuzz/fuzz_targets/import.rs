//! Fuzzes the import parsers (CSV with encoding/delimiter detection, JSON) for every
//! kind of import: any input must give records or a list of issues, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portail::import::{Format, Kind, describe_issues, parse};

fuzz_target!(|data: &[u8]| {
    for format in [Format::Csv, Format::Json] {
        for kind in [Kind::Students, Kind::Orgs, Kind::Classes] {
            match parse(data, format, kind) {
                Ok(parsed) => {
                    for r in &parsed.records {
                        let _ = r.location;
                    }
                }
                Err(issues) => {
                    assert!(!issues.is_empty());
                    let _ = describe_issues(portail::Lang::Fr, &issues);
                }
            }
        }
    }
});
