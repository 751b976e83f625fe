//! The message catalog: every user-facing string, French first, English second.
//! Keys are an enum so a missing translation is a compile error, not a blank screen.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fr" | "français" | "francais" | "french" => Some(Lang::Fr),
            "en" | "english" | "anglais" => Some(Lang::En),
            _ => None,
        }
    }
    /// The language's own name, shown in the language picker.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Fr => "Français",
            Lang::En => "English",
        }
    }
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];
}

macro_rules! catalog {
    ($($key:ident => $fr:expr, $en:expr;)*) => {
        /// A catalog entry.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Key { $($key),* }

        /// The text of `key` in `lang`.
        pub fn t(lang: Lang, key: Key) -> &'static str {
            match (key, lang) {
                $((Key::$key, Lang::Fr) => $fr, (Key::$key, Lang::En) => $en,)*
            }
        }
    };
}

catalog! {
    AppName => "Portail", "Portail";
    RoleTrainer => "Formateur", "Trainer";
    RoleStudent => "Étudiant", "Student";
    Welcome => "Bonjour, {} !", "Hello, {}!";

    MenuOrganisations => "Organismes", "Organisations";
    MenuClasses => "Classes", "Classes";
    MenuStudents => "Étudiants", "Students";
    MenuCourses => "Cours", "Courses";
    MenuMyCourses => "Mes cours", "My courses";
    MenuMessages => "Messages", "Messages";
    MenuAccount => "Mon compte", "My account";
    MenuQuit => "Quitter", "Quit";
    ComingSoon => "Cette section arrive dans une prochaine version de Portail.",
                  "This section arrives in a coming version of Portail.";

    HintHome => "↑↓ choisir · Entrée ouvrir · ? aide · q quitter",
                "↑↓ select · Enter open · ? help · q quit";
    HintBack => "Échap retour · ? aide · q quitter", "Esc back · ? help · q quit";
    HintForm => "Tab champ suivant · Entrée valider · Échap annuler",
                "Tab next field · Enter confirm · Esc cancel";
    HintForcedForm => "Tab champ suivant · Entrée valider · Ctrl-C quitter",
                      "Tab next field · Enter confirm · Ctrl-C quit";
    HintAccount => "↑↓ choisir · Entrée modifier · Échap retour · ? aide",
                   "↑↓ select · Enter change · Esc back · ? help";
    HintHelp => "Échap ou ? pour fermer", "Esc or ? to close";

    HelpTitle => "Aide", "Help";
    HelpHome => "Choisissez une rubrique avec les flèches (ou j/k) puis Entrée.\n\
                 Échap revient à l'écran précédent, q ou Ctrl-C quitte Portail.\n\
                 ? affiche cette aide sur chaque écran.",
                "Pick a section with the arrow keys (or j/k), then Enter.\n\
                 Esc goes back, q or Ctrl-C quits Portail.\n\
                 ? shows this help on every screen.";
    HelpPassword => "Au moins 8 caractères, jusqu'à 128. Les mots de passe trop courants\n\
                     sont refusés. Une phrase de plusieurs mots est un bon choix.\n\
                     Tab passe au champ suivant, Entrée valide.",
                    "At least 8 characters, up to 128. Very common passwords are refused.\n\
                     A phrase of several words is a good choice.\n\
                     Tab moves to the next field, Enter confirms.";
    HelpAccount => "Entrée sur « Mot de passe » pour le changer, sur « Langue » pour\n\
                    passer du français à l'anglais.",
                   "Enter on \"Password\" to change it, on \"Language\" to switch\n\
                    between French and English.";

    TooSmallTitle => "Fenêtre trop petite", "Window too small";
    TooSmallBody => "Agrandissez la fenêtre à au moins {}×{} (actuellement {}×{}).",
                    "Enlarge the window to at least {}×{} (now {}×{}).";

    PwTitleForced => "Choisissez votre mot de passe", "Choose your password";
    PwTitle => "Changer le mot de passe", "Change password";
    PwForcedIntro => "Pour votre sécurité, choisissez un mot de passe personnel avant de continuer.",
                     "For your security, choose a personal password before going on.";
    PwCurrent => "Mot de passe actuel", "Current password";
    PwNew => "Nouveau mot de passe", "New password";
    PwConfirm => "Confirmation", "Confirm";
    PwChanged => "Mot de passe enregistré.", "Password saved.";
    PwWorking => "Vérification…", "Checking…";
    PwTooShort => "Le mot de passe doit faire au moins 8 caractères.",
                  "The password must be at least 8 characters long.";
    PwTooLong => "Le mot de passe ne doit pas dépasser 128 caractères.",
                 "The password must not exceed 128 characters.";
    PwCommon => "Ce mot de passe est trop courant : choisissez-en un autre.",
                "This password is too common: choose another one.";
    PwSameAsLogin => "Le mot de passe ne doit pas être votre identifiant ou votre courriel.",
                     "The password must not be your login or e-mail.";
    PwMismatch => "Les deux saisies ne correspondent pas.", "The two entries do not match.";
    PwCurrentWrong => "Le mot de passe actuel est incorrect.", "The current password is wrong.";
    PwRequired => "Saisissez le mot de passe actuel.", "Enter the current password.";

    AccountTitle => "Mon compte", "My account";
    AccountName => "Nom", "Name";
    AccountEmail => "Courriel", "E-mail";
    AccountLogin => "Identifiant", "Login";
    AccountRole => "Rôle", "Role";
    AccountLanguage => "Langue", "Language";
    AccountPassword => "Mot de passe", "Password";
    AccountPasswordAction => "Changer…", "Change…";
    AccountLanguageChanged => "Langue enregistrée.", "Language saved.";
    None_ => "—", "—";

    ShuttingDown => "Le serveur Portail s'arrête : votre session va se fermer. À bientôt !",
                    "The Portail server is stopping: your session will close. See you soon!";
    Goodbye => "À bientôt sur Portail !", "See you soon on Portail!";

    ExecUnknownCommand => "Commande inconnue : « {} ». Tapez « help » pour la liste des commandes.",
                          "Unknown command: \"{}\". Type \"help\" for the list of commands.";
    ExecHelpHeader => "Commandes Portail disponibles (ssh … COMMANDE) :",
                      "Available Portail commands (ssh … COMMAND):";
    ExecHelpHelp => "affiche cette aide", "shows this help";
    ExecHelpWhoami => "affiche votre compte (--json pour un format machine)",
                      "shows your account (--json for machine output)";
    ExecHelpPasswd => "change votre mot de passe, lu sur l'entrée standard",
                      "changes your password, read from standard input";
    ExecHelpFooter => "Sans commande, ssh ouvre l'interface plein écran.",
                      "Without a command, ssh opens the full-screen interface.";
    ExecNeedsPty => "L'interface plein écran demande un terminal : utilisez « ssh -t ».",
                    "The full-screen interface needs a terminal: use \"ssh -t\".";
    ExecPasswordChanged => "Mot de passe changé.", "Password changed.";
    ExecPasswdFormat => "Donnez sur l'entrée standard le mot de passe actuel puis le nouveau, sur deux lignes.",
                        "Give the current password then the new one on standard input, on two lines.";
    ExecStdinTooLarge => "Entrée trop volumineuse.", "Input too large.";
    ExecBadArgs => "Arguments invalides : {}", "Invalid arguments: {}";

    ErrInvalidCredentials => "Identifiant ou mot de passe incorrect.", "Wrong login or password.";
    ErrNotFound => "Introuvable.", "Not found.";
    ErrForbidden => "Action non autorisée pour votre compte.", "This action is not allowed for your account.";
    ErrPasswordChangeRequired => "Choisissez d'abord votre mot de passe : connectez-vous en interactif (ssh -t) ou utilisez « passwd --stdin ».",
                                 "Choose your password first: log in interactively (ssh -t) or use \"passwd --stdin\".";
    ErrConflict => "Cet élément existe déjà.", "This item already exists.";
    ErrInternal => "Erreur interne du serveur ; réessayez plus tard.", "Internal server error; try again later.";
    ErrFieldFormat => "{} : {} (« {} »).", "{}: {} (\"{}\").";
    ErrUnknownFormat => "{} introuvable : « {} ».", "{} not found: \"{}\".";
    ErrAmbiguousFormat => "Plusieurs éléments ({}) correspondent à « {} » : utilisez l'identifiant numérique.",
                          "Several items ({}) match \"{}\": use the numeric id.";
    ErrStudentHasHistory => "Cet étudiant a un historique (connexions, progression) : désactivez-le plutôt que de le supprimer, ou confirmez la suppression définitive.",
                            "This student has a history (logins, progress): disable the account instead, or confirm the permanent deletion.";
    ErrConfirmDelete => "Suppression non confirmée : relancez avec --yes.", "Deletion not confirmed: run again with --yes.";

    EntOrganisation => "Organisme", "Organisation";
    EntClass => "Classe", "Class";
    EntStudent => "Étudiant", "Student";
    EntCourse => "Cours", "Course";
    EntLesson => "Leçon", "Lesson";
    EntResource => "Ressource", "Resource";

    FieldName => "Nom", "Name";
    FieldSiret => "SIRET", "SIRET";
    FieldEmail => "Courriel", "E-mail";
    FieldPhone => "Téléphone", "Phone";
    FieldAddress => "Adresse", "Address";
    FieldWebsite => "Site web", "Website";
    FieldContact => "Contact", "Contact person";
    FieldNotes => "Notes", "Notes";
    FieldOrganisation => "Organisme", "Organisation";
    FieldStart => "Début", "Start";
    FieldEnd => "Fin", "End";
    FieldFirstName => "Prénom", "First name";
    FieldLastName => "Nom de famille", "Last name";
    FieldTitle => "Titre", "Title";
    FieldDescription => "Description", "Description";
    FieldObjectives => "Objectifs", "Objectives";
    FieldDuration => "Durée (heures)", "Duration (hours)";
    FieldLevel => "Niveau", "Level";
    FieldPrerequisites => "Prérequis", "Prerequisites";
    FieldStatus => "Statut", "Status";
    FieldUrl => "Adresse (URL)", "URL";
    FieldBody => "Contenu", "Content";
    FieldPosition => "Position", "Position";
    FieldTarget => "Cible", "Target";

    ProbRequired => "obligatoire", "required";
    ProbTooLong => "trop long", "too long";
    ProbSiret => "un SIRET a 14 chiffres et une clé de contrôle valide", "a SIRET has 14 digits and a valid check digit";
    ProbEmail => "adresse de courriel invalide", "invalid e-mail address";
    ProbUrl => "adresse web invalide (http:// ou https://)", "invalid web address (http:// or https://)";
    ProbPhone => "numéro de téléphone invalide", "invalid phone number";
    ProbDate => "date invalide (AAAA-MM-JJ)", "invalid date (YYYY-MM-DD)";
    ProbEndBeforeStart => "la fin est avant le début", "the end is before the start";
    ProbDuplicateName => "ce nom existe déjà", "this name already exists";
    ProbDuplicateNameInOrg => "une classe de cet organisme porte déjà ce nom", "a class of this organisation already has this name";
    ProbDuplicateEmail => "un compte utilise déjà ce courriel", "an account already uses this e-mail";
    ProbNumber => "nombre invalide", "invalid number";
    ProbTooMany => "trop d'éléments", "too many items";
    ProbNotAssigned => "ce cours ne lui est pas affecté", "this course is not assigned to it";
    ProbNotAStudent => "ce compte n'est pas un étudiant", "this account is not a student";
    ProbStatus => "« brouillon » ou « publié »", "\"draft\" or \"published\"";

    StatusPending => "code d'activation en attente", "activation code pending";
    StatusActive => "actif", "active";
    StatusDisabled => "désactivé", "disabled";
    CourseDraft => "brouillon", "draft";
    CoursePublished => "publié", "published";
    ViaIndividual => "individuel", "individual";
    ErrInvalidEmail => "Adresse de courriel invalide.", "Invalid e-mail address.";
    ErrInvalidLogin => "Identifiant invalide (lettres, chiffres, . _ - ; 2 à 32 caractères).",
                       "Invalid login (letters, digits, . _ -; 2 to 32 characters).";
}

/// `t` with `{}` placeholders filled in order.
pub fn tf(lang: Lang, key: Key, args: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = t(lang, key);
    let mut args = args.iter();
    while let Some(pos) = rest.find("{}") {
        out.push_str(&rest[..pos]);
        out.push_str(args.next().copied().unwrap_or(""));
        rest = &rest[pos + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_in_order() {
        assert_eq!(
            tf(Lang::Fr, Key::TooSmallBody, &["40", "15", "30", "10"]),
            "Agrandissez la fenêtre à au moins 40×15 (actuellement 30×10)."
        );
        assert_eq!(tf(Lang::En, Key::Welcome, &["Marie"]), "Hello, Marie!");
    }

    #[test]
    fn language_codes_round_trip() {
        for l in Lang::ALL {
            assert_eq!(Lang::parse(l.code()), Some(l));
        }
        assert_eq!(Lang::parse("xx"), None);
    }
}
