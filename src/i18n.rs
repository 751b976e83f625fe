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

        impl Key {
            /// Every key, in catalog order (tests walk it, e.g. every hint line).
            pub const ALL: &'static [Key] = &[$(Key::$key),*];

            /// The key's name: carries a key where only a string fits (a clap attribute).
            pub fn name(self) -> &'static str {
                match self {
                    $(Key::$key => stringify!($key),)*
                }
            }

            /// The key named `name` ([`Key::name`]).
            pub fn from_name(name: &str) -> Option<Key> {
                match name {
                    $(stringify!($key) => Some(Key::$key),)*
                    _ => None,
                }
            }
        }

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

    // Quizzes: the terminal screens (trainer authoring and results, student taking).
    QtMenuQuizzes => "Quiz", "Quizzes";
    QtMenuMyQuizzes => "Mes quiz", "My quizzes";
    QtKindPositioning => "Positionnement", "Positioning";
    QtKindCheck => "Vérification", "Knowledge check";
    QtKindFinal => "Évaluation finale", "Final assessment";
    QtKindPositioningShort => "Début", "Before";
    QtKindFinalShort => "Fin", "After";
    QtAvNotYetOpen => "pas encore ouvert", "not open yet";
    QtAvOpen => "à faire", "to take";
    QtAvInProgress => "en cours", "in progress";
    QtAvClosed => "fermé", "closed";
    QtAvNoAttemptsLeft => "terminé", "done";
    QtCannotNotYetOpen => "Ce quiz n'est pas encore ouvert.", "This quiz is not open yet.";
    QtCannotClosed => "Ce quiz est fermé.", "This quiz is closed.";
    QtCannotNoAttempts => "Vous avez utilisé toutes vos tentatives pour ce quiz.",
                          "You have used every attempt allowed for this quiz.";
    QtAttemptsUnlimited => "{} (illimité)", "{} (unlimited)";
    QtMyQuizzesEmpty => "Aucun quiz pour le moment : ils apparaissent ici quand votre formateur les publie.",
                        "No quiz yet: they appear here when your trainer publishes them.";
    QtStatus => "État", "Status";
    QtBest => "Meilleur", "Best";
    QtLast => "Dernier", "Last";
    QtAttempts => "Tentatives", "Attempts";
    QtAttemptsCol => "Tentatives", "Attempts";
    QtAttemptsN => "{} tentative(s)", "{} attempt(s)";
    QtKind => "Type", "Kind";
    QtMinutes => "{} min", "{} min";
    QtNoTimeLimit => "sans limite de temps", "no time limit";
    QtQuestionsN => "{} question(s)", "{} question(s)";
    QtPassMark => "seuil {} %", "pass mark {} %";
    QtPassed => "Réussi", "Passed";
    QtNotPassed => "Non réussi", "Not passed";
    QtHintMyQuizzes => "Entrée commencer/reprendre · r résultat · Échap retour · ? aide",
                       "Enter start/resume · r result · Esc back · ? help";
    QtNoAttemptYet => "Pas encore de résultat pour ce quiz.", "No result for this quiz yet.";
    QtHelpMyQuizzes => "Les quiz de vos cours : positionnement (avant le cours), vérification (pendant),\n\
                        évaluation finale (à la fin). Entrée commence un quiz, ou reprend celui en cours\n\
                        là où vous l'aviez laissé : chaque réponse est enregistrée aussitôt donnée.\n\
                        Un quiz peut avoir une limite de temps, des dates d'ouverture et de fermeture\n\
                        et un nombre de tentatives. Le meilleur score est gardé ; r montre votre\n\
                        dernier résultat (et les corrections si le quiz les montre).\n\
                        Par le terminal : ssh … quiz list, ssh … quiz results",
                       "The quizzes of your courses: positioning (before the course), knowledge check\n\
                        (during), final assessment (at the end). Enter starts a quiz, or resumes the one\n\
                        in progress where you left it: every answer is saved as soon as it is given.\n\
                        A quiz may have a time limit, opening and closing dates and a number of\n\
                        attempts. The best score is kept; r shows your last result (and the\n\
                        corrections when the quiz shows them).\n\
                        From a terminal: ssh … quiz list, ssh … quiz results";
    QtQuestionOf => "Question {}/{}", "Question {}/{}";
    QtAnsweredN => "{} répondue(s)", "{} answered";
    QtSaved => "enregistré", "saved";
    QtSaving => "enregistrement…", "saving…";
    QtNotSaved => "réponse non enregistrée", "answer not saved";
    QtPoint => "{} point", "{} point";
    QtPoints => "{} points", "{} points";
    QtOneAnswer => "Une seule réponse.", "One answer.";
    QtSeveralAnswers => "Une ou plusieurs réponses.", "One or more answers.";
    QtTrueOrFalse => "Vrai ou faux ?", "True or false?";
    QtTypeAnswer => "Tapez votre réponse.", "Type your answer.";
    QtTrue => "Vrai", "True";
    QtFalse => "Faux", "False";
    QtNoAnswerYet => "(pas encore de réponse)", "(no answer yet)";
    QtNoQuestion => "Ce quiz n'a pas de question.", "This quiz has no question.";
    QtNarrowNav => "Tab question suivante · Maj-Tab précédente · Ctrl-S terminer",
                   "Tab next question · Shift-Tab previous · Ctrl-S finish";
    QtHintQuestions => "↑↓ choisir · Espace répondre · Tab suivante · r relire et rendre · Échap quitter",
                       "↑↓ move · Space answer · Tab next · r review and hand in · Esc leave";
    QtHintTyping => "Tapez la réponse · Entrée/Tab suivante · Ctrl-S relire et rendre · Échap quitter",
                    "Type the answer · Enter/Tab next · Ctrl-S review and hand in · Esc leave";
    QtHelpAttempt => "Répondez dans l'ordre que vous voulez : chaque réponse est enregistrée aussitôt\n\
                      (si la connexion coupe, vous reprendrez là où vous en étiez).\n\
                      ↑↓ (ou j/k) passent d'une réponse à l'autre, Espace, Entrée ou un chiffre choisit ;\n\
                      pour plusieurs réponses, Espace coche et décoche. Retour arrière efface la réponse.\n\
                      Tab ou PgSuiv : question suivante, Maj-Tab ou PgPréc : précédente.\n\
                      Réponse à taper : tapez-la, Entrée passe à la suivante.\n\
                      Le temps restant s'affiche en haut ; à zéro, vos réponses enregistrées sont corrigées.\n\
                      r (ou Ctrl-S) : relire les réponses, puis rendre le quiz. Échap quitte sans rendre.",
                     "Answer in any order: every answer is saved at once (if the connection drops,\n\
                      you resume where you were).\n\
                      ↑↓ (or j/k) move between answers, Space, Enter or a digit picks one;\n\
                      with several answers, Space ticks and unticks. Backspace clears the answer.\n\
                      Tab or PgDn: next question, Shift-Tab or PgUp: previous.\n\
                      Typed answer: type it, Enter goes to the next question.\n\
                      The time left is shown at the top; at zero, your saved answers are graded.\n\
                      r (or Ctrl-S): review your answers, then hand the quiz in. Esc leaves without handing in.";
    QtReviewTitle => "Relecture : {}", "Review: {}";
    QtAllAnswered => "Vous avez répondu à toutes les questions.", "You answered every question.";
    QtUnansweredList => "Sans réponse : {}", "Unanswered: {}";
    QtUnanswered => "sans réponse", "unanswered";
    QtHintReview => "↑↓ choisir · Entrée y aller · s rendre le quiz · Échap revenir aux questions",
                    "↑↓ select · Enter go there · s hand in · Esc back to the questions";
    QtHelpReview => "Vos réponses, question par question ; celles sans réponse sont en rouge.\n\
                     Entrée revient à une question pour la compléter. s (ou Ctrl-S) rend le quiz,\n\
                     après confirmation : vous ne pourrez plus changer vos réponses.",
                    "Your answers, question by question; unanswered ones are in red.\n\
                     Enter goes back to a question to complete it. s (or Ctrl-S) hands the quiz in,\n\
                     after a confirmation: you cannot change your answers afterwards.";
    QtSubmit => "Rendre le quiz", "Hand in";
    QtConfirmAll => "Rendre vos réponses ? Vous ne pourrez plus les modifier.",
                    "Hand your answers in? You cannot change them afterwards.";
    QtConfirmMissing => "{} question(s) sans réponse. Rendre quand même ? Vous ne pourrez plus modifier vos réponses.",
                        "{} question(s) unanswered. Hand in anyway? You cannot change your answers afterwards.";
    QtGrading => "Correction en cours…", "Grading…";
    QtTimeUpTitle => "Temps écoulé", "Time is up";
    QtTimeUpText => "Le temps est écoulé : vos réponses enregistrées sont corrigées.",
                    "Time is up: your saved answers are being graded.";
    QtResumed => "Tentative reprise : vos réponses enregistrées sont là.",
                 "Attempt resumed: your saved answers are back.";
    QtResultTitle => "Résultat : {}", "Result: {}";
    QtTimedOut => "Temps écoulé : seules les réponses enregistrées avant la limite ont été corrigées.",
                  "Time ran out: only the answers saved before the limit were graded.";
    QtScore => "Score :", "Score:";
    QtNoCorrections => "Les corrections de ce quiz ne sont pas affichées.",
                       "This quiz does not show its corrections.";
    QtCorrections => "Corrections", "Corrections";
    QtYourAnswer => "Votre réponse :", "Your answer:";
    QtExpected => "Attendu :", "Expected:";
    QtHintResult => "↑↓ défiler · Entrée ou Échap retour à la liste",
                    "↑↓ scroll · Enter or Esc back to the list";
    QtHelpResult => "Votre score et, si le quiz les montre, les corrections question par question\n\
                     (✓ juste, ≈ en partie, ✗ faux). Le meilleur score de vos tentatives est gardé.",
                    "Your score and, when the quiz shows them, the corrections question by question\n\
                     (✓ right, ≈ partly, ✗ wrong). The best score of your attempts is kept.";
    QtQuizzesOf => "Quiz : {}", "Quizzes: {}";
    QtQuestionsCol => "Questions", "Questions";
    QtPublished => "Publié", "Published";
    QtDraft => "Brouillon", "Draft";
    QtYes => "Oui", "Yes";
    QtNo => "Non", "No";
    QtDeleteQuiz => "Supprimer le quiz « {} » ? Ses {} question(s) et {} tentative(s) d'étudiants seront supprimées.",
                    "Delete the quiz \"{}\"? Its {} question(s) and {} student attempt(s) go with it.";
    QtHintQuizList => "n nouveau · Entrée questions · e réglages · r résultats · d supprimer · Échap retour",
                      "n new · Enter questions · e settings · r results · d delete · Esc back";
    QtHelpQuizList => "Les quiz et leur type : positionnement (avant le cours), vérification (pendant),\n\
                       évaluation finale (à la fin). Les étudiants ne voient que les quiz publiés.\n\
                       n crée un quiz, e change ses réglages, Entrée ouvre ses questions,\n\
                       r montre les résultats, d le supprime (après confirmation).\n\
                       Par le terminal : ssh … quiz import COURS --format gift < banque.gift,\n\
                       ssh … quiz export QUIZ, ssh … quiz results QUIZ --json",
                      "Quizzes and their kind: positioning (before the course), knowledge check\n\
                       (during), final assessment (at the end). Students only see published quizzes.\n\
                       n creates a quiz, e changes its settings, Enter opens its questions,\n\
                       r shows the results, d deletes it (after a confirmation).\n\
                       From a terminal: ssh … quiz import COURSE --format gift < bank.gift,\n\
                       ssh … quiz export QUIZ, ssh … quiz results QUIZ --json";
    QtNewQuiz => "Nouveau quiz", "New quiz";
    QtEditQuiz => "Réglages du quiz", "Quiz settings";
    QtCourseFixed => "ne change pas", "cannot change";
    QtNeedCourse => "Créez d'abord un cours : un quiz appartient à un cours.",
                    "Create a course first: a quiz belongs to a course.";
    QtFieldPass => "Seuil de réussite (%)", "Pass mark (%)";
    QtFieldAttempts => "Tentatives permises", "Attempts allowed";
    QtFieldTimeLimit => "Limite de temps (min)", "Time limit (min)";
    QtFieldCorrections => "Montrer les corrections", "Show corrections";
    QtFieldOpens => "Ouverture", "Opens";
    QtFieldCloses => "Fermeture", "Closes";
    QtFieldPublished => "Visibilité", "Visibility";
    QtErrPercent => "un nombre de 0 à 100 est attendu", "a number from 0 to 100 is expected";
    QtErrCount => "un nombre entier positif est attendu (vide : sans limite)",
                  "a positive whole number is expected (empty: no limit)";
    QtErrDate => "date attendue sous la forme AAAA-MM-JJ HH:MM", "date expected as YYYY-MM-DD HH:MM";
    QtErrPoints => "un nombre de points positif est attendu", "a positive number of points is expected";
    QtErrCredit => "Choix, ligne {} : crédit invalide « {} » (un pourcentage de -100 à 100).",
                   "Choices, line {}: invalid credit \"{}\" (a percentage from -100 to 100).";
    QtErrChoiceText => "Choix, ligne {} : le texte du choix manque.", "Choices, line {}: the choice's text is missing.";
    QtHelpQuizForm => "Titre, type et leçon (facultative) du quiz ; seuil de réussite en pourcentage.\n\
                       Tentatives et limite de temps : vide = sans limite.\n\
                       Dates au format AAAA-MM-JJ HH:MM (heure locale), vides = toujours ouvert.\n\
                       « Montrer les corrections » : après avoir rendu, l'étudiant voit les bonnes réponses.\n\
                       Les étudiants ne voient le quiz qu'une fois publié.\n\
                       ←/→ ou Espace changent un choix, Tab passe au champ suivant, Ctrl-S enregistre.",
                      "Title, kind and (optional) lesson of the quiz; pass mark in percent.\n\
                       Attempts and time limit: empty = no limit.\n\
                       Dates as YYYY-MM-DD HH:MM (local time), empty = always open.\n\
                       \"Show corrections\": after handing in, the student sees the right answers.\n\
                       Students only see the quiz once it is published.\n\
                       ←/→ or Space change a choice, Tab moves to the next field, Ctrl-S saves.";
    QtQuestion => "Question", "Question";
    QtPointsCol => "Points", "Points";
    QtQkSingle => "Choix unique", "Single choice";
    QtQkMultiple => "Choix multiple", "Multiple choice";
    QtQkTrueFalse => "Vrai / faux", "True / false";
    QtQkShort => "Réponse courte", "Short answer";
    QtAccepted => "Réponses acceptées :", "Accepted answers:";
    QtDeleteQuestion => "Supprimer la question « {} » ?", "Delete the question \"{}\"?";
    QtHintQuestionList => "n ajouter · Entrée modifier · J/K déplacer · d supprimer · s réglages · r résultats · Échap retour",
                          "n add · Enter edit · J/K move · d delete · s settings · r results · Esc back";
    QtHelpQuestionList => "Les questions du quiz, dans l'ordre où les étudiants les voient.\n\
                           n ajoute une question, Entrée (ou e) la modifie, d la supprime (après confirmation),\n\
                           K (ou +) la monte, J (ou -) la descend. s : réglages du quiz, r : résultats.\n\
                           Sur un écran large, la question choisie s'affiche à droite avec ses réponses.",
                          "The quiz's questions, in the order students see them.\n\
                           n adds a question, Enter (or e) edits it, d deletes it (after a confirmation),\n\
                           K (or +) moves it up, J (or -) down. s: quiz settings, r: results.\n\
                           On a wide screen the selected question shows on the right with its answers.";
    QtNewQuestion => "Nouvelle question", "New question";
    QtEditQuestion => "Modifier la question", "Edit question";
    QtFieldQuestionTitle => "Titre (facultatif)", "Title (optional)";
    QtFieldChoices => "Choix (texte | crédit %)", "Choices (text | credit %)";
    QtFieldAnswer => "Bonne réponse", "Right answer";
    QtFieldAccepted => "Réponses acceptées", "Accepted answers";
    QtFieldFeedback => "Commentaire", "Feedback";
    QtHelpQuestionForm => "Le type décide de la réponse attendue (←/→ pour le changer) :\n\
                           • choix unique ou multiple : un choix par ligne, « texte | crédit | commentaire »,\n\
                             le crédit en % des points (100 = la bonne réponse, 0 par défaut, négatif pour\n\
                             pénaliser) ; en choix multiple, le score est la somme des crédits cochés,\n\
                             ramenée entre 0 et 100 % ; un « | » dans un texte s'écrit \\| ;\n\
                           • vrai / faux : la bonne réponse ;\n\
                           • réponse courte : une réponse acceptée par ligne (majuscules, accents et espaces\n\
                             autour ne comptent pas).\n\
                           Le commentaire est montré après correction si le quiz montre les corrections.\n\
                           Tab passe au champ suivant, Entrée va à la ligne dans les textes, Ctrl-S enregistre.",
                          "The kind decides the expected answer (←/→ to change it):\n\
                           • single or multiple choice: one choice per line, \"text | credit | feedback\",\n\
                             the credit in % of the points (100 = the right answer, 0 by default, negative\n\
                             to penalise); with multiple choice the score is the sum of the ticked credits,\n\
                             kept between 0 and 100 %; a \"|\" inside a text is written \\|;\n\
                           • true / false: the right answer;\n\
                           • short answer: one accepted answer per line (case, accents and surrounding\n\
                             spaces do not matter).\n\
                           The feedback is shown after grading when the quiz shows corrections.\n\
                           Tab moves to the next field, Enter starts a new line in texts, Ctrl-S saves.";
    QtResults => "Résultats", "Results";
    QtPassedCol => "Quiz ✓", "Quiz ✓";
    QtActSubmitted => "quiz rendu", "quiz handed in";
    QtActTimedOut => "quiz rendu à la fin du temps", "quiz handed in when time ran out";
    QtResultsOf => "Résultats : {}", "Results: {}";
    QtResult => "Résultat", "Result";
    QtLastSubmitted => "Rendu le", "Handed in";
    QtSuccessRates => "Réussite par question", "Success per question";
    QtAnsweredCol => "Réponses", "Answers";
    QtSuccess => "Réussite", "Success";
    QtProgression => "Positionnement → évaluation finale", "Positioning → final assessment";
    QtHintResults => "↑↓ défiler · e étudiants, réponses · Échap retour", "↑↓ scroll · e students, answers · Esc back";
    QtHelpResults => "Pour chaque étudiant du cours : tentatives, meilleur et dernier score, réussite.\n\
                      Puis le taux de réussite de chaque question (part moyenne des points obtenus),\n\
                      et la progression de chacun entre le test de positionnement et l'évaluation finale.\n\
                      e (ou Entrée) liste les étudiants : Entrée y ouvre les réponses d'un étudiant,\n\
                      a lui accorde une tentative ou du temps en plus.\n\
                      Par le terminal : ssh … quiz results QUIZ --json, ssh … export quiz-results QUIZ",
                     "For each student of the course: attempts, best and last score, passed or not.\n\
                      Then each question's success rate (mean share of the points earned), and each\n\
                      student's progress from the positioning test to the final assessment.\n\
                      e (or Enter) lists the students: Enter there opens a student's answers,\n\
                      a grants them an extra attempt or more time.\n\
                      From a terminal: ssh … quiz results QUIZ --json, ssh … export quiz-results QUIZ";

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
    PwSameAsCurrent => "Le nouveau mot de passe doit être différent de l'actuel.", "The new password must differ from the current one.";
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
    ExecInterruptedByShutdown => "Le serveur Portail s'arrête : commande interrompue, ce qui n'était pas terminé n'a pas été enregistré. Relancez-la dans un instant.",
                                 "The Portail server is stopping: command interrupted, whatever was not finished was not saved. Run it again in a moment.";

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

    // Exec help: clap's chrome, parse errors, then every command (Xh…) and argument (Xa…).
    XhUsage => "Usage :", "Usage:";
    XhCommands => "Commandes", "Commands";
    XhCommandValue => "COMMANDE", "COMMAND";
    XhValues => "valeurs :", "values:";
    ExecUnknownOption => "Option inconnue : « {} ».", "Unknown option: \"{}\".";
    ExecStrayArgument => "Argument en trop : « {} ». Une valeur avec des espaces doit être entre guillemets, et toute la commande entre apostrophes, par exemple : ssh … 'org add --name \"Institut Alpha\"'",
                         "Unexpected argument: \"{}\". Put a value holding spaces in double quotes and the whole command in single quotes, for example: ssh … 'org add --name \"Institut Alpha\"'";
    ExecMissingArgument => "Argument obligatoire manquant : {}.", "Missing required argument: {}.";
    ExecIncomplete => "Commande incomplète : ajoutez --help pour voir les choix.", "Incomplete command: add --help to see the choices.";
    ExecInvalidValue => "Valeur invalide pour {} : « {} ».", "Invalid value for {}: \"{}\".";
    XhHelp => "Liste les commandes que vous pouvez lancer.", "Lists the commands you may run.";
    XhWhoami => "Affiche votre compte.", "Shows your account.";
    XhPasswd => "Change votre mot de passe, lu sur l'entrée standard (l'actuel sur la première ligne, le nouveau sur la deuxième ; le nouveau seul avec un code d'activation).",
                "Changes your password, read from standard input (the current one on the first line, the new one on the second; the new one alone with an activation code).";
    XhCourses => "(Étudiant) vos cours, avec votre progression.", "(Student) your courses, with your progress.";
    XhProgress => "Progression : la vôtre (étudiant) ou celle de vos étudiants (formateur).", "Progress: your own (student) or your students' (trainer).";
    XhActivity => "(Formateur) le journal d'activité, preuve de présence.", "(Trainer) the activity log, proof of attendance.";
    XhSecurity => "(Formateur) le journal de sécurité.", "(Trainer) the security log.";
    XhSecurityLog => "Connexions échouées et refusées, les plus récentes d'abord.", "Failed and refused logins, newest first.";
    XhImport => "(Formateur) import en masse depuis l'entrée standard (CSV ou JSON).", "(Trainer) bulk import from standard input (CSV or JSON).";
    XhExport => "(Formateur) export vers la sortie standard.", "(Trainer) export to standard output.";
    XhMessage => "Messages avec le formateur / vos étudiants.", "Messages with the trainer / your students.";
    XhMessageSend => "Envoie un message lu sur l'entrée standard : à un étudiant ou une classe (formateur), ou --to trainer (étudiant).",
                     "Sends a message read from standard input: to a student or a class (trainer), or --to trainer (student).";
    XhMessageList => "Vos conversations.", "Your conversations.";
    XhMessageShow => "Une conversation (son numéro dans « message list ») ; la marque comme lue.", "One conversation (its number in \"message list\"); marks it read.";
    XhAvatar => "Votre photo de profil.", "Your profile photo.";
    XhAvatarSet => "Définit votre photo depuis l'entrée standard.", "Sets your photo from standard input.";
    XhAvatarLink => "Un lien d'envoi à usage unique pour votre photo (téléphone ou navigateur).", "A one-time upload link for your photo (phone or browser).";
    XhOrg => "(Formateur) organismes.", "(Trainer) organisations.";
    XhOrgAdd => "Crée un organisme.", "Creates an organisation.";
    XhOrgList => "Liste les organismes.", "Lists the organisations.";
    XhOrgShow => "Affiche un organisme (numéro ou nom).", "Shows one organisation (id or name).";
    XhOrgLogo => "Définit le logo de l'organisme depuis l'entrée standard.", "Sets the organisation's logo from standard input.";
    XhOrgLogoLink => "Un lien d'envoi à usage unique pour le logo (téléphone ou navigateur).", "A one-time upload link for the logo (phone or browser).";
    XhOrgRm => "Supprime un organisme avec ses classes (demande --yes).", "Deletes an organisation with its classes (asks for --yes).";
    XhClass => "(Formateur) classes.", "(Trainer) classes.";
    XhClassAdd => "Crée une classe dans un organisme.", "Creates a class in an organisation.";
    XhClassList => "Liste les classes.", "Lists the classes.";
    XhClassMembers => "Ajoute ou retire des membres d'une classe.", "Adds or removes class members.";
    XhClassMembersAdd => "Ajoute des étudiants à une classe.", "Adds students to a class.";
    XhClassMembersRm => "Retire des étudiants d'une classe.", "Removes students from a class.";
    XhStudent => "(Formateur) étudiants.", "(Trainer) students.";
    XhStudentAdd => "Crée un étudiant (affiche son code d'activation).", "Creates a student (prints the activation code).";
    XhStudentList => "Liste les étudiants.", "Lists the students.";
    XhStudentShow => "Affiche un étudiant.", "Shows one student.";
    XhStudentDisable => "Désactive un compte étudiant (il ne peut plus se connecter).", "Disables a student account (no more logins).";
    XhStudentEnable => "Réactive un compte étudiant.", "Enables a student account again.";
    XhStudentResetCode => "Émet un nouveau code d'activation (affiché).", "Issues a new activation code (printed).";
    XhCourse => "Cours (formateur) ; « course show » d'un de vos cours (étudiant).", "Courses (trainer); \"course show\" of one of your courses (student).";
    XhCourseAdd => "Crée un cours (brouillon, sauf --published).", "Creates a course (a draft unless --published).";
    XhCourseList => "Liste les cours.", "Lists the courses.";
    XhCourseShow => "Affiche un cours : ses leçons et ressources.", "Shows a course: its lessons and resources.";
    XhCourseAssign => "Attribue un cours à des classes ou des étudiants.", "Assigns a course to classes or students.";
    XhCourseUnassign => "Retire un cours à des classes ou des étudiants.", "Unassigns a course from classes or students.";
    XhCourseParticipants => "Les participants d'un cours, avec leur progression.", "A course's participants, with their progress.";
    XhCourseDuplicate => "Copie un cours avec ses leçons et ressources (en brouillon).", "Copies a course with its lessons and resources (as a draft).";
    XhCoursePublish => "Rend un cours visible aux étudiants à qui il est attribué.", "Makes a course visible to the students it is assigned to.";
    XhCourseUnpublish => "Repasse un cours en brouillon (caché aux étudiants).", "Back to draft (hidden from students).";
    XhLesson => "Leçons : en ajouter (formateur), en terminer (étudiant).", "Lessons: add them (trainer), complete them (student).";
    XhLessonAdd => "Ajoute une leçon à la fin d'un cours ; son texte Markdown est lu sur l'entrée standard.", "Appends a lesson to a course; its Markdown text is read from standard input.";
    XhLessonDone => "(Étudiant) marque une leçon terminée, ou non terminée avec --undo.", "(Student) marks a lesson done, or not done with --undo.";
    XhResource => "(Formateur) ressources d'un cours : liens et fichiers.", "(Trainer) a course's resources: links and files.";
    XhResourceAdd => "Ajoute un lien à un cours.", "Adds a link to a course.";
    XhResourceUpload => "Joint un fichier (lu sur l'entrée standard) à un cours ou à une de ses leçons.", "Attaches a file (read from standard input) to a course or one of its lessons.";
    XhResourceUploadLink => "Un lien à usage unique pour envoyer un fichier du cours depuis un navigateur (30 minutes).", "A one-time link to upload a course file from a browser (30 minutes).";
    XhQuiz => "Quiz et évaluations.", "Quizzes and exams.";
    XhQuizList => "Les quiz : tous (formateur, éventuellement d'un cours) ou les vôtres (étudiant).", "Quizzes: all (trainer, optionally of one course) or yours (student).";
    XhQuizShow => "(Formateur) un quiz avec ses questions et réponses.", "(Trainer) a quiz with its questions and answers.";
    XhQuizImport => "(Formateur) crée un quiz du cours depuis l'entrée standard (JSON ou GIFT), non publié.", "(Trainer) creates a quiz of the course from standard input (JSON or GIFT), unpublished.";
    XhQuizExport => "(Formateur) un quiz vers la sortie standard (JSON par défaut, ou GIFT).", "(Trainer) a quiz to standard output (JSON by default, or GIFT).";
    XhQuizResults => "Résultats : d'un quiz (formateur), ou les vôtres (étudiant, tous les quiz ou un seul).", "Results: one quiz's (trainer), or your own (student, all quizzes or one).";
    XhQuizProgression => "(Formateur) positionnement et évaluation finale par étudiant d'un cours.", "(Trainer) positioning vs final assessment per student of a course.";
    XhQuizPublish => "(Formateur) rend un quiz visible aux étudiants du cours.", "(Trainer) makes a quiz visible to the course's students.";
    XhQuizUnpublish => "(Formateur) cache un quiz aux étudiants.", "(Trainer) hides a quiz from students.";
    XhQuizRm => "(Formateur) supprime un quiz ; s'il a des tentatives, seulement avec --yes.", "(Trainer) deletes a quiz; one with attempts only with --yes.";
    XhServer => "(Formateur) le serveur lui-même.", "(Trainer) the server itself.";
    XhServerStats => "Latence touche→écran des sessions plein écran, trames écrites, mémoire.", "Keystroke→frame latency of the full-screen sessions, frames written, memory.";
    XaHelp => "Affiche cette aide.", "Prints this help.";
    XaJson => "Sortie JSON (format machine).", "JSON output (machine format).";
    XaYes => "Confirme.", "Confirms.";
    XaYesDelete => "Supprime vraiment (sans --yes : montre ce qui serait supprimé).", "Really deletes (without --yes: shows what would be deleted).";
    XaQuizYes => "Supprime aussi les tentatives et résultats.", "Deletes the attempts and results too.";
    XaOrg => "L'organisme (numéro ou nom).", "The organisation (id or name).";
    XaClass => "La classe (numéro ou nom).", "The class (id or name).";
    XaClasses => "Une classe (numéro ou nom) ; répétable.", "A class (id or name); repeatable.";
    XaCourse => "Le cours (numéro ou titre).", "The course (id or title).";
    XaStudent => "L'étudiant (courriel ou numéro).", "The student (e-mail or id).";
    XaStudents => "Un étudiant (courriel ou numéro) ; répétable.", "A student (e-mail or id); repeatable.";
    XaQuiz => "Le quiz (numéro ou titre).", "The quiz (id or title).";
    XaEmail => "Le courriel de l'étudiant (ou son numéro).", "The student's e-mail (or id).";
    XaEmails => "Les courriels des étudiants (ou leurs numéros).", "The students' e-mails (or ids).";
    XaTitle => "Le titre.", "The title.";
    XaLesson => "La leçon (numéro ou titre).", "The lesson (number or title).";
    XaStart => "Date de début (AAAA-MM-JJ).", "Start date (YYYY-MM-DD).";
    XaEnd => "Date de fin (AAAA-MM-JJ).", "End date (YYYY-MM-DD).";
    XaOrgName => "Le nom de l'organisme.", "The organisation's name.";
    XaSiret => "Le numéro SIRET (14 chiffres).", "The SIRET number (14 digits).";
    XaOrgEmail => "Le courriel de contact.", "The contact e-mail.";
    XaPhone => "Le téléphone.", "The phone number.";
    XaAddress => "L'adresse postale.", "The postal address.";
    XaWebsite => "Le site web (https://…).", "The website (https://…).";
    XaContact => "La personne à contacter.", "The contact person.";
    XaNotes => "Notes libres.", "Free notes.";
    XaClassName => "Le nom de la classe.", "The class's name.";
    XaOrgOfClass => "L'organisme de la classe (numéro ou nom).", "The class's organisation (id or name).";
    XaFilterOrg => "Seulement cet organisme (numéro ou nom).", "Only this organisation (id or name).";
    XaFilterClass => "Seulement cette classe (numéro ou nom).", "Only this class (id or name).";
    XaFilterCourse => "Seulement ce cours (numéro ou titre).", "Only this course (id or title).";
    XaFilterStudent => "Seulement cet étudiant (courriel ou numéro).", "Only this student (e-mail or id).";
    XaStudentEmail => "Le courriel de l'étudiant (son identifiant).", "The student's e-mail (their login).";
    XaFirstName => "Le prénom.", "The first name.";
    XaLastName => "Le nom de famille.", "The last name.";
    XaStudentClasses => "Inscrit dans cette classe (numéro ou nom) ; répétable.", "Enrols in this class (id or name); repeatable.";
    XaCourseTitle => "Le titre du cours.", "The course's title.";
    XaDescription => "La description du cours.", "The course's description.";
    XaObjective => "Un objectif pédagogique ; répétable.", "A learning objective; repeatable.";
    XaDurationHours => "La durée en heures (par exemple 7 ou 3,5).", "The duration in hours (e.g. 7 or 3.5).";
    XaLevel => "Le niveau (débutant, intermédiaire…).", "The level (beginner, intermediate…).";
    XaPublished => "Publié d'emblée (visible des étudiants attribués).", "Published at once (visible to assigned students).";
    XaAssignClass => "Une classe (numéro ou nom) ; répétable.", "A class (id or name); repeatable.";
    XaAssignStart => "Premier jour du cours (AAAA-MM-JJ, inclus) : avant, il est listé « à partir du … » et ne s'ouvre pas. Non donnée, une date déjà fixée est gardée ; vide (--start ''), elle est effacée.", "First day of the course (YYYY-MM-DD, included): before it, it is listed \"from …\" and does not open. Not given, a date already set is kept; empty (--start ''), it is cleared.";
    XaAssignEnd => "Dernier jour du cours (AAAA-MM-JJ, inclus) : après, il reste consultable, sans leçon à marquer faite ni quiz à commencer. Non donnée, gardée ; vide (--end ''), effacée.", "Last day of the course (YYYY-MM-DD, included): after it, it stays readable, with no lesson to mark done and no quiz to start. Not given, kept; empty (--end ''), cleared.";
    XaAssignStudent => "Un étudiant (courriel ou numéro) ; répétable.", "A student (e-mail or id); repeatable.";
    XaLessonTitle => "Le titre de la leçon.", "The lesson's title.";
    XaUndo => "Marque la leçon non terminée.", "Marks the lesson not done.";
    XaResourceTitle => "Le titre de la ressource.", "The resource's title.";
    XaUrl => "L'adresse du lien (https://…).", "The link's address (https://…).";
    XaFileName => "Le nom du fichier au téléchargement (par défaut : le titre).", "The file name on download (default: the title).";
    XaTo => "Le destinataire : un étudiant (courriel), ou « trainer » pour un étudiant.", "The recipient: a student (e-mail), or \"trainer\" for a student.";
    XaToClass => "Une classe entière (annonce).", "A whole class (announcement).";
    XaThread => "Le numéro de la conversation.", "The conversation's number.";
    XaLimit => "Combien de lignes (1 à 1000) [défaut : 100].", "How many rows (1 to 1000) [default: 100].";
    XaSince => "Depuis cette date (AAAA-MM-JJ).", "Since this date (YYYY-MM-DD).";
    XaImportWhat => "Ce qui est importé.", "What is imported.";
    XaExportWhat => "Ce qui est exporté.", "What is exported.";
    XaExportQuiz => "Le quiz, pour « export quiz-results QUIZ ».", "The quiz, for \"export quiz-results QUIZ\".";
    XaDefaultOrg => "L'organisme des lignes qui n'en donnent pas.", "The organisation of rows that give none.";
    XaDefaultClass => "La classe des lignes qui n'en donnent pas.", "The class of rows that give none.";
    XaDryRun => "Montre ce qui serait fait, sans rien enregistrer.", "Shows what would be done, saving nothing.";
    XaFormat => "Le format (par défaut : CSV, ou deviné à l'import).", "The format (default: CSV, or guessed on import).";
    XaCodesCsv => "Les codes des nouveaux étudiants en CSV sur la sortie standard (le rapport va sur la sortie d'erreur).", "The new students' codes as CSV on standard output (the report goes to standard error).";
    XaExcel => "CSV pour Excel (point-virgule, BOM UTF-8).", "CSV for Excel (semicolon, UTF-8 BOM).";
    XaQuizKind => "positionnement, contrôle ou final (positioning, check, final).", "positioning, check or final (positionnement, contrôle, final).";
    XaQuizFormat => "JSON ou GIFT (à l'import, par défaut : JSON si l'entrée commence par « { », GIFT sinon).", "JSON or GIFT (on import, default: JSON when the input starts with \"{\", GIFT otherwise).";
    XaQuizDryRun => "Vérifie le quiz sans le créer.", "Checks the quiz without creating it.";
    XaPasswdStdin => "Lit le mot de passe sur l'entrée standard (obligatoire).", "Reads the password from standard input (required).";
    XaReset => "Remet les mesures à zéro (après les avoir affichées).", "Starts the measurements afresh (after printing them).";
    ExecPasswdFormat => "Donnez sur l'entrée standard le mot de passe actuel puis le nouveau, sur deux lignes.",
                        "Give the current password then the new one on standard input, on two lines.";
    ExecStdinTooLarge => "Entrée trop volumineuse.", "Input too large.";
    ExecBadArgs => "Arguments invalides : {}", "Invalid arguments: {}";

    ErrInvalidCredentials => "Identifiant ou mot de passe incorrect.", "Wrong login or password.";
    AuthTimeout => "Délai d'authentification dépassé.", "Authentication took too long.";
    TooManySessions => "Trop de sessions ouvertes pour ce compte ({} au plus) : fermez-en une et réessayez.",
                       "Too many open sessions for this account ({} at most): close one and try again.";
    OnePtyPerConnection => "Une seule session interactive par connexion : ouvrez une nouvelle connexion.",
                           "One interactive session per connection: open a new connection.";
    IdleWarning => "Inactivité : la session se ferme dans {} s sans frappe au clavier.",
                   "Inactive: the session closes in {} s without a keystroke.";
    IdleNotice => "Session fermée après {} min d'inactivité. À bientôt !",
                  "Session closed after {} min of inactivity. See you soon!";
    ErrTooManyAttempts => "Trop d'échecs de connexion : réessayez dans quelques minutes.",
                          "Too many failed logins: try again in a few minutes.";
    ErrNotFound => "Introuvable.", "Not found.";
    ErrForbidden => "Action non autorisée pour votre compte.", "This action is not allowed for your account.";
    ErrPasswordChangeRequired => "Choisissez d'abord votre mot de passe : connectez-vous en interactif (ssh -t) ou utilisez « passwd --stdin ».",
                                 "Choose your password first: log in interactively (ssh -t) or use \"passwd --stdin\".";
    ErrConflict => "Cet élément existe déjà.", "This item already exists.";
    ErrInternal => "Erreur interne du serveur ; réessayez plus tard.", "Internal server error; try again later.";
    ErrFieldFormat => "{} : {} « {} ».", "{}: {} \"{}\".";
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
    OutDuration => "Durée", "Duration";
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
    ProbUrlControl => "une adresse web ne peut contenir ni caractère de contrôle ni inversion du sens d'écriture", "a web address cannot hold control characters or text-direction overrides";
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
    // Exec commands of the trainer administration (issue 3).
    ExecHelpOrg => "organismes : org add|list|show|edit|rm|logo|logo-link", "organisations: org add|list|show|edit|rm|logo|logo-link";
    ExecHelpClass => "classes : class add|list|edit|rm, class members add|rm", "classes: class add|list|edit|rm, class members add|rm";
    ExecHelpStudent => "étudiants : student add|list|show|disable|enable|reset-code",
                       "students: student add|list|show|disable|enable|reset-code";
    ExecHelpCourse => "cours : course add|list|show|edit|rm|assign|unassign|participants|duplicate|publish|unpublish",
                      "courses: course add|list|show|edit|rm|assign|unassign|participants|duplicate|publish|unpublish";
    ExecHelpLesson => "leçons : lesson add COURS --title T < lecon.md ; lesson edit|rm|mv COURS LEÇON", "lessons: lesson add COURSE --title T < lesson.md; lesson edit|rm|mv COURSE LESSON";
    ExecHelpResource => "ressources : resource add COURS --title T --url URL ; resource upload COURS --title T < fichier ; resource upload-link|edit|rm",
                        "resources: resource add COURSE --title T --url URL; resource upload COURSE --title T < file; resource upload-link|edit|rm";
    ExecHelpDetail => "« COMMANDE --help » détaille les options ; --json donne un format machine.",
                      "\"COMMAND --help\" details the options; --json gives machine output.";
    OutOrgCreated => "Organisme créé : {} (n° {}).", "Organisation created: {} (#{}).";
    OutOrgDeleted => "Organisme supprimé : {} — {} classe(s), {} inscription(s), {} affectation(s) supprimées.",
                     "Organisation deleted: {} — {} class(es), {} membership(s), {} assignment(s) removed.";
    OutOrgDeleteConfirm => "Supprimer « {} » supprimera aussi {} classe(s), {} inscription(s) en classe et {} affectation(s) de cours (les comptes étudiants et leur progression sont conservés). Relancez avec --yes pour confirmer.",
                           "Deleting \"{}\" also removes {} class(es), {} class membership(s) and {} course assignment(s) (student accounts and their progress are kept). Run again with --yes to confirm.";
    OutClassCreated => "Classe créée : {} — {} (n° {}).", "Class created: {} — {} (#{}).";
    OutMembersAdded => "{} étudiant(s) ajouté(s) à la classe {}.", "{} student(s) added to class {}.";
    OutMembersRemoved => "{} étudiant(s) retiré(s) de la classe {}.", "{} student(s) removed from class {}.";
    OutStudentCreated => "Étudiant créé : {} (n° {}).", "Student created: {} (#{}).";
    OutActivationCode => "Code d'activation : {} — à remettre à l'étudiant, valable {} jours. Il se connecte avec son courriel et ce code, puis choisit son mot de passe.",
                         "Activation code: {} — hand it to the student, valid {} days. They log in with their e-mail and this code, then choose a password.";
    OutStudentDisabled => "Compte désactivé : {}.", "Account disabled: {}.";
    OutStudentEnabled => "Compte réactivé : {}.", "Account enabled: {}.";
    OutCourseCreated => "Cours créé : {} (n° {}).", "Course created: {} (#{}).";
    OutCourseDuplicated => "Cours dupliqué : {} (n° {}, brouillon).", "Course duplicated: {} (#{}, draft).";
    OutLessonAdded => "Leçon {} ajoutée : {}.", "Lesson {} added: {}.";
    OutResourceAdded => "Ressource ajoutée : {} <{}>.", "Resource added: {} <{}>.";
    OutAssigned => "Cours « {} » affecté à {} cible(s).", "Course \"{}\" assigned to {} target(s).";
    OutUnassigned => "Cours « {} » retiré de {} cible(s).", "Course \"{}\" unassigned from {} target(s).";
    OutNone => "Aucun élément.", "Nothing yet.";
    OutLogo => "Logo", "Logo";
    OutLogoSet => "défini", "set";
    OutLogoAbsent => "absent", "absent";
    OutClasses => "Classes", "Classes";
    OutStudents => "Étudiants", "Students";
    OutMembers => "Membres", "Members";
    OutLessons => "Leçons", "Lessons";
    OutResources => "Ressources", "Resources";
    OutVia => "Via", "Via";
    OutProgress => "Progression", "Progress";
    OutLastActivity => "Dernière activité", "Last activity";
    OutCreated => "Créé le", "Created";
    OutLastLogin => "Dernière connexion", "Last login";
    OutId => "N°", "#";
    ExecStdinRequired => "Le contenu est lu sur l'entrée standard (ex. : ssh … lesson add COURS --title T < lecon.md).",
                         "The content is read from standard input (e.g. ssh … lesson add COURSE --title T < lesson.md).";
    ExecBadUtf8 => "L'entrée standard n'est pas du texte UTF-8.", "Standard input is not UTF-8 text.";
    // Student space and progress (issue 5).
    ExecHelpCourses => "vos cours, avec votre progression (--json)", "your courses, with your progress (--json)";
    ExecHelpCourseShowStudent => "course list|show COURS [--json] : vos cours ; les leçons et ressources de l'un d'eux",
                                 "course list|show COURSE [--json]: your courses; the lessons and resources of one of them";
    ExecHelpLessonDone => "lesson done COURS LEÇON [--undo] : marque une leçon terminée (numéro ou titre)",
                          "lesson done COURSE LESSON [--undo]: marks a lesson done (number or title)";
    ExecHelpProgressStudent => "votre progression par cours (--json)", "your progress per course (--json)";
    ExecHelpProgressTrainer => "progress [--course C] [--class K] [--student E] [--json] : progression des étudiants",
                               "progress [--course C] [--class K] [--student E] [--json]: students' progress";
    ExecHelpSecurity => "security log [--json] [--limit N] : connexions échouées ou refusées ; security blocked [--json] : adresses bloquées ; security unblock ADRESSE",
                        "security log [--json] [--limit N]: failed or refused logins; security blocked [--json]: blocked addresses; security unblock ADDRESS";
    ExecSecurityLimit => "--limit doit être entre 1 et {}.", "--limit must be between 1 and {}.";
    SecWhen => "Date", "Date";
    MenuSecurity => "Sécurité", "Security";
    SecHint => "↑↓ parcourir · / chercher · b adresses bloquées · r actualiser · Échap retour · ? aide",
               "↑↓ browse · / search · b blocked addresses · r refresh · Esc back · ? help";
    SecHelp => "Les connexions échouées ou refusées, la plus récente en premier : identifiant \
                essayé, date, adresse IP, résultat.\n\
                « refusé » : l'adresse a échoué 5 fois en 10 minutes. « ralenti » : cette \
                adresse a échoué sur un compte visé. Les vrais utilisateurs se connectent \
                toujours depuis leur propre adresse.\n\
                b ouvre les adresses bloquées en ce moment (u pour en débloquer une).\n\
                / cherche (identifiant, adresse), r actualise, Échap revient au menu.",
               "Failed or refused logins, most recent first: login tried, date, IP address, \
                outcome.\n\
                \"refused\": the address failed 5 times in 10 minutes. \"slowed down\": this \
                address failed on a targeted account. Real users still log in from their own \
                address.\n\
                b opens the addresses blocked right now (u unblocks one).\n\
                / searches (login, address), r refreshes, Esc goes back to the menu.";
    SecLogin => "Identifiant essayé", "Login tried";
    SecOutcome => "Résultat", "Outcome";
    SecFailed => "échec", "failed";
    SecRefused => "refusé (trop d'échecs)", "refused (too many failures)";
    SecSlowed => "ralenti (compte visé)", "slowed down (targeted account)";
    // Lockouts: the banner, the blocked sources, unblocking (issue 15).
    SecUnblocked => "débloquée (formateur)", "unblocked (trainer)";
    SecProbAddress => "adresse IPv4 ou IPv6 attendue (telle que listée par security blocked)",
                      "an IPv4 or IPv6 address is expected (as listed by security blocked)";
    SecProbNotBlocked => "cette adresse n'est pas bloquée", "this address is not blocked";
    SecBannerSource => "Trop d'échecs de connexion depuis votre adresse : réessayez dans {} min, \
                        ou demandez à votre formateur de la débloquer. Les comptes qui se sont \
                        déjà connectés depuis cette adresse entrent normalement.",
                       "Too many failed logins from your address: try again in {} min, \
                        or ask your trainer to unblock it. Accounts that already logged in \
                        from this address get in normally.";
    SecBannerAccount => "Trop d'échecs de connexion sur un compte depuis votre adresse : ce compte \
                         y est bloqué encore {} min (les autres comptes se connectent normalement). \
                         Votre formateur peut débloquer l'adresse.",
                        "Too many failed logins on an account from your address: that account is \
                         blocked from here for {} more min (other accounts log in normally). \
                         Your trainer can unblock the address.";
    SecMinutes => "{} min", "{} min";
    SecBlockedTitle => "Adresses bloquées", "Blocked addresses";
    SecBlockedWhole => "toute l'adresse", "whole address";
    SecBlockedAccount => "Compte visé", "Targeted account";
    SecBlockedLeft => "Reste", "Left";
    SecBlockedUntil => "Jusqu'à", "Until";
    SecBlockedFailures => "Échecs", "Failures";
    SecBlockedShared => "Partagée", "Shared";
    SecBlockedNone => "Aucune adresse bloquée en ce moment.", "No address is blocked right now.";
    SecBlockedHeading => "Sécurité · {} bloquée(s) [b]", "Security · {} blocked [b]";
    SecBlockedHint => "↑↓ parcourir · u débloquer · r actualiser · Échap retour · ? aide",
                      "↑↓ browse · u unblock · r refresh · Esc back · ? help";
    SecBlockedHelp => "Les adresses refusées en ce moment, avec le temps restant : « toute \
                       l'adresse » après trop d'échecs depuis elle (5 en 10 minutes, 30 pour une \
                       adresse partagée d'où au moins 3 comptes se sont connectés : une salle de \
                       classe), ou un seul compte visé depuis elle.\n\
                       u débloque l'adresse sélectionnée après confirmation : ses échecs passés ne \
                       comptent plus et c'est noté dans le journal. r actualise, Échap revient.",
                      "The addresses refused right now, with the time left: \"whole address\" \
                       after too many failures from it (5 in 10 minutes, 30 for a shared address \
                       at least 3 accounts logged in from: a classroom), or one targeted account \
                       from it.\n\
                       u unblocks the selected address after a confirmation: its past failures no \
                       longer count, and it is written in the log. r refreshes, Esc goes back.";
    SecUnblockTitle => "Débloquer", "Unblock";
    SecUnblockAsk => "Débloquer l'adresse {} ? Les connexions depuis cette adresse seront de \
                      nouveau acceptées tout de suite.",
                     "Unblock address {}? Logins from this address will be accepted again at once.";
    SecUnblockDone => "Adresse {} débloquée : les connexions depuis elle sont de nouveau acceptées.",
                      "Address {} unblocked: logins from it are accepted again.";
    XhSecurityBlocked => "Les adresses refusées en ce moment (compte visé, temps restant).",
                         "The addresses refused right now (targeted account, time left).";
    XhSecurityUnblock => "Débloque une adresse refusée tout de suite (noté dans le journal).",
                         "Unblocks a refused address at once (written in the log).";
    XaSourceAddress => "L'adresse IP (ou le réseau IPv6 …/64) telle que listée par security blocked.",
                 "The IP address (or IPv6 network …/64) as listed by security blocked.";
    // The user's own account by command (issue 15).
    XhAccount => "Votre compte : nom, courriel, téléphone.", "Your account: name, e-mail, phone.";
    XhAccountSet => "Change votre nom (montré à vos étudiants), votre courriel ou votre téléphone.",
                    "Changes your name (shown to your students), your e-mail or your phone.";
    XaMyEmail => "Votre nouveau courriel (formateur ; c'est aussi votre identifiant).",
                 "Your new e-mail (trainer; it is also your login).";
    ExecHelpAccountTrainer => "account set [--first-name P] [--last-name N] [--email E] [--phone T] : votre nom affiché aux étudiants, courriel, téléphone",
                              "account set [--first-name F] [--last-name L] [--email E] [--phone P]: your name shown to students, e-mail, phone";
    ExecHelpAccountStudent => "account set [--first-name P] [--last-name N] [--phone T] : vos informations (sauf celles verrouillées)",
                              "account set [--first-name F] [--last-name L] [--phone P]: your details (except locked ones)";
    ExecAccountNothing => "Rien à changer : donnez --first-name, --last-name, --email ou --phone.",
                          "Nothing to change: give --first-name, --last-name, --email or --phone.";
    OutAccountSaved => "Compte mis à jour : {} <{}>.", "Account updated: {} <{}>.";
    ExecHelpActivity => "activity [--student E] [--since AAAA-MM-JJ] [--json] : journal d'activité (preuve de présence)",
                        "activity [--student E] [--since YYYY-MM-DD] [--json]: activity log (proof of attendance)";
    ExecHelpServer => "mesures du serveur : latence touche→écran, trames, mémoire (--json, --reset)",
                      "server measurements: keystroke→screen latency, frames, memory (--json, --reset)";
    OutLessonDone => "Leçon {} « {} » terminée — progression du cours : {} %.", "Lesson {} \"{}\" done — course progress: {}%.";
    OutLessonUndone => "Leçon {} « {} » marquée non terminée — progression du cours : {} %.",
                       "Lesson {} \"{}\" marked not done — course progress: {}%.";
    OutContinue => "Continuer", "Continue";
    OutContinueAt => "leçon {}", "lesson {}";
    OutAllDone => "terminé", "finished";
    OutCourse => "Cours", "Course";
    OutWhen => "Date", "Date";
    OutEvent => "Événement", "Event";
    OutLesson => "Leçon", "Lesson";
    OutSource => "Adresse IP", "IP address";
    OutCoursePublished => "Cours publié : {} — visible par les étudiants auxquels il est affecté.",
                          "Course published: {} — visible to the students it is assigned to.";
    OutCourseUnpublished => "Cours repassé en brouillon : {} — invisible pour les étudiants.",
                            "Course back to draft: {} — hidden from students.";
    OutDraftHidden => "Attention : ce cours est un brouillon, les étudiants ne le verront qu'une fois publié (commande course publish, ou Statut « publié » dans la fiche du cours).",
                      "Note: this course is a draft; students will only see it once published (command course publish, or Status \"published\" in the course form).";
    ActLogin => "connexion", "login";
    ActPasswordChanged => "mot de passe changé", "password changed";
    ActLessonOpened => "leçon ouverte", "lesson opened";
    ActLessonCompleted => "leçon terminée", "lesson completed";
    ActLessonReopened => "leçon rouverte", "lesson reopened";
    ActFileDownloaded => "fichier téléchargé", "file downloaded";
    ActDemoReplayed => "rediffusion de démo regardée", "demo replay watched";
    // Bulk import / export (issue 4).
    ImpTooLarge => "fichier trop volumineux (taille > limite)", "file too large (size > limit)";
    ImpEmpty => "fichier vide", "empty file";
    ImpUnreadable => "fichier illisible", "unreadable file";
    ImpTooManyColumns => "trop de colonnes (64 au plus)", "too many columns (64 at most)";
    ImpDuplicateColumn => "colonne en double", "duplicate column";
    ImpMissingColumn => "colonne obligatoire absente", "required column missing";
    ImpTooManyRows => "trop de lignes (200 000 au plus)", "too many rows (200,000 at most)";
    ImpExtraField => "valeur hors de toute colonne (ligne plus longue que l'en-tête)", "value outside any column (row longer than the header)";
    ImpUnterminatedQuote => "guillemet ouvert jamais refermé", "quote opened and never closed";
    ImpBadJson => "JSON invalide", "invalid JSON";
    ImpNotAnObject => "un objet { … } est attendu", "an object { … } is expected";
    ImpWrongType => "une chaîne de caractères est attendue", "a string is expected";
    ImpDuplicateInFile => "courriel en double dans le fichier, avec des valeurs différentes", "e-mail repeated in the file with different values";
    ImpClassNeedsOrg => "précisez l'organisme (colonne organisme ou --org)", "give the organisation (organisation column or --org)";
    ImpLine => "ligne {}", "line {}";
    ImpItem => "élément {}", "item {}";
    ImpFile => "fichier", "file";
    ImpColumn => "colonne {}", "column {}";
    ImpRefused => "Import refusé : {} erreur(s), rien n'a été écrit.", "Import refused: {} error(s), nothing was written.";
    ImpMoreErrors => "… et {} autre(s) erreur(s).", "… and {} more error(s).";
    ImpPreview => "Aperçu — rien n'a été écrit (relancez sans --dry-run pour importer) :", "Preview — nothing was written (run again without --dry-run to import):";
    ImpDone => "Import terminé :", "Import done:";
    ImpCounts => "{} : {} créé(s), {} mis à jour, {} inchangé(s)", "{}: {} created, {} updated, {} unchanged";
    ImpIgnoredColumns => "Colonnes ignorées : {}", "Ignored columns: {}";
    ImpEncoding => "Encodage : {} ; séparateur : {}", "Encoding: {}; delimiter: {}";
    ImpCodes => "Codes d'activation à remettre aux nouveaux étudiants :", "Activation codes to hand to the new students:";
    ImpNeedsStdin => "Le fichier est lu sur l'entrée standard : ssh … import students < classe.csv", "The file is read from standard input: ssh … import students < class.csv";
    ImpAllJsonOnly => "import all attend un document JSON (--format json)", "import all expects a JSON document (--format json)";
    // Issue 15: exec edit / rm / mv, one SIRET per organisation, import layouts.
    ProbSiretTaken => "déjà utilisé par l'organisme", "already used by the organisation";
    UiFieldsToFix => "{} champs à corriger : {}.", "{} fields to correct: {}.";
    ProbFileHasNoUrl => "une ressource fichier n'a pas d'adresse à changer (envoyez un nouveau fichier)", "a file resource has no address to change (upload a new file)";
    ImpUnknownKey => "clé inconnue (attendues : organisations, classes, students)", "unknown key (expected: organisations, classes, students)";
    XhOrgEdit => "Modifie un organisme : seules les options données changent ; une valeur vide efface un champ facultatif.",
                 "Edits an organisation: only the options given change; an empty value clears an optional field.";
    XhClassEdit => "Modifie une classe : seules les options données changent ; une date vide l'efface.",
                   "Edits a class: only the options given change; an empty date clears it.";
    XhClassRm => "Supprime une classe avec ses inscriptions et affectations (demande --yes).",
                 "Deletes a class with its memberships and assignments (asks for --yes).";
    XhCourseEdit => "Modifie un cours : seules les options données changent ; une valeur vide efface un champ facultatif ; --objective remplace la liste.",
                    "Edits a course: only the options given change; an empty value clears an optional field; --objective replaces the list.";
    XhCourseRm => "Supprime un cours avec ses leçons, ressources, quiz, affectations et la progression (demande --yes).",
                  "Deletes a course with its lessons, resources, quizzes, assignments and progress (asks for --yes).";
    XhLessonEdit => "Modifie une leçon : son titre (--title), son texte Markdown lu sur l'entrée standard (--stdin).",
                    "Edits a lesson: its title (--title), its Markdown text read from standard input (--stdin).";
    XhLessonRm => "Supprime une leçon et la progression enregistrée pour elle (demande --yes).",
                  "Deletes a lesson and the progress recorded for it (asks for --yes).";
    XhLessonMv => "Déplace une leçon à la position donnée ; les autres se décalent.",
                  "Moves a lesson to the given position; the others shift.";
    XhResourceEdit => "Modifie une ressource : son titre, l'adresse d'un lien.", "Edits a resource: its title, a link's address.";
    XhResourceRm => "Supprime une ressource d'un cours (demande --yes).", "Deletes a resource of a course (asks for --yes).";
    XaPrerequisites => "Les prérequis du cours.", "The course's prerequisites.";
    XaLessonTo => "La nouvelle position (1 = première).", "The new position (1 = first).";
    XaLessonStdin => "Remplace le texte de la leçon par l'entrée standard.", "Replaces the lesson's text with standard input.";
    XaResourceRef => "La ressource (sa place dans « course show » ou son titre).", "The resource (its place in \"course show\" or its title).";
    XaNewOrgOfClass => "Déplace la classe dans cet organisme (numéro ou nom).", "Moves the class to this organisation (id or name).";
    OutOrgUpdated => "Organisme modifié : {} (n° {}).", "Organisation updated: {} (#{}).";
    OutClassUpdated => "Classe modifiée : {} — {} (n° {}).", "Class updated: {} — {} (#{}).";
    OutClassDeleted => "Classe supprimée : {} — {} inscription(s), {} affectation(s) supprimées.",
                       "Class deleted: {} — {} membership(s), {} assignment(s) removed.";
    OutClassDeleteConfirm => "Supprimer la classe « {} » supprimera aussi {} inscription(s) et {} affectation(s) de cours (les comptes étudiants et leur progression sont conservés). Relancez avec --yes pour confirmer.",
                             "Deleting the class \"{}\" also removes {} membership(s) and {} course assignment(s) (student accounts and their progress are kept). Run again with --yes to confirm.";
    OutCourseUpdated => "Cours modifié : {} (n° {}).", "Course updated: {} (#{}).";
    OutCourseDeleted => "Cours supprimé : {} — {} leçon(s), {} ressource(s), {} affectation(s), {} quiz, la progression de {} étudiant(s).",
                        "Course deleted: {} — {} lesson(s), {} resource(s), {} assignment(s), {} quiz(zes), the progress of {} student(s).";
    OutCourseDeleteConfirm => "Supprimer le cours « {} » supprimera aussi {} leçon(s), {} ressource(s), {} affectation(s), {} quiz et la progression enregistrée de {} étudiant(s). Relancez avec --yes pour confirmer.",
                              "Deleting the course \"{}\" also removes {} lesson(s), {} resource(s), {} assignment(s), {} quiz(zes) and the recorded progress of {} student(s). Run again with --yes to confirm.";
    OutLessonUpdated => "Leçon {} modifiée : {}.", "Lesson {} updated: {}.";
    OutLessonMoved => "Leçon « {} » déplacée en position {}.", "Lesson \"{}\" moved to position {}.";
    OutLessonDeleted => "Leçon supprimée : {} — {} ressource(s) jointe(s), la progression de {} étudiant(s).",
                        "Lesson deleted: {} — {} attached resource(s), the progress of {} student(s).";
    OutLessonDeleteConfirm => "Supprimer la leçon « {} » supprimera aussi {} ressource(s) jointe(s) et la progression enregistrée de {} étudiant(s). Relancez avec --yes pour confirmer.",
                              "Deleting the lesson \"{}\" also removes {} attached resource(s) and the recorded progress of {} student(s). Run again with --yes to confirm.";
    OutResourceUpdated => "Ressource modifiée : {}.", "Resource updated: {}.";
    OutResourceDeleted => "Ressource supprimée : {}.", "Resource deleted: {}.";
    OutResourceDeleteConfirm => "Supprimer la ressource « {} » ? Relancez avec --yes pour confirmer.",
                                "Delete the resource \"{}\"? Run again with --yes to confirm.";
    ExecHelpImport => "import students|orgs|classes|all [--org O] [--class K] [--dry-run] [--format csv|json] [--codes-csv] < fichier",
                      "import students|orgs|classes|all [--org O] [--class K] [--dry-run] [--format csv|json] [--codes-csv] < file";
    ExecHelpExport => "export students|orgs|classes|participants|progress [--org] [--class] [--course] [--format csv|json] [--excel] ; export quiz-results QUIZ",
                      "export students|orgs|classes|participants|progress [--org] [--class] [--course] [--format csv|json] [--excel]; export quiz-results QUIZ";
    ExpNeedsCourse => "précisez le cours (--course)", "give the course (--course)";
    // HTTPS files (issue 6).
    ImgNotAnImage => "ce fichier n'est pas une image acceptée (PNG, JPEG, GIF ou WebP)", "this file is not an accepted image (PNG, JPEG, GIF or WebP)";
    ImgTooLarge => "image trop grande (8000 pixels de côté au plus, 40 mégapixels par défaut)", "image too large (8000 pixels a side at most, 40 megapixels by default)";
    ImgCorrupt => "image illisible ou tronquée", "unreadable or truncated image";
    FileTooLarge => "fichier trop volumineux", "file too large";
    FileEmpty => "fichier vide", "empty file";
    UpTooLargeAvatar => "Photo trop volumineuse : {} Mo au plus. Réduisez la photo et réessayez.", "Photo too large: {} MB at most. Make the photo smaller and try again.";
    UpTooLargeLogo => "Logo trop volumineux : {} Mo au plus. Réduisez l'image et réessayez.", "Logo too large: {} MB at most. Make the image smaller and try again.";
    UpTooLargeResource => "Fichier du cours trop volumineux : {} Mo au plus. Compressez-le ou découpez-le, puis réessayez.", "Course file too large: {} MB at most. Compress or split it, then try again.";
    OutResourceUploaded => "Fichier joint : {} ({} octets).", "File attached: {} ({} bytes).";
    OutAvatarSet => "Photo de profil enregistrée : {}", "Profile photo saved: {}";
    OutLogoSetDone => "Logo enregistré : {}", "Logo saved: {}";
    OutUploadLink => "Lien d'envoi (à usage unique, valable 30 minutes) : {}", "Upload link (single use, valid 30 minutes): {}";
    OutDownloadLink => "lien valable {} h", "link valid {} h";
    ExecHelpAvatar => "avatar set < photo.jpg, ou avatar link : photo de profil", "avatar set < photo.jpg, or avatar link: profile photo";
    // Messaging (issue 7).
    MsgEmpty => "Message vide : écrivez quelque chose avant d'envoyer.", "Empty message: write something before sending.";
    MsgTooLong => "Message trop long : 10 000 caractères au plus.", "Message too long: 10,000 characters at most.";
    MsgSent => "Message envoyé.", "Message sent.";
    MsgNoThreads => "Aucune conversation pour l'instant.", "No conversation yet.";
    MsgTrainer => "Formateur", "Trainer";
    MsgAnnouncement => "annonce", "announcement";
    MsgUnread => "non lus", "unread";
    ExecHelpMessage => "messages : message send (--to COURRIEL | --class CLASSE) < texte, message list, message show N",
                       "messages: message send (--to EMAIL | --class CLASS) < text, message list, message show N";
    ExecHelpMessageStudent => "messages : message send --to trainer < texte, message list, message show N",
                              "messages: message send --to trainer < text, message list, message show N";
    ErrInvalidEmail => "Adresse de courriel invalide.", "Invalid e-mail address.";
    ErrInvalidLogin => "Identifiant invalide (lettres, chiffres, . _ - ; 2 à 32 caractères).",
                       "Invalid login (letters, digits, . _ -; 2 to 32 characters).";
    // Administration screens (TUI).
    UiYesNo => "o oui · n non", "y yes · n no";
    UiNoticeClose => "Entrée ou Échap pour fermer", "Enter or Esc to close";
    UiEmpty => "Aucun élément pour l'instant. n pour en créer un.", "Nothing yet. n to create one.";
    UiMoreAbove => "↑ {} de plus", "↑ {} more";
    UiMoreBelow => "↓ {} de plus", "↓ {} more";
    UiNoMatch => "Aucun résultat pour « {} ».", "No match for \"{}\".";
    UiSaving => "Enregistrement…", "Saving…";
    UiSaved => "Enregistré.", "Saved.";
    UiDeleted => "Supprimé.", "Deleted.";
    UiAbandon => "Abandonner les modifications ? (o/n)", "Abandon unsaved changes? (y/n)";
    UiDelete => "Supprimer", "Delete";
    UiDeleteForever => "Supprimer définitivement", "Delete permanently";
    UiRemove => "Retirer", "Remove";
    UiDisable => "Désactiver", "Disable";
    UiEnable => "Réactiver", "Enable";
    UiUnassign => "Retirer l'affectation", "Unassign";
    UiDeleteWith => "Supprimer {} ? Seront aussi supprimés : {}.", "Delete {}? Also deleted: {}.";
    UiDeleteNothingElse => "Supprimer {} ? Rien d'autre n'y est rattaché.", "Delete {}? Nothing else is attached to it.";
    UiTheOrg => "l'organisme « {} »", "the organisation \"{}\"";
    UiTheClass => "la classe « {} »", "the class \"{}\"";
    UiNClasses => "classe(s)", "class(es)";
    UiNMemberships => "inscription(s) d'étudiants en classe", "student class membership(s)";
    UiNAssignments => "affectation(s) de cours", "course assignment(s)";
    UiOrgDeleteKeeps => "Les comptes étudiants et leur progression sont conservés.", "Student accounts and their progress are kept.";
    UiCourseDelete => "Supprimer le cours « {} » avec ses {} leçon(s), ses ressources, ses affectations et la progression enregistrée ?",
                      "Delete the course \"{}\" with its {} lesson(s), its resources, its assignments and the recorded progress?";
    UiLessonDelete => "Supprimer la leçon « {} » et la progression enregistrée pour elle ?", "Delete the lesson \"{}\" and the progress recorded for it?";
    UiResourceDelete => "Supprimer la ressource « {} » ?", "Delete the resource \"{}\"?";
    UiUnassignText => "Retirer ce cours à « {} » ? La progression déjà enregistrée est conservée.", "Unassign this course from \"{}\"? Recorded progress is kept.";
    UiRemoveMember => "Retirer {} de la classe {} ? L'étudiant perd les cours de la classe, garde sa progression.",
                      "Remove {} from the class {}? The student loses the class's courses, keeps their progress.";
    UiStudentDisable => "Désactiver le compte de {} ? Il ne pourra plus se connecter.", "Disable {}'s account? They will no longer be able to log in.";
    UiStudentEnable => "Réactiver le compte de {} ?", "Enable {}'s account again?";
    UiStudentReset => "Générer un nouveau code d'activation pour {} ? L'ancien code ne fonctionnera plus.",
                      "Generate a new activation code for {}? The old code will stop working.";
    UiStudentDelete => "Supprimer {} ? Son compte et ses inscriptions (classes, cours) seront supprimés.",
                       "Delete {}? The account and its memberships (classes, courses) will be deleted.";
    UiStudentHasHistory => "{} a un historique (connexions, progression, messages). Désactiver le compte le conserve ; le supprimer efface tout.",
                           "{} has a history (logins, progress, messages). Disabling the account keeps it; deleting erases everything.";
    UiHistoryChoices => "d désactiver · s supprimer quand même · n annuler", "d disable · s delete anyway · n cancel";
    UiStudentDeleteForce => "Supprimer définitivement {} avec tout son historique ? C'est irréversible.",
                            "Permanently delete {} with their whole history? This cannot be undone.";
    UiCodeTitle => "Code d'activation", "Activation code";
    UiCodeBody => "Code d'activation de {} :\n\n    {}\n\nNotez-le et remettez-le à l'étudiant : il ne sera plus affiché. L'étudiant se connecte avec son courriel et ce code, puis choisit son mot de passe.",
                  "Activation code for {}:\n\n    {}\n\nWrite it down and hand it to the student: it will not be shown again. The student logs in with their e-mail and this code, then chooses a password.";
    UiCodeIssued => "Nouveau code d'activation émis.", "New activation code issued.";
    UiNewOrg => "Nouvel organisme", "New organisation";
    UiEditOrg => "Modifier l'organisme", "Edit organisation";
    UiNewClass => "Nouvelle classe", "New class";
    UiEditClass => "Modifier la classe", "Edit class";
    UiNewStudent => "Nouvel étudiant", "New student";
    UiEditStudent => "Modifier l'étudiant", "Edit student";
    UiNewCourse => "Nouveau cours", "New course";
    UiEditCourse => "Modifier le cours", "Edit course";
    UiNewLesson => "Nouvelle leçon", "New lesson";
    UiEditLesson => "Modifier la leçon", "Edit lesson";
    UiNewResource => "Nouvelle ressource (lien)", "New resource (link)";
    UiNeedOrgFirst => "Créez d'abord un organisme : une classe appartient à un organisme.", "Create an organisation first: a class belongs to an organisation.";
    UiFieldStartDate => "Début (AAAA-MM-JJ)", "Start (YYYY-MM-DD)";
    UiFieldEndDate => "Fin (AAAA-MM-JJ)", "End (YYYY-MM-DD)";
    UiDateHint => "AAAA-MM-JJ", "YYYY-MM-DD";
    UiLogo => "Logo", "Logo";
    UiLogoLabel => "Logo : ", "Logo: ";
    UiLogoOfLabel => "Logo {} : ", "Logo {}: ";
    UiLogoSet => "défini", "set";
    UiLogoAbsent => "absent", "none";
    UiMembers => "Membres", "Members";
    UiMembersOf => "Membres de {}", "Members of {}";
    UiAddTo => "Ajouter à {} · {} coché(s)", "Add to {} · {} ticked";
    UiCreated => "Créé le", "Created";
    UiLastLogin => "Dernière connexion", "Last login";
    UiLessons => "Leçons", "Lessons";
    UiResources => "Ressources", "Resources";
    UiAssignments => "Affectations", "Assignments";
    UiInfo => "Infos", "Info";
    UiDuration => "Durée", "Duration";
    UiAssignTitle => "Affecter « {} » · {} coché(s)", "Assign \"{}\" · {} ticked";
    UiParticipantsOf => "Participants · {} · tri : {}", "Participants · {} · sorted by {}";
    UiProgress => "Progr.", "Progr.";
    UiVia => "Via", "Via";
    UiLastActivity => "Dernière activité", "Last activity";
    UiSortName => "nom", "name";
    UiSortProgress => "progression", "progress";
    UiSortActivity => "activité", "activity";

    UiHintConfirm => "o oui · n ou Échap non", "y yes · n or Esc no";
    UiHintSearch => "Tapez pour filtrer · Entrée garder · Échap effacer", "Type to filter · Enter keep · Esc clear";
    UiHintForm => "Tab champ · Ctrl-S enregistrer · Échap annuler", "Tab field · Ctrl-S save · Esc cancel";
    UiHintOrgList => "Entrée détail · n nouveau · e modifier · d supprimer · / chercher · ? aide",
                     "Enter details · n new · e edit · d delete · / search · ? help";
    UiHintDetail => "↑↓ défiler · e modifier · Échap retour · ? aide", "↑↓ scroll · e edit · Esc back · ? help";
    UiHintClassList => "Entrée membres · n nouvelle · e modifier · d supprimer · / chercher",
                       "Enter members · n new · e edit · d delete · / search";
    UiHintMembers => "a ajouter · d retirer · / chercher · Échap retour", "a add · d remove · / search · Esc back";
    UiHintPicker => "Espace cocher · Entrée ajouter · / chercher · Échap annuler", "Space tick · Enter add · / search · Esc cancel";
    UiHintStudentList => "Entrée détail · n nouveau · e modifier · x désactiver · r code · d supprimer · / chercher",
                         "Enter details · n new · e edit · x disable · r code · d delete · / search";
    UiHintStudentDetail => "e modifier · x désactiver/réactiver · r nouveau code · d supprimer · Échap retour",
                           "e edit · x disable/enable · r new code · d delete · Esc back";
    UiHintCourseList => "Entrée ouvrir · n nouveau · e modifier · c dupliquer · p participants · z quiz · d supprimer · / chercher",
                        "Enter open · n new · e edit · c duplicate · p participants · z quizzes · d delete · / search";
    UiHintLessons => "Tab onglet · Entrée lire · n nouvelle · e modifier · K/J monter/descendre · d supprimer · p participants",
                     "Tab tab · Enter read · n new · e edit · K/J move up/down · d delete · p participants";
    UiHintResources => "Tab onglet · n nouvelle · d supprimer · p participants · Échap retour", "Tab tab · n new · d delete · p participants · Esc back";
    UiHintAssignments => "Tab onglet · a affecter · d retirer · p participants · Échap retour", "Tab tab · a assign · d unassign · p participants · Esc back";
    UiHintCourseInfo => "Tab onglet · e modifier · c dupliquer · p participants · Échap retour", "Tab tab · e edit · c duplicate · p participants · Esc back";
    UiHintLesson => "↑↓ défiler · e modifier · Échap retour", "↑↓ scroll · e edit · Esc back";
    UiHintAssign => "Tab dates/liste · Espace cocher · Entrée affecter · Échap annuler", "Tab dates/list · Space tick · Enter assign · Esc cancel";
    UiHintParticipants => "s trier · / filtrer · Échap retour", "s sort · / filter · Esc back";

    UiHelpForm => "Tab ou ↓ : champ suivant ; Maj-Tab ou ↑ : précédent.\n\
                   Ctrl-S enregistre ; Entrée sur le dernier champ aussi.\n\
                   Dans un champ de plusieurs lignes, Entrée va à la ligne.\n\
                   Un choix (‹ … ›) se change avec ←/→ ou Espace.\n\
                   Dates au format AAAA-MM-JJ. Échap annule (confirmation si modifié).\n\
                   En cas d'erreur, le message nomme le champ à corriger.",
                  "Tab or ↓: next field; Shift-Tab or ↑: previous.\n\
                   Ctrl-S saves; so does Enter on the last field.\n\
                   In a multi-line field, Enter starts a new line.\n\
                   A choice (‹ … ›) changes with ←/→ or Space.\n\
                   Dates as YYYY-MM-DD. Esc cancels (asks first when changed).\n\
                   On error, the message names the field to fix.";
    UiHelpCourseForm => "Objectifs : un par ligne (ou séparés par « ; »).\n\
                         Durée en heures (« 3,5 » accepté). Statut : ←/→ ou Espace\n\
                         pour passer de brouillon à publié.\n\
                         Tab champ suivant, Ctrl-S enregistre, Échap annule.",
                        "Objectives: one per line (or separated by \";\").\n\
                         Duration in hours (\"3.5\" accepted). Status: ←/→ or Space\n\
                         switches between draft and published.\n\
                         Tab next field, Ctrl-S saves, Esc cancels.";
    UiHelpLessonForm => "Le contenu est en Markdown : # titre, - liste, 1. liste numérotée,\n\
                         *italique*, **gras**, `code`, ``` bloc de code ```, [texte](https://…).\n\
                         Entrée va à la ligne ; Ctrl-S enregistre ; Échap annule.",
                        "The content is Markdown: # heading, - list, 1. numbered list,\n\
                         *italic*, **bold**, `code`, ``` code block ```, [text](https://…).\n\
                         Enter starts a new line; Ctrl-S saves; Esc cancels.";
    UiHelpOrgList => "↑↓ choisir, Entrée ouvre le détail.\n\
                      n crée un organisme, e le modifie, d le supprime (avec ses classes,\n\
                      leurs inscriptions et affectations : le nombre est annoncé avant).\n\
                      / puis du texte filtre la liste (sans tenir compte des accents ni des\n\
                      majuscules) ; Échap efface le filtre.",
                     "↑↓ select, Enter opens the details.\n\
                      n creates an organisation, e edits it, d deletes it (with its classes,\n\
                      their memberships and assignments: the counts are said first).\n\
                      / then text filters the list (ignoring accents and case);\n\
                      Esc clears the filter.";
    UiHelpDetail => "↑↓ ou PgPréc/PgSuiv font défiler. e modifie. Échap revient à la liste.",
                    "↑↓ or PgUp/PgDn scroll. e edits. Esc goes back to the list.";
    UiHelpClassList => "Une classe appartient à un organisme et a des dates facultatives.\n\
                        Entrée ouvre ses membres. n crée, e modifie, d supprime (ses\n\
                        inscriptions et affectations partent avec elle).\n\
                        / filtre la liste.",
                       "A class belongs to an organisation and has optional dates.\n\
                        Enter opens its members. n creates, e edits, d deletes (its\n\
                        memberships and assignments go with it).\n\
                        / filters the list.";
    UiHelpMembers => "Les membres de la classe et l'état de leur compte.\n\
                      a ajoute des étudiants (liste à cocher), d retire le membre choisi.",
                     "The class members and their account status.\n\
                      a adds students (a list to tick), d removes the selected member.";
    UiHelpPicker => "Espace coche ou décoche un étudiant ; Entrée ajoute les étudiants\n\
                     cochés (ou celui qui est sélectionné si aucun n'est coché).\n\
                     / puis du texte filtre la liste.",
                    "Space ticks or unticks a student; Enter adds the ticked students\n\
                     (or the selected one when none is ticked).\n\
                     / then text filters the list.";
    UiHelpStudentList => "n crée un étudiant : son code d'activation s'affiche une seule fois.\n\
                          e modifie, x désactive ou réactive, r génère un nouveau code.\n\
                          d supprime ; un étudiant avec un historique est plutôt désactivé,\n\
                          sauf si vous confirmez deux fois. / filtre la liste.",
                         "n creates a student: the activation code is shown once.\n\
                          e edits, x disables or enables, r generates a new code.\n\
                          d deletes; a student with a history is disabled instead,\n\
                          unless you confirm twice. / filters the list.";
    UiHelpCourseList => "Entrée ouvre le cours (leçons, ressources, affectations).\n\
                         n crée, e modifie, c duplique (brouillon « (copie) », sans les\n\
                         affectations), p montre les participants, z ses quiz, d supprime.",
                        "Enter opens the course (lessons, resources, assignments).\n\
                         n creates, e edits, c duplicates (a \"(copie)\" draft, without the\n\
                         assignments), p shows the participants, z its quizzes, d deletes.";
    UiHelpCourse => "Tab ou 1-4 change d'onglet : Leçons, Ressources, Affectations, Infos.\n\
                     Leçons : Entrée lit, n ajoute, e modifie, K/+ monte, J/- descend, d supprime.\n\
                     Ressources : n ajoute un lien (titre + URL), d supprime.\n\
                     Affectations : a affecte à des classes ou des étudiants, d retire.\n\
                     Infos : e modifie le cours. Partout : c duplique, p participants, z quiz du cours.",
                    "Tab or 1-4 switches tabs: Lessons, Resources, Assignments, Info.\n\
                     Lessons: Enter reads, n adds, e edits, K/+ moves up, J/- down, d deletes.\n\
                     Resources: n adds a link (title + URL), d deletes.\n\
                     Assignments: a assigns to classes or students, d unassigns.\n\
                     Info: e edits the course. Anywhere: c duplicates, p participants, z the course's quizzes.";
    UiHelpLesson => "La leçon telle que l'étudiant la lit, ses fichiers et liens en bas\n\
                     (lien cliquable dans les terminaux récents). ↑↓ défilent, e modifie.",
                    "The lesson as the student reads it, its files and links at the bottom\n\
                     (the link is clickable in recent terminals). ↑↓ scroll, e edits.";
    UiHelpAssign => "Dates facultatives (AAAA-MM-JJ) : Tab va aux champs Début et Fin.\n\
                     Avant le jour de début, l'étudiant voit le cours « à partir du … »\n\
                     sans pouvoir l'ouvrir ; après le jour de fin, il peut le relire\n\
                     mais plus marquer de leçon faite ni commencer ses quiz.\n\
                     Dans la liste, Espace coche des classes et des étudiants ;\n\
                     Entrée affecte le cours aux éléments cochés (ou à celui sélectionné).",
                    "Optional dates (YYYY-MM-DD): Tab goes to the Start and End fields.\n\
                     Before the start day, students see the course \"from …\"\n\
                     but cannot open it; after the end day they can still read it\n\
                     but no longer mark lessons done or start its quizzes.\n\
                     In the list, Space ticks classes and students;\n\
                     Enter assigns the course to the ticked items (or the selected one).";
    UiHelpParticipants => "Tous les étudiants inscrits, par une classe ou individuellement.\n\
                           s change le tri : nom, progression, dernière activité.\n\
                           / puis du texte filtre (nom, courriel, classe).",
                          "Every enrolled student, through a class or individually.\n\
                           s changes the order: name, progress, last activity.\n\
                           / then text filters (name, e-mail, class).";
    // Student space and progress screens (TUI, issue 5).
    SpProbLocked => "verrouillé par votre formateur", "locked by your trainer";
    SpLoading => "Chargement…", "Loading…";
    SpMyCoursesEmpty => "Aucun cours ne vous est encore affecté. Votre formateur vous préviendra dès qu'un cours sera disponible.",
                        "No course is assigned to you yet. Your trainer will tell you as soon as one is available.";
    SpDates => "Dates", "Dates";
    SpFromTo => "du {} au {}", "from {} to {}";
    SpFrom => "à partir du {}", "from {}";
    SpUntil => "jusqu'au {}", "until {}";
    SpNoDates => "sans dates", "no dates";
    SpLessonsDone => "{} / {} leçons terminées", "{} / {} lessons done";
    SpHintMyCourses => "↑↓ choisir · Entrée ou c continuer · Échap retour · ? aide",
                       "↑↓ select · Enter or c continue · Esc back · ? help";
    SpHelpMyCourses => "Vos cours, avec votre progression et leurs dates.\n\
                        Entrée ou c ouvre le cours à la première leçon non terminée.\n\
                        Un cours « à partir du … » s'ouvrira ce jour-là.",
                       "Your courses, with your progress and their dates.\n\
                        Enter or c opens the course at the first lesson not done yet.\n\
                        A course shown \"from …\" opens on that day.";
    SpOverview => "Présentation", "Overview";
    SpNoLessons => "Ce cours n'a pas encore de leçon.", "This course has no lesson yet.";
    SpNoResources => "Aucune ressource pour ce cours.", "No resource for this course.";
    SpDone => "terminée", "done";
    SpToDo => "à faire", "to do";
    SpLessonOf => "Leçon {} / {}", "Lesson {} of {}";
    SpLessonDoneFlash => "Leçon terminée — progression du cours : {} %.", "Lesson done — course progress: {}%.";
    SpLessonUndoneFlash => "Leçon marquée non terminée — progression du cours : {} %.",
                           "Lesson marked not done — course progress: {}%.";
    SpHintMyCourse => "↑↓ choisir · Entrée ouvrir · d terminée · n/p leçon suivante/précédente · z quiz · Échap retour",
                      "↑↓ select · Enter open · d done · n/p next/previous lesson · z quizzes · Esc back";
    SpHintMyLesson => "↑↓ défiler · d ou Espace terminée · n/p suivante/précédente · Échap liste",
                      "↑↓ scroll · d or Space done · n/p next/previous · Esc list";
    SpHintMyResources => "↑↓ choisir · Entrée ou Q QR code · Échap liste", "↑↓ select · Enter or Q QR code · Esc list";
    SpHintMyOverview => "↑↓ défiler · n première leçon · Échap liste", "↑↓ scroll · n first lesson · Esc list";
    SpHelpMyCourse => "À gauche (ou en haut sur un petit écran) : présentation, leçons, ressources.\n\
                       Entrée ouvre l'élément choisi ; Échap revient à la liste.\n\
                       d ou Espace marque la leçon terminée (ou non terminée).\n\
                       n et p passent à la leçon suivante ou précédente.\n\
                       Les fichiers d'une leçon sont en bas de la leçon ; tous sont dans Ressources.\n\
                       Ressources : le lien est cliquable dans les terminaux récents ;\n\
                       Entrée ou Q affiche un QR code à scanner avec un téléphone.\n\
                       z montre les quiz de ce cours.\n\
                       Après la date de fin, le cours reste lisible mais plus rien ne se coche.",
                      "On the left (or on top on a small screen): overview, lessons, resources.\n\
                       Enter opens the chosen item; Esc goes back to the list.\n\
                       d or Space marks the lesson done (or not done).\n\
                       n and p go to the next or previous lesson.\n\
                       A lesson's files are at the bottom of the lesson; all are in Resources.\n\
                       Resources: the link is clickable in recent terminals;\n\
                       Enter or Q shows a QR code to scan with a phone.\n\
                       z shows this course's quizzes.\n\
                       After the end date the course stays readable but nothing can be ticked.";
    SpQrTitle => "QR code", "QR code";
    SpQrTooSmall => "Écran trop petit pour le QR code : voici le lien complet.",
                    "Screen too small for the QR code: here is the full link.";
    SpQrClose => "Échap ou Entrée pour fermer", "Esc or Enter to close";
    SpLinkRefused => "lien non affiché (adresse non web ou caractères interdits)", "link not shown (not a web address or forbidden characters)";
    SpProfileTitle => "Mes informations", "My details";
    SpProfileAction => "Modifier…", "Edit…";
    SpLocked => "verrouillé", "locked";
    SpPhoto => "Photo", "Photo";
    SpPhotoSet => "définie", "set";
    SpPhotoAbsent => "absente", "not set";
    SpPhotoLater => "Le lien pour envoyer votre photo arrivera avec l'espace fichiers (HTTPS).",
                    "The link to upload your photo arrives with the files space (HTTPS).";
    SpPhotoLink => "Envoyez votre photo depuis un navigateur : {}", "Upload your photo from a browser: {}";
    SpHelpAccount => "Entrée sur « Mes informations » pour modifier prénom, nom et téléphone\n\
                      (les champs verrouillés par votre formateur restent en lecture seule).\n\
                      « Mot de passe » le change (l'actuel est demandé), « Langue » passe\n\
                      du français à l'anglais.",
                     "Enter on \"My details\" to edit first name, last name and phone\n\
                      (fields your trainer locked stay read-only).\n\
                      \"Password\" changes it (the current one is asked), \"Language\" switches\n\
                      between French and English.";
    SpHelpProfile => "Tab passe au champ suivant, Ctrl-S enregistre, Échap annule.\n\
                      Les champs marqués « verrouillé » sont fixés par votre formateur.",
                     "Tab goes to the next field, Ctrl-S saves, Esc cancels.\n\
                      Fields marked \"locked\" are set by your trainer.";
    SpClassProgressOf => "Progression — {}", "Progress — {}";
    SpCoursePage => "cours {}–{} sur {}", "courses {}–{} of {}";
    SpNoProgress => "Aucun cours affecté aux étudiants de cette classe.", "No course is assigned to this class's students.";
    SpHintClassProgress => "↑↓ choisir · ←→ page de cours · Entrée détail · Échap retour",
                           "↑↓ select · ←→ page of courses · Enter detail · Esc back";
    SpHelpClassProgress => "Une ligne par étudiant, une colonne par cours : le pourcentage de\n\
                            leçons terminées (· : cours non affecté à cet étudiant).\n\
                            ←→ (ou h/l) passent d'une page de cours à l'autre sur un écran étroit.\n\
                            Entrée ouvre la progression détaillée de l'étudiant choisi.\n\
                            La vue se met à jour quand un étudiant termine une leçon.",
                           "One row per student, one column per course: the percentage of\n\
                            lessons done (·: course not assigned to this student).\n\
                            ←→ (or h/l) page through the courses on a narrow screen.\n\
                            Enter opens the chosen student's detailed progress.\n\
                            The view updates when a student completes a lesson.";
    SpStudentProgressOf => "Progression de {}", "Progress of {}";
    SpRecentActivity => "Activité récente", "Recent activity";
    SpNoCourses => "Aucun cours affecté.", "No course assigned.";
    SpNoActivity => "Aucune activité enregistrée.", "No activity recorded.";
    SpHintStudentProgress => "↑↓ défiler · Échap retour", "↑↓ scroll · Esc back";
    SpHelpStudentProgress => "Les cours de l'étudiant avec sa progression et sa dernière activité,\n\
                              puis son activité récente (connexions, leçons ouvertes et terminées) :\n\
                              la preuve de présence d'une formation à distance.",
                             "The student's courses with their progress and last activity,\n\
                              then their recent activity (logins, lessons opened and completed):\n\
                              the proof of attendance of distance learning.";
    SpHintMembers => "a ajouter · d retirer · p progression · / chercher · Échap retour",
                     "a add · d remove · p progress · / search · Esc back";
    SpHintStudentDetail => "p progression · e modifier · x désactiver/réactiver · r nouveau code · d supprimer · Échap retour",
                           "p progress · e edit · x disable/enable · r new code · d delete · Esc back";
    SpHelpMembers => "Les membres de la classe et l'état de leur compte.\n\
                      a ajoute des étudiants (liste à cocher), d retire le membre choisi,\n\
                      p montre la progression de la classe (étudiants × cours).",
                     "The class members and their account status.\n\
                      a adds students (a list to tick), d removes the selected member,\n\
                      p shows the class's progress (students × courses).";
    SpHelpStudentDetail => "p montre ses cours, sa progression et son activité récente.\n\
                            e modifie, x désactive ou réactive, r génère un nouveau code,\n\
                            d supprime (un étudiant avec un historique est plutôt désactivé).",
                           "p shows their courses, progress and recent activity.\n\
                            e edits, x disables or enables, r generates a new code,\n\
                            d deletes (a student with a history is disabled instead).";
    // Import screen (TUI) and the end of a session whose account was disabled.
    MenuImport => "Importer", "Import";
    ImtTitle => "Importer", "Import";
    ImtWhat => "À importer", "To import";
    ImtDefaultOrg => "Organisme par défaut", "Default organisation";
    ImtDefaultClass => "Classe par défaut", "Default class";
    ImtTextInfo => "CSV : {} ligne(s) · {}", "CSV: {} line(s) · {}";
    ImtBytes => "{} o", "{} B";
    ImtKib => "{} Kio", "{} KiB";
    ImtMib => "{} Mio", "{} MiB";
    ImtPlaceholder => "Collez ici le fichier CSV (ou tapez-le). La première ligne nomme les colonnes : email, prénom, nom, téléphone, organisme, classe… Un JSON [{\"email\": …}, …] est reconnu aussi.",
                      "Paste the CSV file here (or type it). The first line names the columns: email, first_name, last_name, phone, organisation, class… A JSON [{\"email\": …}, …] is recognised too.";
    ImtTooLarge => "Collage refusé : le fichier dépasserait 20 Mio.", "Paste refused: the file would exceed 20 MiB.";
    ImtNothing => "Collez d'abord le fichier CSV (ou JSON).", "Paste the CSV (or JSON) file first.";
    ImtTextInfoJson => "JSON : {} ligne(s) · {}", "JSON: {} line(s) · {}";
    ImtChecking => "Analyse du fichier…", "Checking the file…";
    ImtImporting => "Import en cours…", "Importing…";
    ImtPreviewTitle => "Aperçu de l'import", "Import preview";
    ImtPreviewNote => "Aperçu — rien n'a encore été écrit.", "Preview — nothing has been written yet.";
    ImtConfirm => "Importer pour de bon ? o oui · n revenir au fichier", "Import for real? y yes · n back to the file";
    ImtErrorsTitle => "Import refusé", "Import refused";
    ImtDoneTitle => "Import terminé", "Import done";
    ImtCodesOnce => "Codes d'activation des nouveaux étudiants (affichés une seule fois) :",
                    "Activation codes of the new students (shown only once):";
    ImtCodesCsv => "En CSV pour un publipostage : ssh … import students --codes-csv < fichier.csv",
                   "As CSV for a mail merge: ssh … import students --codes-csv < file.csv";
    ImtDoneNote => "Import terminé.", "Import done.";
    ImtNoCodes => "Aucun nouvel étudiant : pas de code à remettre.", "No new student: no code to hand out.";
    ImtAbandon => "Abandonner cet import ? (o/n)", "Abandon this import? (y/n)";
    ImtHintOptions => "↑↓ choisir · ←→ changer · Tab fichier · Ctrl-S aperçu · Échap retour",
                      "↑↓ select · ←→ change · Tab file · Ctrl-S preview · Esc back";
    ImtHintText => "Collez ou tapez · Ctrl-S aperçu · Tab options · Ctrl-U vider · Échap retour",
                   "Paste or type · Ctrl-S preview · Tab options · Ctrl-U clear · Esc back";
    ImtHintPreview => "o importer · n revenir au fichier · ↑↓ défiler", "y import · n back to the file · ↑↓ scroll";
    ImtHintErrors => "↑↓ défiler · Entrée ou Échap corriger le fichier", "↑↓ scroll · Enter or Esc fix the file";
    ImtHintDone => "↑↓ défiler · Entrée ou Échap terminer", "↑↓ scroll · Enter or Esc finish";
    ImtHintBusy => "Patientez…", "Please wait…";
    ImtHelp => "Importez des étudiants, des organismes ou des classes depuis un tableur.\n\
                1. Choisissez quoi importer (←→) et, pour des étudiants, un organisme et une classe par défaut pour les lignes qui n'en nomment pas.\n\
                2. Collez le fichier CSV (en-tête obligatoire ; séparateur , ; ou tabulation ; colonnes en français ou en anglais) ou tapez-le. 20 Mio au plus.\n\
                3. Ctrl-S (ou F5) affiche l'aperçu : créés (+), mis à jour (~), inchangés (=), ou chaque erreur avec sa ligne et sa colonne. Rien n'est écrit.\n\
                4. o importe pour de bon (tout ou rien). Les codes d'activation des nouveaux étudiants s'affichent une seule fois ; en CSV : ssh … import students --codes-csv < fichier.csv",
               "Import students, organisations or classes from a spreadsheet.\n\
                1. Choose what to import (←→) and, for students, a default organisation and class for the rows that name none.\n\
                2. Paste the CSV file (header required; delimiter , ; or tab; column names in French or English) or type it. 20 MiB at most.\n\
                3. Ctrl-S (or F5) shows the preview: created (+), updated (~), unchanged (=), or every error with its line and column. Nothing is written.\n\
                4. y imports for real (all or nothing). The new students' activation codes are shown only once; as CSV: ssh … import students --codes-csv < file.csv";
    ImtHintStudentList => "Entrée détail · n nouveau · i importer · e modifier · x désactiver · r code · d supprimer · / chercher",
                          "Enter details · n new · i import · e edit · x disable · r code · d delete · / search";
    ImtHelpStudentList => "n crée un étudiant : son code d'activation s'affiche une seule fois.\n\
                           i importe une liste d'étudiants (CSV collé, avec aperçu).\n\
                           e modifie, x désactive ou réactive, r génère un nouveau code.\n\
                           d supprime ; un étudiant avec un historique est plutôt désactivé,\n\
                           sauf si vous confirmez deux fois. / filtre la liste.",
                          "n creates a student: the activation code is shown once.\n\
                           i imports a list of students (pasted CSV, with a preview).\n\
                           e edits, x disables or enables, r generates a new code.\n\
                           d deletes; a student with a history is disabled instead,\n\
                           unless you confirm twice. / filters the list.";
    HelpScrollHint => "↑↓ défiler · Échap fermer", "↑↓ scroll · Esc close";
    UiHelpList => "Dans toute liste : ↑↓ ou j/k choisir, PgPréc/PgSuiv une page, Début/Fin\n\
                   (g/G) le premier ou le dernier ; / puis du texte filtre (sans accents ni\n\
                   majuscules), Échap efface le filtre ; o trie par la colonne suivante\n\
                   (nombres par valeur, textes par ordre alphabétique), jusqu'à revenir à\n\
                   l'ordre d'origine. Les colonnes qui n'ont pas la place sont masquées.",
                  "In every list: ↑↓ or j/k select, PgUp/PgDn a page, Home/End (g/G) the\n\
                   first or the last; / then text filters (accents and case ignored), Esc\n\
                   clears the filter; o sorts by the next column (numbers by value, text\n\
                   alphabetically), until back to the original order. Columns without room\n\
                   are hidden.";
    AccountDisabledNotice => "Votre compte a été désactivé.", "Your account has been disabled.";
    // Files in the TUI: signed links to course files, one-time upload links with QR
    // codes, photo and logo previews.
    FlFile => "fichier", "file";
    FlPhotoRow => "{} · QR code", "{} · QR code";
    FlPhotoSend => "Envoyer une photo (navigateur, téléphone) — Q : QR code :",
                   "Upload a photo (browser, phone) — Q: QR code:";
    FlPhotoNoLink => "Lien d'envoi indisponible pour le moment ; ou par le terminal : ssh … avatar set < photo.jpg",
                     "Upload link unavailable for now; or from a terminal: ssh … avatar set < photo.jpg";
    FlHintAccount => "↑↓ choisir · Entrée modifier · Q QR code photo · Échap retour · ? aide",
                     "↑↓ select · Enter change · Q photo QR code · Esc back · ? help";
    FlHelpAccount => "Entrée sur « Mot de passe » pour le changer, sur « Langue » pour\n\
                      passer du français à l'anglais.\n\
                      Photo : le lien d'envoi (à usage unique, 30 minutes) est cliquable dans les\n\
                      terminaux récents ; Q (ou Entrée sur « Photo ») affiche son QR code pour\n\
                      un téléphone. Par le terminal : ssh … avatar set < photo.jpg\n\
                      L'aperçu de la photo se met à jour dès qu'elle est envoyée.",
                     "Enter on \"Password\" to change it, on \"Language\" to switch\n\
                      between French and English.\n\
                      Photo: the upload link (single use, 30 minutes) is clickable in recent\n\
                      terminals; Q (or Enter on \"Photo\") shows its QR code for a phone.\n\
                      From a terminal: ssh … avatar set < photo.jpg\n\
                      The photo preview updates as soon as it is uploaded.";
    FlHelpAccountStudent => "Entrée sur « Mes informations » pour modifier prénom, nom et téléphone\n\
                             (les champs verrouillés par votre formateur restent en lecture seule).\n\
                             « Mot de passe » le change (l'actuel est demandé), « Langue » passe\n\
                             du français à l'anglais.\n\
                             Photo : le lien d'envoi (à usage unique, 30 minutes) est cliquable dans\n\
                             les terminaux récents ; Q (ou Entrée sur « Photo ») affiche son QR code\n\
                             pour un téléphone. Par le terminal : ssh … avatar set < photo.jpg",
                            "Enter on \"My details\" to edit first name, last name and phone\n\
                             (fields your trainer locked stay read-only).\n\
                             \"Password\" changes it (the current one is asked), \"Language\" switches\n\
                             between French and English.\n\
                             Photo: the upload link (single use, 30 minutes) is clickable in recent\n\
                             terminals; Q (or Enter on \"Photo\") shows its QR code for a phone.\n\
                             From a terminal: ssh … avatar set < photo.jpg";
    FlHintOrgDetail => "↑↓ défiler · e modifier · u lien d'envoi du logo · Échap retour · ? aide",
                       "↑↓ scroll · e edit · u logo upload link · Esc back · ? help";
    FlHelpOrgDetail => "↑↓ ou PgPréc/PgSuiv font défiler. e modifie. Échap revient à la liste.\n\
                        u crée un lien d'envoi du logo (à usage unique) : lien cliquable et QR code.\n\
                        Par le terminal : ssh … org logo ORGANISME < logo.png",
                       "↑↓ or PgUp/PgDn scroll. e edits. Esc goes back to the list.\n\
                        u makes a logo upload link (single use): clickable link and QR code.\n\
                        From a terminal: ssh … org logo ORGANISATION < logo.png";
    FlHintResources => "Tab onglet · n lien · u envoyer un fichier · d supprimer · p participants · Échap retour",
                       "Tab tab · n link · u upload a file · d delete · p participants · Esc back";
    FlHelpCourse => "Tab ou 1-4 change d'onglet : Leçons, Ressources, Affectations, Infos.\n\
                     Leçons : Entrée lit, n ajoute, e modifie, K/+ monte, J/- descend, d supprime.\n\
                     Ressources : n ajoute un lien (titre + URL), u crée un lien d'envoi de\n\
                     fichier (titre, leçon facultative ; lien cliquable et QR code), d supprime.\n\
                     Par le terminal : ssh … resource upload COURS --title T < fichier.pdf\n\
                     Affectations : a affecte à des classes ou des étudiants, d retire.\n\
                     Infos : e modifie le cours. Partout : c duplique, p participants, z quiz du cours.",
                    "Tab or 1-4 switches tabs: Lessons, Resources, Assignments, Info.\n\
                     Lessons: Enter reads, n adds, e edits, K/+ moves up, J/- down, d deletes.\n\
                     Resources: n adds a link (title + URL), u makes a file upload link\n\
                     (title, optional lesson; clickable link and QR code), d deletes.\n\
                     From a terminal: ssh … resource upload COURSE --title T < file.pdf\n\
                     Assignments: a assigns to classes or students, d unassigns.\n\
                     Info: e edits the course. Anywhere: c duplicates, p participants, z the course's quizzes.";
    FlUploadForm => "Envoyer un fichier", "Upload a file";
    FlFieldLesson => "Leçon (facultatif)", "Lesson (optional)";
    FlWholeCourse => "Tout le cours", "Whole course";
    FlHelpUploadForm => "Le titre que verront les étudiants ; la leçon si le fichier lui est propre\n\
                         (←→ pour choisir). Ctrl-S crée un lien d'envoi à usage unique (30 minutes),\n\
                         à ouvrir dans un navigateur ou à scanner (QR code).\n\
                         Par le terminal : ssh … resource upload COURS --title T < fichier.pdf",
                        "The title students will see; the lesson if the file belongs to one\n\
                         (←→ to choose). Ctrl-S makes a single-use upload link (30 minutes),\n\
                         to open in a browser or to scan (QR code).\n\
                         From a terminal: ssh … resource upload COURSE --title T < file.pdf";
    FlLinkResourceTitle => "Lien d'envoi : {}", "Upload link: {}";
    FlLinkLogoTitle => "Lien d'envoi du logo : {}", "Logo upload link: {}";
    FlLinkIntro => "Ouvrez ce lien dans un navigateur, ou scannez son QR code (Q) avec un téléphone. Il ne sert qu'une fois et expire dans 30 minutes.",
                   "Open this link in a browser, or scan its QR code (Q) with a phone. It works once and expires in 30 minutes.";
    FlLinkExecResource => "Par le terminal : ssh … resource upload COURS --title T < fichier",
                          "From a terminal: ssh … resource upload COURSE --title T < file";
    FlLinkExecLogo => "Par le terminal : ssh … org logo ORGANISME < logo.png",
                      "From a terminal: ssh … org logo ORGANISATION < logo.png";
    FlHintLink => "Q ou Entrée QR code · Échap retour · ? aide", "Q or Enter QR code · Esc back · ? help";
    FlHelpLink => "Le lien est cliquable dans les terminaux récents (ou copiez-le).\n\
                   Q ou Entrée affiche son QR code ; Échap le ferme puis revient.\n\
                   Une fois le fichier envoyé, le lien ne sert plus : demandez-en un autre.",
                  "The link is clickable in recent terminals (or copy it).\n\
                   Q or Enter shows its QR code; Esc closes it, then goes back.\n\
                   Once the file is uploaded the link is spent: ask for another one.";
    // Messaging screens (issue 7).
    MsgBadge => "✉ {}", "✉ {}";
    MsgAnnouncementTag => "Annonce", "Announcement";
    MsgColThread => "Conversation", "Conversation";
    MsgColUnread => "Non lus", "Unread";
    MsgColDate => "Dernier message", "Last message";
    MsgColExcerpt => "Extrait", "Excerpt";
    MsgYou => "Vous", "You";
    MsgHintList => "Entrée ouvrir · n à un étudiant · c à une classe · / rechercher · Échap retour",
                   "Enter open · n to a student · c to a class · / search · Esc back";
    MsgHintListStudent => "↑↓ choisir · Entrée ouvrir · n écrire au formateur · / rechercher · Échap retour",
                          "↑↓ select · Enter open · n write to the trainer · / search · Esc back";
    MsgHelpList => "Vos conversations, la plus récente en premier, avec le nombre de messages non lus.\n\
                    Entrée ouvre une conversation (elle est alors lue).\n\
                    n écrit à un étudiant (choisi dans la liste), c écrit une annonce à une classe\n\
                    (chaque membre la reçoit ; leurs réponses vous arrivent en privé).\n\
                    / recherche dans tous vos messages.\n\
                    Les nouveaux messages arrivent d'eux-mêmes ; ✉ en haut compte les non lus.\n\
                    Par le terminal : ssh … message send --to COURRIEL < texte.txt",
                   "Your conversations, most recent first, with their unread counts.\n\
                    Enter opens a conversation (it is then read).\n\
                    n writes to a student (picked from the list), c writes an announcement to a\n\
                    class (every member gets it; their replies come to you privately).\n\
                    / searches all your messages.\n\
                    New messages arrive by themselves; ✉ at the top counts the unread ones.\n\
                    From a terminal: ssh … message send --to EMAIL < text.txt";
    MsgHelpListStudent => "Vos conversations avec le formateur et les annonces de vos classes, la plus\n\
                           récente en premier. Entrée en ouvre une ; n écrit au formateur.\n\
                           Répondre à une annonce écrit au formateur, en privé.\n\
                           / recherche dans vos messages. Les nouveaux arrivent d'eux-mêmes.\n\
                           Par le terminal : ssh … message send --to trainer < texte.txt",
                          "Your conversation with the trainer and your classes' announcements, most\n\
                           recent first. Enter opens one; n writes to the trainer.\n\
                           Replying to an announcement writes to the trainer, privately.\n\
                           / searches your messages. New ones arrive by themselves.\n\
                           From a terminal: ssh … message send --to trainer < text.txt";
    MsgHintThread => "↑↓ PgPréc défiler · r écrire · Échap retour · ? aide",
                     "↑↓ PgUp scroll · r write · Esc back · ? help";
    MsgHintCompose => "Ctrl-S/Alt-Entrée envoyer · Entrée à la ligne · Échap quitter (brouillon gardé)",
                      "Ctrl-S/Alt-Enter send · Enter new line · Esc leave (draft kept)";
    MsgHelpThread => "Les messages, le plus récent en bas. ↑↓ et PgPréc/PgSuiv font défiler ;\n\
                      PgPréc en haut charge les messages plus anciens.\n\
                      r (ou Entrée) ouvre l'éditeur : Entrée va à la ligne, le collage est accepté,\n\
                      Ctrl-S ou Alt-Entrée envoie, Échap referme en gardant le brouillon\n\
                      (il est aussi gardé si la connexion coupe, et retrouvé à la prochaine connexion).\n\
                      Les réponses d'un étudiant à une annonce vont au formateur, en privé.",
                     "Messages, the most recent at the bottom. ↑↓ and PgUp/PgDn scroll;\n\
                      PgUp at the top loads older messages.\n\
                      r (or Enter) opens the editor: Enter starts a new line, pasting works,\n\
                      Ctrl-S or Alt-Enter sends, Esc closes it and keeps the draft\n\
                      (also kept if the connection drops, and restored at the next login).\n\
                      A student's replies to an announcement go to the trainer, privately.";
    MsgComposeTitle => "Votre message", "Your message";
    MsgComposePrivate => "Réponse privée au formateur", "Private reply to the trainer";
    MsgComposeClass => "Annonce à toute la classe", "Announcement to the whole class";
    MsgPrivateNote => "Vos réponses à cette annonce vont au formateur, en privé.",
                      "Your replies to this announcement go to the trainer, privately.";
    MsgClassNote => "Annonce : chaque membre de la classe la reçoit.",
                    "Announcement: every member of the class receives it.";
    MsgOlder => "↑ PgPréc : messages plus anciens", "↑ PgUp: older messages";
    MsgThreadEmpty => "Aucun message. r pour écrire.", "No message yet. r to write.";
    MsgSending => "Envoi…", "Sending…";
    MsgDraftRestored => "Brouillon retrouvé.", "Draft restored.";
    MsgPickStudent => "Écrire à un étudiant", "Write to a student";
    MsgPickClass => "Écrire à une classe", "Write to a class";
    MsgHintPick => "↑↓ choisir · / filtrer · Entrée écrire · Échap retour",
                   "↑↓ select · / filter · Enter write · Esc back";
    MsgHelpPick => "Choisissez le destinataire (/ filtre la liste), puis Entrée ouvre la conversation\n\
                    et son éditeur.",
                   "Pick the recipient (/ filters the list), then Enter opens the conversation and\n\
                    its editor.";
    MsgSearchTitle => "Rechercher dans les messages", "Search messages";
    MsgHintSearch => "Entrée rechercher · ↓ résultats · Échap retour",
                     "Enter search · ↓ results · Esc back";
    MsgHintSearchResults => "↑↓ choisir · Entrée ouvrir · / nouvelle recherche · Échap retour",
                            "↑↓ select · Enter open · / new search · Esc back";
    MsgSearchNone => "Aucun message ne contient « {} ».", "No message contains \"{}\".";
    MsgHelpSearch => "Tapez un mot puis Entrée : les messages qui le contiennent, le plus récent en\n\
                      premier (majuscules indifférentes). Entrée sur un résultat ouvre sa conversation.",
                     "Type a word then Enter: the messages containing it, most recent first (case\n\
                      does not matter). Enter on a result opens its conversation.";

    // Quizzes and exams (issue 8).
    EntQuiz => "Quiz", "Quiz";
    EntQuestion => "Question", "Question";
    QzFieldText => "Énoncé", "Question text";
    QzFieldPoints => "Points", "Points";
    QzFieldFeedback => "Commentaire", "Feedback";
    QzFieldChoices => "Choix", "Choices";
    QzFieldCredit => "Pourcentage du choix", "Choice percentage";
    QzFieldAnswer => "Réponse", "Answer";
    QzFieldAccepted => "Réponses acceptées", "Accepted answers";
    QzFieldPass => "Seuil de réussite (%)", "Pass mark (%)";
    QzFieldAttempts => "Tentatives autorisées", "Attempts allowed";
    QzFieldTimeLimit => "Durée limite (minutes)", "Time limit (minutes)";
    QzFieldOpens => "Ouverture", "Opens";
    QzFieldCloses => "Fermeture", "Closes";
    QzFieldKind => "Type de quiz", "Quiz kind";
    QzFieldFormat => "Format", "Format";
    QzProbPoints => "un nombre de points positif, au plus 1000", "a positive number of points, at most 1000";
    QzProbCredit => "un pourcentage entre -100 et 100", "a percentage between -100 and 100";
    QzProbPercent => "un pourcentage entre 0 et 100", "a percentage between 0 and 100";
    QzProbAttempts => "entre 1 et 100 tentatives", "between 1 and 100 attempts";
    QzProbTimeLimit => "entre 1 et 1440 minutes", "between 1 and 1440 minutes";
    QzProbClosesBeforeOpens => "la fermeture doit suivre l'ouverture", "closing must come after opening";
    QzProbTooFewChoices => "au moins deux choix sont nécessaires", "at least two choices are needed";
    QzProbNoRightChoice => "un choix unique demande une bonne réponse à 100 %", "a single choice needs a right answer at 100 %";
    QzProbCreditsSum => "les pourcentages positifs d'un choix multiple doivent totaliser 100 %", "the positive percentages of a multiple choice must add up to 100 %";
    QzProbNoAccepted => "au moins une réponse acceptée est nécessaire", "at least one accepted answer is needed";
    QzProbTrueFalse => "indiquez si la bonne réponse est Vrai ou Faux", "say whether the right answer is True or False";
    QzProbNotForKind => "sans objet pour ce type de question", "not applicable to this kind of question";
    QzProbNoQuestions => "le quiz ne contient aucune question", "the quiz has no question";
    QzProbTooManyQuestions => "trop de questions (300 au plus)", "too many questions (300 at most)";
    QzProbLessonNotInCourse => "cette leçon n'appartient pas au cours du quiz", "this lesson does not belong to the quiz's course";
    QzProbKind => "« positionnement », « contrôle » ou « final »", "\"positioning\", \"check\" or \"final\"";
    QzJsonSyntax => "JSON mal formé", "malformed JSON";
    QzJsonType => "valeur du mauvais type", "value of the wrong type";
    QzJsonMissing => "champ obligatoire absent", "required field missing";
    QzJsonVariant => "valeur non reconnue", "value not recognised";
    QzWarnNoPenalty => "choix multiple sans pourcentage négatif : tout cocher rapporte des points", "multiple choice without a negative percentage: ticking everything earns points";
    GiftUnclosedBrace => "accolade « { » jamais refermée par « } »", "brace \"{\" never closed by \"}\"";
    GiftUnclosedTitle => "titre « ::… » non refermé par « :: »", "title \"::…\" not closed by \"::\"";
    GiftUnknownWeight => "pondération invalide (attendu par exemple ~%50% ou ~%-100%, entre -100 et 100)", "invalid weight (expected e.g. ~%50% or ~%-100%, between -100 and 100)";
    GiftEmptyAnswers => "aucune réponse entre les accolades", "no answer between the braces";
    GiftUnsupported => "type de question GIFT non pris en charge (numérique, appariement)", "GIFT question type not supported (numerical, matching)";
    GiftNoAnswerBlock => "question sans réponses { … }", "question without answers { … }";
    GiftTwoBlocks => "une seule zone de réponses { … } par question", "only one answer block { … } per question";
    GiftBadChoice => "réponse non reconnue : chaque choix commence par = ou ~, ou bien T / F", "answer not recognised: each choice starts with = or ~, or else T / F";
    GiftWarnHtml => "texte au format HTML : les balises sont gardées telles quelles", "HTML text: tags are kept as they are";
    GiftWarnPartialShort => "réponse courte à crédit partiel ignorée (seules les réponses à 100 % sont acceptées)", "partial-credit short answer ignored (only 100 % answers are accepted)";
    QzErrTooLarge => "Fichier de quiz trop volumineux (1 Mo au plus).", "Quiz file too large (1 MB at most).";
    QzErrClosed => "Ce quiz est fermé.", "This quiz is closed.";
    QzErrNotOpen => "Ce quiz n'est pas encore ouvert.", "This quiz is not open yet.";
    QzErrTimeUp => "Le temps est écoulé : cette réponse n'a pas été enregistrée.", "Time is up: this answer was not saved.";
    QzErrNoAttemptsLeft => "Vous avez utilisé toutes les tentatives autorisées pour ce quiz.", "You have used every attempt allowed for this quiz.";
    QzErrSubmitted => "Cette tentative est déjà remise.", "This attempt has already been submitted.";
    QzErrBadAnswer => "Réponse invalide pour cette question.", "Invalid answer for this question.";
    QzErrNoQuestions => "Ce quiz n'a aucune question.", "This quiz has no question.";
    QzErrNotInQuiz => "Cette question n'appartient pas à cette tentative.", "This question does not belong to this attempt.";
    QzErrConfirmDelete => "Ce quiz a des tentatives d'étudiants : confirmez pour le supprimer avec ses résultats (--yes).", "This quiz has student attempts: confirm to delete it with its results (--yes).";
    QzErrFormat => "Format inconnu : « json » ou « gift ».", "Unknown format: \"json\" or \"gift\".";
    QzImported => "Quiz « {} » importé (n° {}) : {} question(s), {} point(s). Il reste à publier (quiz publish).", "Quiz \"{}\" imported (no. {}): {} question(s), {} point(s). Publish it when ready (quiz publish).";
    QzDryRun => "Vérification seulement (--dry-run) : « {} », {} question(s), {} point(s) ; rien n'a été écrit.", "Check only (--dry-run): \"{}\", {} question(s), {} point(s); nothing was written.";
    QzWarnings => "Avertissements :", "Warnings:";
    QzDeleted => "Quiz supprimé.", "Quiz deleted.";
    QzPublishedNow => "Quiz publié : vos étudiants le voient.", "Quiz published: your students see it.";
    QzUnpublishedNow => "Quiz dépublié : vos étudiants ne le voient plus.", "Quiz unpublished: your students no longer see it.";
    QzNone => "Aucun quiz.", "No quiz.";
    ExpNeedsQuiz => "Précisez le quiz : export quiz-results QUIZ.", "Say which quiz: export quiz-results QUIZ.";
    QzNoResults => "Aucun résultat.", "No result.";
    QzColQuiz => "Quiz", "Quiz";
    QzColKind => "Type", "Kind";
    QzColCourse => "Cours", "Course";
    QzColQuestions => "Questions", "Questions";
    QzColPoints => "Points", "Points";
    QzColAttempts => "Tentatives", "Attempts";
    QzColState => "État", "State";
    QzColBest => "Meilleur", "Best";
    QzColLast => "Dernier", "Last";
    QzColPassed => "Réussi", "Passed";
    QzColStudent => "Étudiant", "Student";
    QzColScore => "Score", "Score";
    QzColDate => "Date", "Date";
    QzColSuccess => "Réussite", "Success";
    QzColAnswered => "Répondu", "Answered";
    QzColPositioning => "Positionnement", "Positioning";
    QzColFinal => "Final", "Final";
    QzYes => "oui", "yes";
    QzNo => "non", "no";
    QzPublished => "publié", "published";
    QzDraft => "brouillon", "draft";
    QzTimedOut => "temps écoulé", "timed out";
    // Quizzes (issue 15): publishing rules, status with the score, a student's answers,
    // extra attempts and time.
    QzProbSeveralRight => "un choix unique n'admet qu'une bonne réponse à 100 % (sinon : choix multiple)", "a single choice allows only one right answer at 100 % (otherwise: multiple choice)";
    QzErrPublishEmpty => "Un quiz sans question ne peut pas être publié : ajoutez d'abord ses questions.", "A quiz without questions cannot be published: add its questions first.";
    QzErrLastQuestion => "C'est la dernière question d'un quiz publié : dépubliez le quiz avant de la supprimer.", "This is the last question of a published quiz: unpublish the quiz before deleting it.";
    QzErrGrantNothing => "Rien à accorder : indiquez au moins une tentative ou une minute en plus.", "Nothing to grant: give at least one more attempt or minute.";
    QzErrNotParticipant => "Cet étudiant ne suit pas le cours de ce quiz.", "This student does not take this quiz's course.";
    QzFieldExtraAttempts => "Tentatives en plus", "Extra attempts";
    QzFieldExtraMinutes => "Minutes en plus", "Extra minutes";
    QzProbUnlimitedAttempts => "ce quiz a déjà des tentatives illimitées", "this quiz already allows unlimited attempts";
    QzProbUntimed => "ce quiz n'est pas chronométré", "this quiz is not timed";
    QzStPassed => "réussi", "passed";
    QzStFailed => "échoué", "failed";
    QzExtraAttempt1 => "+1 tentative", "+1 attempt";
    QzExtraAttempts => "+{} tentatives", "+{} attempts";
    QzExtraMinutes => "+{} min", "+{} min";
    QzGranted => "Accordé à {} pour « {} » : {}.", "Granted to {} for \"{}\": {}.";
    QzGrantedNone => "aucun", "none";
    QzAllowance => "Aménagement", "Allowance";
    QzAttemptN => "Tentative {} — {}", "Attempt {} — {}";
    QzAttemptInProgress => "en cours (commencée le {})", "in progress (started {})";
    QzNoAttempt => "Aucune tentative.", "No attempt.";
    QzGivenAnswer => "Réponse :", "Answer:";
    QzRightAnswer => "Attendu :", "Expected:";
    QzUnanswered => "(sans réponse)", "(no answer)";
    QzPtsQuestions => "{} · {} · {}", "{} · {} · {}";
    QzPt1 => "{} pt", "{} pt";
    QzPtsN => "{} pts", "{} pts";
    QzQuestions1 => "{} question", "{} question";
    QzQuestionsN => "{} questions", "{} questions";
    QtStartTimed => "Ce quiz est chronométré : {} min. {} Commencer ?", "This quiz is timed: {} min. {} Start?";
    QtStartTitle => "Commencer le quiz", "Start the quiz";
    QtLeft1 => "Il vous reste 1 tentative.", "You have 1 attempt left.";
    QtLeftN => "Il vous reste {} tentatives.", "You have {} attempts left.";
    QtLeftUnlimited => "Tentatives illimitées.", "Unlimited attempts.";
    QtExtraGiven => "Accordé par votre formateur : {}", "Granted by your trainer: {}";
    QtStudentsOf => "Étudiants : {}", "Students: {}";
    QtAttemptsOf => "{} : {}", "{}: {}";
    QtHintQuizStudents => "Entrée réponses · a accorder · / chercher · Échap retour", "Enter answers · a grant · / search · Esc back";
    QtHelpQuizStudents => "Les étudiants du cours et leur résultat à ce quiz.\n\
                           Entrée ouvre les tentatives de l'étudiant : chaque question, la réponse\n\
                           donnée et si elle est juste (✓ juste, ≈ en partie, ✗ fausse).\n\
                           a accorde à cet étudiant des tentatives ou des minutes en plus\n\
                           (enregistré ; il le voit dans « Mes quiz »).",
                          "The course's students and their result on this quiz.\n\
                           Enter opens the student's attempts: each question, the answer given\n\
                           and whether it is right (✓ right, ≈ partly, ✗ wrong).\n\
                           a grants this student extra attempts or minutes\n\
                           (recorded; they see it in \"My quizzes\").";
    QtHintAttempts => "↑↓ défiler · a accorder · Échap retour", "↑↓ scroll · a grant · Esc back";
    QtHelpAttempts => "Chaque tentative de l'étudiant, la plus ancienne d'abord : la note, puis\n\
                       chaque question avec la réponse donnée, la réponse attendue et les points\n\
                       (✓ juste, ≈ en partie, ✗ fausse). a accorde une tentative ou du temps en plus.",
                      "Each of the student's attempts, oldest first: the score, then each\n\
                       question with the answer given, the answer expected and the points\n\
                       (✓ right, ≈ partly, ✗ wrong). a grants an extra attempt or more time.";
    QtGrantTitle => "Accorder à {}", "Grant to {}";
    QtHelpGrant => "Des tentatives ou des minutes en plus pour cet étudiant seulement, ajoutées à\n\
                    ce qu'il a déjà. Les minutes s'ajoutent aussi à une tentative en cours.\n\
                    Chaque aménagement est enregistré. Ctrl-S accorde, Échap annule.",
                   "Extra attempts or minutes for this student only, added to what they already\n\
                    have. The minutes are added to an attempt in progress too.\n\
                    Each grant is recorded. Ctrl-S grants, Esc cancels.";
    XhQuizAttempts => "(Formateur) les tentatives d'un étudiant : chaque question, sa réponse, juste ou non.", "(Trainer) a student's attempts: each question, their answer, right or not.";
    XhQuizGrant => "(Formateur) accorde à un étudiant des tentatives (--attempts) ou des minutes (--minutes) en plus.", "(Trainer) grants a student extra attempts (--attempts) or minutes (--minutes).";
    XaQuizStudent => "L'étudiant (n° ou e-mail).", "The student (id or e-mail).";
    XaExtraAttempts => "Tentatives en plus (1 à 100).", "Extra attempts (1 to 100).";
    XaExtraMinutes => "Minutes en plus (1 à 1440), ajoutées aussi à une tentative en cours.", "Extra minutes (1 to 1440), added to an attempt in progress too.";
    QzPerQuestion => "Réussite par question :", "Success per question:";
    QzProgressionTitle => "Positionnement et évaluation finale par étudiant :", "Positioning and final assessment per student:";
    ExecHelpQuizTrainer => "quiz : quiz list|show|import|export|results|attempts|grant|progression|publish|unpublish|rm (quiz import COURS [--kind K] [--format json|gift] < fichier ; quiz attempts QUIZ ÉTUDIANT ; quiz grant QUIZ ÉTUDIANT --attempts N --minutes M)",
                           "quizzes: quiz list|show|import|export|results|attempts|grant|progression|publish|unpublish|rm (quiz import COURSE [--kind K] [--format json|gift] < file; quiz attempts QUIZ STUDENT; quiz grant QUIZ STUDENT --attempts N --minutes M)";
    ExecHelpQuizStudent => "quiz list [--json] : vos quiz ; quiz results [QUIZ] [--json] : vos résultats",
                           "quiz list [--json]: your quizzes; quiz results [QUIZ] [--json]: your results";
    // Assignment dates, draft warning, lesson files, file links (issue 15).
    ErrCourseNotStarted => "Ce cours commence le {} : vous pourrez l'ouvrir à partir de ce jour-là.",
                           "This course starts on {}: you can open it from that day.";
    ErrCourseEndedDone => "Ce cours est terminé depuis le {} : il reste consultable mais vous ne pouvez plus marquer de leçon comme faite.",
                          "This course ended on {}: it stays readable but you can no longer mark lessons as done.";
    ErrCourseEndedQuiz => "Ce cours est terminé depuis le {} : il reste consultable mais ses quiz ne peuvent plus être commencés.",
                          "This course ended on {}: it stays readable but its quizzes can no longer be started.";
    SpAvailableFrom => "à partir du {}", "from {}";
    SpEndedOn => "terminé depuis le {}", "ended on {}";
    SpLessonFiles => "Fichiers et liens de la leçon", "Files and links of this lesson";
    SpMoreResources => "… et {} autre(s) : voir Ressources", "… and {} more: see Resources";
    OutLinkValidUntil => "lien valable jusqu'au {}", "link valid until {}";
    UiDraftTitle => "Cours en brouillon", "Draft course";

    // Technical demos (« démos techniques »): planning (issue 16).
    DmMenu => "Démos", "Demos";
    EntDemo => "Démo technique", "Technical demo";
    DmFieldStarts => "Début (AAAA-MM-JJ HH:MM)", "Start (YYYY-MM-DD HH:MM)";
    DmFieldDuration => "Durée (minutes)", "Duration (minutes)";
    DmFieldClasses => "Classes (une par ligne ; vide : tout le cours)", "Classes (one per line; empty: whole course)";
    DmFieldRepo => "Dépôt (URL)", "Repository (URL)";
    DmFieldSlides => "Diapositives (URL)", "Slides (URL)";
    DmProbDateTime => "date et heure invalides (AAAA-MM-JJ HH:MM, heure locale)", "invalid date and time (YYYY-MM-DD HH:MM, local time)";
    DmProbMinutes => "un nombre entier de minutes, de 1 à 1440", "a whole number of minutes, 1 to 1440";
    DmProbUnknownClass => "classe inconnue (numéro ou nom exact)", "unknown class (id or exact name)";
    DmProbAmbiguousClass => "plusieurs classes portent ce nom : donnez son numéro", "several classes have this name: give its id";
    DmProbLessonNotInCourse => "cette leçon n'appartient pas au cours de la démo", "this lesson does not belong to the demo's course";
    DmStatusPlanned => "Prévue", "Planned";
    DmStatusLive => "En direct", "Live";
    DmStatusDone => "Terminée", "Done";
    DmToday => "aujourd'hui à {}", "today at {}";
    DmTomorrow => "demain à {}", "tomorrow at {}";
    DmOnDay => "{} à {}", "{} at {}";
    DmLineLive => "● EN DIRECT : {}", "● LIVE: {}";
    DmLineSoon => "Démo en direct dans {} min : {}", "Live demo in {} min: {}";
    DmLineNow => "Démo technique maintenant : {}", "Tech demo now: {}";
    DmLineAt => "Démo technique {} : {}", "Tech demo {}: {}";
    DmLineDone => "Démo technique terminée ({}) : {}", "Tech demo over ({}): {}";
    DmAudienceCourse => "Participants du cours", "Course participants";
    DmAudienceNobody => "aucune classe", "no class";
    DmColWhen => "Quand", "When";
    DmColAudience => "Public", "Audience";
    DmRecording => "Enregistrement", "Recording";
    DmRecordingNone => "aucun pour l'instant", "none yet";
    DmErrConfirmDelete => "Cette démo technique est passée en direct (elle peut avoir un enregistrement) : confirmez avec --yes.", "This technical demo went live (it may have a recording): confirm with --yes.";
    DmErrNotPlanned => "Cette démo technique n'est plus prévue : elle ne peut pas passer en direct.", "This technical demo is no longer planned: it cannot go live.";
    DmErrNotLive => "Cette démo technique n'est pas en direct.", "This technical demo is not live.";
    CastErrLine => "Enregistrement refusé, ligne {} : {}.", "Recording refused, line {}: {}.";
    CastProbJson => "ce n'est pas du JSON valide", "this is not valid JSON";
    CastProbHeader => "l'en-tête doit être un objet JSON avec width et height", "the header must be a JSON object with width and height";
    CastProbVersion => "seul le format asciicast version 2 est accepté", "only the asciicast version 2 format is accepted";
    CastProbSize => "dimensions du terminal hors limites (400 colonnes × 200 lignes au plus)", "terminal size out of bounds (400 columns × 200 rows at most)";
    CastProbEvent => "un événement s'écrit [temps, \"o\", \"texte\"]", "an event is written [time, \"o\", \"text\"]";
    CastProbTime => "temps invalide (un nombre de secondes positif)", "invalid time (a positive number of seconds)";
    CastProbBackwards => "le temps recule par rapport à la ligne précédente", "time goes back from the previous line";
    CastTooLarge => "Enregistrement trop volumineux (20 Mio au plus).", "Recording too large (20 MiB at most).";
    CastEmpty => "Enregistrement vide : envoyez un fichier .cast (asciinema) sur l'entrée standard.", "Empty recording: send a .cast file (asciinema) on standard input.";
    DmErrConfirmReplace => "Cette démo technique a déjà un enregistrement : confirmez son remplacement avec --yes.", "This technical demo already has a recording: confirm replacing it with --yes.";
    DmUploaded => "Enregistrement de la démo technique n° {} enregistré : {} ({} événements, {}×{}).", "Recording of technical demo no. {} saved: {} ({} events, {}×{}).";
    DmRecordingLink => "Lien de l'enregistrement (.cast)", "Recording link (.cast)";
    DmRecordingPlayer => "Lecture dans le navigateur", "Play in the browser";
    DmRecordingOf => "{} ({} octets ; liens valables jusqu'au {})", "{} ({} bytes; links valid until {})";
    DmReplayActivity => "Démo « {} » : regardée jusqu'à {} sur {}", "Demo \"{}\": watched up to {} of {}";
    XhDemoUpload => "(Formateur) dépose l'enregistrement d'une démo (fichier .cast d'asciinema sur l'entrée standard).", "(Trainer) uploads a demo's recording (an asciinema .cast file on standard input).";
    XaDemoReplace => "Remplace l'enregistrement existant.", "Replaces the existing recording.";
    RpTitle => "Rediffusion", "Replay";
    RpNone => "Cette démo n'a pas d'enregistrement.", "This demo has no recording.";
    RpLoading => "Chargement de l'enregistrement…", "Loading the recording…";
    RpPlaying => "▶", "▶";
    RpPaused => "⏸", "⏸";
    RpFollow => "suivi", "following";
    RpHint => "Espace lecture · ←→ ±5 s · n repère · +- vitesse · f suivre · ? aide",
              "Space play · ←→ ±5 s · n marker · +- speed · f follow · ? help";
    RpHelp => "Rediffusion d'une démo technique, dessinée ici comme du texte.\n\
               Espace : lecture / pause. ← / → : reculer / avancer de 5 s.\n\
               n ou ] : repère suivant ; [ : repère précédent. Début / Fin.\n\
               + / - : vitesse ×1, ×2, ×4 (ou 1, 2, 4).\n\
               Les longs silences sont raccourcis (2 s au plus).\n\
               Terminal plus grand que la fenêtre : h j k l ou Maj+flèches\n\
               déplacent la vue ; f suit le curseur. Échap revient.",
             "Replay of a technical demo, drawn here as text.\n\
               Space: play / pause. ← / →: back / forward 5 s.\n\
               n or ]: next marker; [: previous marker. Home / End.\n\
               + / -: speed ×1, ×2, ×4 (or 1, 2, 4).\n\
               Long silences are shortened (2 s at most).\n\
               Terminal larger than the window: h j k l or Shift+arrows\n\
               move the view; f follows the cursor. Esc goes back.";
    DmHintDetailRec => "r revoir · ↑↓ défiler · e modifier · d supprimer · Échap retour · ? aide", "r replay · ↑↓ scroll · e edit · d delete · Esc back · ? help";
    DmHintMyDetailRec => "r revoir l'enregistrement · ↑↓ défiler · Échap retour · ? aide", "r replay the recording · ↑↓ scroll · Esc back · ? help";
    DmRecordingReplay => "disponible : r pour le revoir", "available: r to replay it";
    DmNeedCourse => "Choisissez d'abord un cours (créez-en un dans Cours).", "Choose a course first (create one under Courses).";
    DmTitle => "Démos techniques", "Technical demos";
    DmMyTitle => "Mes démos techniques", "My technical demos";
    DmNewDemo => "Nouvelle démo technique", "New technical demo";
    DmEditDemo => "Modifier la démo technique", "Edit technical demo";
    DmDeleteConfirm => "Supprimer la démo technique « {} » ?", "Delete the technical demo \"{}\"?";
    DmDeleteLiveConfirm => "Supprimer la démo technique « {} » ? Elle est passée en direct : son enregistrement part avec elle.", "Delete the technical demo \"{}\"? It went live: its recording goes with it.";
    DmEmpty => "Aucune démo technique. n en planifie une.", "No technical demo. n plans one.";
    DmMyEmpty => "Aucune démo technique pour vos cours.", "No technical demo for your courses.";
    DmHintList => "Entrée détail · n nouvelle · e modifier · d supprimer · / chercher · ? aide",
                  "Enter details · n new · e edit · d delete · / search · ? help";
    DmHintMyList => "Entrée détail · / chercher · Échap retour · ? aide", "Enter details · / search · Esc back · ? help";
    DmHintDetail => "↑↓ défiler · e modifier · d supprimer · Échap retour · ? aide", "↑↓ scroll · e edit · d delete · Esc back · ? help";
    DmHintMyDetail => "↑↓ défiler · Échap retour · ? aide", "↑↓ scroll · Esc back · ? help";
    DmHelpList => "Vos démos techniques : celles à venir d'abord (la plus proche en tête),\n\
                   puis les passées. Entrée ouvre le détail ; n planifie une démo, e la\n\
                   modifie, d la supprime (après confirmation).\n\
                   Le public est soit tous les participants du cours, soit des classes.\n\
                   Par commande : ssh … demo add|list|show|edit|rm.",
                  "Your technical demos: upcoming ones first (the soonest on top), then\n\
                   past ones. Enter opens the details; n plans a demo, e edits it, d\n\
                   deletes it (after a confirmation).\n\
                   The audience is either every participant of the course, or classes.\n\
                   By command: ssh … demo add|list|show|edit|rm.";
    DmHelpMyList => "Les démos techniques de vos cours : à venir d'abord, puis les passées.\n\
                     Entrée ouvre le détail (description, dépôt, diapositives).\n\
                     Par commande : ssh … demos.",
                    "The technical demos of your courses: upcoming first, then past ones.\n\
                     Enter opens the details (description, repository, slides).\n\
                     By command: ssh … demos.";
    DmHelpDetail => "↑↓ ou PgPréc/PgSuiv font défiler. e modifie la démo, d la supprime\n\
                     (après confirmation). Échap revient à la liste.",
                    "↑↓ or PgUp/PgDn scroll. e edits the demo, d deletes it (after a\n\
                     confirmation). Esc goes back to the list.";
    DmHelpMyDetail => "↑↓ ou PgPréc/PgSuiv font défiler. Échap revient à la liste.",
                      "↑↓ or PgUp/PgDn scroll. Esc goes back to the list.";
    DmHelpForm => "Cours : ←/→ ou Espace (il ne change plus ensuite) ; leçon facultative.\n\
                   Début en heure locale : 2026-12-03 14:00. Durée en minutes (1 à 1440).\n\
                   Classes : une par ligne (numéro ou nom) ; vide, tous les participants\n\
                   du cours voient la démo. Dépôt et diapositives : adresses https://.\n\
                   Tab champ suivant, Ctrl-S enregistre, Échap annule.",
                  "Course: ←/→ or Space (it cannot change afterwards); lesson optional.\n\
                   Start in local time: 2026-12-03 14:00. Duration in minutes (1 to 1440).\n\
                   Classes: one per line (id or name); empty, every participant of the\n\
                   course sees the demo. Repository and slides: https:// addresses.\n\
                   Tab next field, Ctrl-S saves, Esc cancels.";
    DmCreated => "Démo technique n° {} planifiée : {}", "Technical demo no. {} planned: {}";
    DmUpdated => "Démo technique n° {} modifiée.", "Technical demo no. {} updated.";
    DmDeleted => "Démo technique supprimée.", "Technical demo deleted.";
    DmNone => "Aucune démo technique.", "No technical demo.";
    XhDemo => "(Formateur) démos techniques : planifier, lister, modifier, supprimer, déposer un enregistrement.", "(Trainer) technical demos: plan, list, edit, delete, upload a recording.";
    XhDemoAdd => "(Formateur) planifie une démo technique dans un cours.", "(Trainer) plans a technical demo in a course.";
    XhDemoList => "(Formateur) les démos techniques, à venir d'abord.", "(Trainer) the technical demos, upcoming first.";
    XhDemoShow => "(Formateur) une démo technique en détail.", "(Trainer) one technical demo in detail.";
    XhDemoEdit => "(Formateur) modifie une démo technique (seules les options données changent).", "(Trainer) edits a technical demo (only the options given change).";
    XhDemoRm => "(Formateur) supprime une démo technique ; une démo passée en direct, seulement avec --yes.", "(Trainer) deletes a technical demo; one that went live only with --yes.";
    XhDemos => "(Étudiant) vos démos techniques (à venir d'abord), ou l'une d'elles par son numéro.", "(Student) your technical demos (upcoming first), or one of them by its number.";
    ExecHelpDemo => "démos techniques : demo add|list|show|edit|upload|rm (--json)", "technical demos: demo add|list|show|edit|upload|rm (--json)";
    ExecHelpDemos => "vos démos techniques : demos [N°] [--json]", "your technical demos: demos [NO.] [--json]";
    XaDemo => "La démo technique (numéro ou titre).", "The technical demo (id or title).";
    XaDemoId => "Le numéro d'une de vos démos (voir demos).", "The number of one of your demos (see demos).";
    XaDemoAt => "Début prévu, heure locale : \"AAAA-MM-JJ HH:MM\".", "Planned start, local time: \"YYYY-MM-DD HH:MM\".";
    XaDemoDuration => "Durée en minutes (1 à 1440).", "Duration in minutes (1 to 1440).";
    XaDemoDescription => "La description.", "The description.";
    XaDemoClass => "Public : une classe (répétable ; numéro ou nom). Sans classe : tous les participants du cours.", "Audience: a class (repeatable; id or name). No class: every participant of the course.";
    XaDemoWholeCourse => "Public : tous les participants du cours (retire les classes).", "Audience: every participant of the course (removes the classes).";
    XaDemoRepo => "Adresse du dépôt (https://…) ; vide pour l'effacer.", "Repository address (https://…); empty to clear it.";
    XaDemoSlides => "Adresse des diapositives (https://…) ; vide pour l'effacer.", "Slides address (https://…); empty to clear it.";
    XaDemoLesson => "Une leçon du cours (numéro ou titre) ; vide pour aucune.", "A lesson of the course (number or title); empty for none.";
    XaDemoYes => "Supprime aussi une démo passée en direct (et son enregistrement).", "Deletes a demo that went live too (and its recording).";
    // Live demos (the broadcast).
    DmErrAlreadyStreaming => "Cette démo technique est déjà diffusée : un autre « demo live » est en cours.", "This technical demo is already being streamed: another \"demo live\" is running.";
    DmErrNotStreaming => "Cette démo technique n'est pas diffusée en ce moment.", "This technical demo is not being streamed right now.";
    DmErrNotRecording => "Cette diffusion n'est plus enregistrée (taille maximale atteinte) : la diffusion continue, sans nouveau repère.", "This broadcast is no longer being recorded (size limit reached): the broadcast goes on, with no new marker.";
    DmFieldMarker => "Repère", "Marker";
    DmLiveMarked => "Repère « {} » ajouté à l'enregistrement.", "Marker \"{}\" added to the recording.";
    DmErrAlreadyPaused => "La diffusion est déjà en pause.", "The broadcast is already paused.";
    DmErrNotPaused => "La diffusion n'est pas en pause.", "The broadcast is not paused.";
    DmFieldQuestion => "Question", "Question";
    DmQuestionBody => "Question pendant la démo « {} » : {}", "Question during the demo \"{}\": {}";
    DmQuestionFlash => "Question de {} (démo « {} ») : {}", "Question from {} (demo \"{}\"): {}";
    DmLiveOver => "Diffusion terminée : la démo N°{} est terminée ({} octets reçus).", "Broadcast over: demo #{} is done ({} bytes received).";
    DmLivePausedDone => "Diffusion en pause : les étudiants voient l'écran figé. « demo resume {} » la reprend.", "Broadcast paused: students see a frozen screen. \"demo resume {}\" resumes it.";
    DmLiveResumedDone => "Diffusion reprise.", "Broadcast resumed.";
    DmLiveStopped => "La démo N°{} est terminée.", "Demo #{} is done.";
    DmLiveResized => "Taille de la diffusion : {} colonnes × {} lignes.", "Broadcast size: {} columns × {} rows.";
    DmLiveTitle => "● EN DIRECT : {}", "● LIVE: {}";
    DmLivePausedTitle => "⏸ EN PAUSE : {}", "⏸ PAUSED: {}";
    DmLiveEndedTitle => "Terminée : {}", "Over: {}";
    DmLivePausedNote => "Pause : le formateur a mis la diffusion en pause.", "Paused: the trainer paused the broadcast.";
    DmLiveEndedNote => "La démo est terminée. Échap pour revenir.", "The demo is over. Esc to go back.";
    DmLiveWaiting => "Connexion à la démo en direct…", "Connecting to the live demo…";
    DmLiveFollow => "suit le curseur", "follows the cursor";
    DmLiveFree => "déplacement libre", "free panning";
    DmQuestionPrompt => "Question : ", "Question: ";
    DmQuestionSent => "Question envoyée au formateur.", "Question sent to the trainer.";
    DmHintWatch => "←↑↓→ déplacer · f suivre · m question · Échap retour · ? aide", "←↑↓→ pan · f follow · m question · Esc back · ? help";
    DmHintQuestion => "Entrée envoyer · Échap annuler", "Enter send · Esc cancel";
    DmHintMyDetailLive => "Entrée regarder · ↑↓ défiler · Échap retour · ? aide", "Enter watch · ↑↓ scroll · Esc back · ? help";
    DmHelpWatch => "Le terminal du formateur, en direct. Vous arrivez en cours de route ?\n\
                    L'écran actuel s'affiche aussitôt.\n\
                    Si son terminal est plus grand que le vôtre, les flèches déplacent la\n\
                    vue ; f bascule « suivre le curseur » (la vue suit le curseur du\n\
                    formateur ; activé d'office sur un petit écran).\n\
                    m ouvre une ligne pour poser une question : Entrée l'envoie au\n\
                    formateur (un message lié à la démo), Échap l'abandonne.\n\
                    Échap revient à la liste.",
                   "The trainer's terminal, live. Joining late? The current screen shows\n\
                    at once.\n\
                    When their terminal is larger than yours, the arrows pan the view;\n\
                    f toggles \"follow the cursor\" (the view follows the trainer's\n\
                    cursor; on by default on a small screen).\n\
                    m opens a line to ask a question: Enter sends it to the trainer (a\n\
                    message tied to the demo), Esc drops it.\n\
                    Esc goes back to the list.";
    XhDemoLive => "(Formateur) diffuse votre terminal en direct : lit sa sortie sur l'entrée standard, jusqu'à sa fin ou « demo stop ». Voir le README : script -qf -c \"$SHELL\" >(ssh … demo live N°).", "(Trainer) streams your terminal live: reads its output on standard input, until it ends or \"demo stop\". See the README: script -qf -c \"$SHELL\" >(ssh … demo live ID).";
    XhDemoPause => "(Formateur) met la diffusion en pause : les étudiants voient l'écran figé.", "(Trainer) pauses the broadcast: students see a frozen screen.";
    XhDemoResume => "(Formateur) reprend la diffusion.", "(Trainer) resumes the broadcast.";
    XhDemoStop => "(Formateur) termine la démo en direct (elle passe à « terminée »).", "(Trainer) ends the live demo (it becomes \"done\").";
    XhDemoResize => "(Formateur) change la taille du terminal diffusé.", "(Trainer) changes the streamed terminal's size.";
    XhDemoMark => "(Formateur) ajoute un repère à l'enregistrement de la démo en direct (« Étape 2 ») : la rediffusion saute de repère en repère.", "(Trainer) adds a marker to the live demo's recording (\"Step 2\"): the replay jumps from marker to marker.";
    XaMarkLabel => "Le texte du repère (100 caractères au plus).", "The marker's text (100 characters at most).";
    XaLiveCols => "Largeur du terminal en colonnes : $(tput cols) (80 par défaut, 500 au plus).", "Terminal width in columns: $(tput cols) (default 80, at most 500).";
    XaLiveRows => "Hauteur du terminal en lignes : $(tput lines) (24 par défaut, 200 au plus).", "Terminal height in rows: $(tput lines) (default 24, at most 200).";
}

/// `t` with `{}` placeholders filled in order. In French, `de {}` is elided before a
/// vowel (`d'Anne-Sophie`, `de Marie`, see [`crate::present::elide`]).
pub fn tf(lang: Lang, key: Key, args: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = t(lang, key);
    let mut args = args.iter();
    while let Some(pos) = rest.find("{}") {
        let arg = args.next().copied().unwrap_or("");
        let before = &rest[..pos];
        match before.strip_suffix("de ") {
            Some(head)
                if lang == Lang::Fr && (head.is_empty() || head.ends_with([' ', '\n', '('])) =>
            {
                out.push_str(head);
                out.push_str(&crate::present::de(arg));
            }
            _ => {
                out.push_str(before);
                out.push_str(arg);
            }
        }
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
    fn french_de_is_elided_before_a_vowel() {
        assert_eq!(
            tf(Lang::Fr, Key::UiMembersOf, &["Anne-Sophie"]),
            "Membres d'Anne-Sophie"
        );
        assert_eq!(
            tf(Lang::Fr, Key::UiMembersOf, &["Marie"]),
            "Membres de Marie"
        );
        assert_eq!(tf(Lang::En, Key::UiMembersOf, &["Anne"]), "Members of Anne");
    }

    #[test]
    fn language_codes_round_trip() {
        for l in Lang::ALL {
            assert_eq!(Lang::parse(l.code()), Some(l));
        }
        assert_eq!(Lang::parse("xx"), None);
    }
}
