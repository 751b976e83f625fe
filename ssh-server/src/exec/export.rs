//! `export …`: lists and results to stdout, CSV, JSON or Excel-friendly (trainer).

use clap::Args;
use portail::Error;
use portail::i18n::Key;
use portail::services::bulk::{ExportKind, ExportOptions};

use super::common::{Ctx, Fail, Family, FormatArg, Out};

pub const FAMILY: Family = Family::trainer("export", Key::XhExport, Key::ExecHelpExport);

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportWhat {
    Students,
    Orgs,
    Classes,
    Participants,
    Progress,
    QuizResults,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(value_enum, help = Key::XaExportWhat.name())]
    what: ExportWhat,
    #[arg(help = Key::XaExportQuiz.name())]
    quiz: Option<String>,
    #[arg(long, help = Key::XaFilterOrg.name())]
    org: Option<String>,
    #[arg(long, help = Key::XaFilterClass.name())]
    class: Option<String>,
    #[arg(long, help = Key::XaFilterCourse.name())]
    course: Option<String>,
    #[arg(long, value_enum, help = Key::XaFormat.name())]
    format: Option<FormatArg>,
    #[arg(long, help = Key::XaExcel.name())]
    excel: bool,
}

impl Ctx<'_> {
    pub async fn export(&self, args: ExportArgs) -> Out {
        let p = self.portail;
        let quiz = match (args.what, args.quiz) {
            (ExportWhat::QuizResults, Some(q)) => Some(p.quiz_resolve(self.actor, &q).await?),
            (ExportWhat::QuizResults, None) => {
                return Err(Error::Invalid(Key::ExpNeedsQuiz).into());
            }
            _ => None,
        };
        let opts = ExportOptions {
            org: self.opt_org(args.org).await?,
            class: self.opt_class(args.class).await?,
            course: self.opt_course(args.course).await?,
            quiz,
            json: args.format == Some(FormatArg::Json),
            excel: args.excel,
        };
        let kind = match args.what {
            ExportWhat::Students => ExportKind::Students,
            ExportWhat::Orgs => ExportKind::Orgs,
            ExportWhat::Classes => ExportKind::Classes,
            ExportWhat::Participants => ExportKind::Participants,
            ExportWhat::Progress => ExportKind::Progress,
            ExportWhat::QuizResults => ExportKind::QuizResults,
        };
        let bytes = p.export(self.actor, kind, &opts).await?;
        String::from_utf8(bytes).map_err(|e| Fail::Core(Error::Internal(e.to_string())))
    }
}
