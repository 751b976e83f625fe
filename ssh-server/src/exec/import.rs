//! `import …`: bulk import from stdin, CSV or JSON (trainer).

use clap::Args;
use portail::i18n::Key;
use portail::import::Format;
use portail::services::bulk::ImportOptions;
use portail::{Error, sanitize};
use unicode_width::UnicodeWidthStr;

use super::common::{Ctx, Fail, Family, FormatArg, Output, Stdin, spool_file};

pub const FAMILY: Family = Family::trainer("import", Key::XhImport, Key::ExecHelpImport);

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ImportWhat {
    Students,
    Orgs,
    Classes,
    All,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[arg(value_enum, help = Key::XaImportWhat.name())]
    what: ImportWhat,
    #[arg(long, help = Key::XaDefaultOrg.name())]
    org: Option<String>,
    #[arg(long, help = Key::XaDefaultClass.name())]
    class: Option<String>,
    #[arg(long, help = Key::XaDryRun.name())]
    dry_run: bool,
    #[arg(long, value_enum, help = Key::XaFormat.name())]
    format: Option<FormatArg>,
    #[arg(long, help = Key::XaCodesCsv.name())]
    codes_csv: bool,
}

impl Ctx<'_> {
    /// Runs an import. Standard input is spooled to a temporary file in the data
    /// directory (size limit enforced as it arrives), read from there row by row, and the
    /// report is spooled too: the server's memory does not grow with the file.
    pub async fn import(&self, args: ImportArgs, stdin: &mut impl Stdin) -> Result<Output, Fail> {
        let p = self.portail;
        // Authorization first: a student learns nothing, not even about stdin.
        p.org_list(self.actor).await?;
        let internal = |e: std::io::Error| Fail::Core(Error::Internal(e.to_string()));
        let max = p.options().import_max_bytes;
        let file = stdin
            .spool(max, spool_file(p).map_err(internal)?)
            .await
            .map_err(internal)?
            .ok_or_else(|| {
                Fail::Message(portail::import::describe_issues(
                    self.lang,
                    &[portail::import::Issue::file(
                        Key::ImpTooLarge,
                        portail::import::over_limit(max),
                    )],
                ))
            })?;
        let default_org = self.opt_org(args.org).await?;
        let default_class = self.opt_class(args.class).await?;
        let json = args.format.map(|f| f == FormatArg::Json);
        let opts = ImportOptions {
            format: json.map(|j| if j { Format::Json } else { Format::Csv }),
            dry_run: args.dry_run,
            default_org,
            default_class,
        };
        let mut file = file;
        std::io::Seek::rewind(&mut file).map_err(internal)?;
        let src = std::io::BufReader::with_capacity(64 * 1024, file);
        let (report, students) = match args.what {
            ImportWhat::Students => {
                let done = p.import_students_from(self.actor, src, &opts).await?;
                (None, Some(done))
            }
            ImportWhat::Orgs => (
                Some(p.import_orgs_from(self.actor, src, &opts).await?),
                None,
            ),
            ImportWhat::Classes => (
                Some(p.import_classes_from(self.actor, src, &opts).await?),
                None,
            ),
            ImportWhat::All => {
                if json == Some(false) {
                    return Err(Fail::Message(self.t(Key::ImpAllJsonOnly).into()));
                }
                (Some(p.import_all_from(self.actor, src, &opts).await?), None)
            }
        };
        let report = match (&report, &students) {
            (Some(r), _) => r,
            (None, Some(s)) => &s.report,
            (None, None) => unreachable!("one of them"),
        };
        self.import_output(report, students.as_ref(), args.codes_csv)
            .map_err(internal)
    }

    /// The report: a summary, then each organisation, class and student on its line, then
    /// the activation codes (a table, or a CSV on stdout with `--codes-csv`).
    fn import_output(
        &self,
        report: &portail::services::bulk::ImportReport,
        students: Option<&portail::services::bulk::StudentImport>,
        codes_csv: bool,
    ) -> std::io::Result<Output> {
        use portail::services::bulk::Action;
        use std::io::Write;
        let mut text = String::new();
        text.push_str(self.t(if report.dry_run {
            Key::ImpPreview
        } else {
            Key::ImpDone
        }));
        text.push('\n');
        if !report.encoding.is_empty() {
            let delim = match report.delimiter {
                Some('\t') => "tab".to_string(),
                Some(c) => format!("« {c} »"),
                None => "JSON".to_string(),
            };
            text.push_str(&self.tf(Key::ImpEncoding, &[&report.encoding, &delim]));
            text.push('\n');
        }
        for (key, c) in [
            (Key::MenuOrganisations, report.organisations),
            (Key::MenuClasses, report.classes),
            (Key::MenuStudents, report.students),
        ] {
            if c.created + c.updated + c.unchanged > 0 {
                text.push_str(&self.tf(
                    Key::ImpCounts,
                    &[
                        self.t(key),
                        &c.created.to_string(),
                        &c.updated.to_string(),
                        &c.unchanged.to_string(),
                    ],
                ));
                text.push('\n');
            }
        }
        if !report.unknown_columns.is_empty() {
            let cols: Vec<String> = report
                .unknown_columns
                .iter()
                .map(|c| format!("« {} »", sanitize::line(c)))
                .collect();
            text.push_str(&self.tf(Key::ImpIgnoredColumns, &[&cols.join(", ")]));
            text.push('\n');
        }
        let lines = report
            .lines
            .iter()
            .map(|l| (l.action, l.entity, l.label.as_str()))
            .chain(
                students
                    .into_iter()
                    .flat_map(|s| s.student_lines().map(|(a, e)| (a, Key::EntStudent, e))),
            );
        let codes = || {
            report
                .codes
                .iter()
                .map(|(e, c)| (e.as_str(), c.as_str()))
                .chain(students.into_iter().flat_map(|s| s.codes()))
        };
        let mut body = std::io::BufWriter::new(spool_file(self.portail)?);
        for (action, entity, label) in lines {
            let mark = match action {
                Action::Created => '+',
                Action::Updated => '~',
                Action::Unchanged => '=',
            };
            writeln!(
                body,
                "  {mark} {} {}",
                self.t(entity),
                sanitize::line(label)
            )?;
        }
        if codes_csv {
            let lines = body.into_inner().map_err(|e| e.into_error())?;
            let mut w =
                csv::Writer::from_writer(std::io::BufWriter::new(spool_file(self.portail)?));
            let mut rows = std::iter::once(("email".to_string(), "code".to_string())).chain(
                codes().map(|(e, c)| (portail::services::bulk::escape_cell(e), c.to_string())),
            );
            rows.try_for_each(|r| w.write_record([r.0, r.1]))
                .map_err(std::io::Error::other)?;
            let csv = w
                .into_inner()
                .map_err(|e| std::io::Error::other(e.to_string()))?
                .into_inner()
                .map_err(|e| e.into_error())?;
            return Ok(Output {
                stderr: text,
                stderr_file: Some(lines),
                stdout_file: Some(csv),
                ..Default::default()
            });
        }
        if codes().next().is_some() {
            writeln!(body, "{}", self.t(Key::ImpCodes))?;
            // Aligned as `table` does, without holding the table.
            let width = codes()
                .map(|(e, _)| sanitize::line(e).width())
                .chain([self.t(Key::FieldEmail).width()])
                .max()
                .unwrap_or(0);
            for (email, code) in codes() {
                let email = sanitize::line(email);
                let pad = " ".repeat(width - email.width() + 2);
                writeln!(
                    body,
                    "  {}",
                    format!("{email}{pad}{}", sanitize::line(code)).trim_end()
                )?;
            }
        }
        Ok(Output {
            stdout: text,
            stdout_file: Some(body.into_inner().map_err(|e| e.into_error())?),
            ..Default::default()
        })
    }
}
