//! The arguments as the user typed them, as `../shared/spec/cli.md` defines them: names, options
//! and environment variables are a contract that scripts rely on. The global options are
//! `context::Global`.

use crate::context::{self, BadValue, Global};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use cnrm_engine::workflow::Status;
use cnrm_engine::Lang;
use std::path::PathBuf;

/// The command line's definition with every description in `lang`. Each `about` and help is
/// written `en français / in English` (the program's `about` on two lines); only the half of
/// the language shows in `--help`, with the value names (`<FICHIER>`) in French too. clap's own
/// words (headings, defaults) are put into French by `strings::help_page`.
pub fn command(lang: Lang) -> clap::Command {
    localize(Cli::command(), lang)
}

fn localize(mut cmd: clap::Command, lang: Lang) -> clap::Command {
    if let Some(about) = cmd.get_about().map(|a| in_lang(lang, &a.to_string())) {
        cmd = cmd.about(about);
    }
    if let Some(long) = cmd.get_long_about().map(|a| in_lang(lang, &a.to_string())) {
        cmd = cmd.long_about(long);
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        cmd = cmd.mut_arg(id, |a| {
            let help = a.get_help().map(|h| in_lang(lang, &h.to_string()));
            let names: Option<Vec<clap::builder::Str>> = a
                .get_value_names()
                .map(|v| v.iter().map(|n| value_name(lang, n)).collect());
            let a = match help {
                Some(h) => a.help(h),
                None => a,
            };
            match names {
                Some(n) => a.value_names(n),
                None => a,
            }
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        cmd = cmd.mut_subcommand(name, |s| localize(s, lang));
    }
    cmd
}

/// The half of a description `en français / in English` in `lang` (the first letter a
/// capital; the French with its non-breaking spaces). Descriptions are split at their first
/// ` / `, else at a line break.
pub fn in_lang(lang: Lang, text: &str) -> String {
    let (fr, en) = text
        .split_once(" / ")
        .or_else(|| text.split_once('\n'))
        .unwrap_or((text, text));
    let half = match lang {
        Lang::Fr => cnrm_engine::text::french_typography(fr.trim()),
        Lang::En => en.trim().to_string(),
    };
    let mut chars = half.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => half,
    }
}

/// A value's placeholder (`<FILE>`) in `lang`.
fn value_name(lang: Lang, name: &clap::builder::Str) -> clap::builder::Str {
    const FRENCH: [(&str, &str); 11] = [
        ("FILE", "FICHIER"),
        ("F", "FICHIER"),
        ("OUT", "SORTIE"),
        ("TEXT", "TEXTE"),
        ("NAME", "NOM"),
        ("TIME", "DATE"),
        ("DURATION", "DURÉE"),
        ("AMOUNT", "MONTANT"),
        ("ENTRY", "NUMÉRO"),
        ("VALUE", "VALEUR"),
        ("PERIOD", "PÉRIODE"),
    ];
    match lang {
        Lang::Fr => FRENCH
            .iter()
            .find(|(en, _)| *en == name.as_str())
            .map_or_else(|| name.clone(), |(_, fr)| (*fr).into()),
        Lang::En => name.clone(),
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "cnrm",
    version,
    about = "Plans d'actions du CNRM : vérifier, appliquer, suivre et rappeler.\nAction plans of Mali's CNRM: check, apply, follow up and remind.",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    /// Le plan à ouvrir dans l'interface (`cnrm --plan ID`) / the plan to open in the UI
    #[arg(long, value_name = "ID")]
    pub plan: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

// Values people type, checked as the arguments are read so that a mistake is an argument error
// naming its option. Texts stay texts where the commands parse them again.

fn outbox_status(s: &str) -> Result<&'static str, BadValue> {
    context::outbox_status(s)
}

fn inbox_status(s: &str) -> Result<&'static str, BadValue> {
    context::inbox_status(s)
}

fn status(s: &str) -> Result<Status, BadValue> {
    context::status(s)
}

fn progress(s: &str) -> Result<i64, BadValue> {
    context::progress(s)
}

fn day_text(s: &str) -> Result<String, BadValue> {
    context::day(s).map(|_| s.to_string())
}

fn amount_text(s: &str) -> Result<String, BadValue> {
    context::amount(s).map(|_| s.to_string())
}

fn measure_text(s: &str) -> Result<String, BadValue> {
    context::measure(s).map(|_| s.to_string())
}

fn duration_text(s: &str) -> Result<String, BadValue> {
    context::duration_days(s).map(|_| s.to_string())
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Interface du secrétariat (aussi : `cnrm` seul) / the terminal UI (also: plain `cnrm`)
    Tui(TuiArgs),
    /// Appliquer un plan puis l'ouvrir / apply a plan file, then open it
    Open(OpenArgs),
    /// Vérifier et charger des plans / check and load plan files
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Plans de la base et leur dernière révision / plans in the database
    Plans(FormatArgs),
    /// Lister les tâches / list tasks
    Tasks(TasksArgs),
    /// Une tâche : voir, mettre à jour, dépenses / one task
    #[command(subcommand)]
    Task(TaskCommand),
    /// Indicateurs avec leur dernière valeur / indicators with their latest value
    Indicators(IndicatorsArgs),
    /// Un indicateur : voir, enregistrer une valeur / one indicator
    #[command(subcommand)]
    Indicator(IndicatorCommand),
    /// Un passage de rappels maintenant / one reminder scan now
    Remind(RemindArgs),
    /// Boîte d'envoi des e-mails / the e-mail outbox
    Outbox(OutboxArgs),
    /// Service de rappels selon les horaires cron des plans / the reminder service
    Daemon(DaemonArgs),
    /// Réponses des membres par courriel / members' e-mail replies
    #[command(subcommand)]
    Mail(MailCommand),
    /// Réponses reçues et ce qu'elles ont changé / replies received and what they changed
    Inbox(InboxArgs),
    /// Rapport au comité de pilotage / steering-committee report
    Report(ReportArgs),
    /// Exporter les échéances / export deadlines
    #[command(subcommand)]
    Export(ExportCommand),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReportFormat {
    #[default]
    Md,
    Html,
    Csv,
    Json,
    Xlsx,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Le plan (quand la base en contient plusieurs) / the plan
    #[arg(long, value_name = "ID")]
    pub plan: Option<String>,
    /// Période : T3 2025, S1 2026, 2025-09, 2025 (par défaut le trimestre en cours) / period: T3 2025 (Q3), S1 2026 (H1), 2025-09, 2025 (default: the current quarter)
    #[arg(long, value_name = "PERIOD", conflicts_with_all = ["from", "to"])]
    pub period: Option<String>,
    /// Début de la période (AAAA-MM-JJ ou JJ/MM/AAAA) / period start
    #[arg(long, value_name = "DATE", requires = "to", value_parser = day_text)]
    pub from: Option<String>,
    /// Fin de la période (AAAA-MM-JJ ou JJ/MM/AAAA) / period end
    #[arg(long, value_name = "DATE", requires = "from", value_parser = day_text)]
    pub to: Option<String>,
    /// Format (xlsx : un classeur, avec --output) / output format (xlsx: a workbook, with --output)
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
    /// Table CSV : summary, priorities, funders, late, indicators / CSV table: summary, priorities, funders, late, indicators
    #[arg(long, value_parser = ["summary", "priorities", "funders", "late", "indicators"], default_value = "priorities")]
    pub table: String,
    /// Fichier de sortie (sinon la sortie standard) / output file
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Calendrier iCalendar des échéances et jalons / iCalendar of deadlines
    Ics(IcsArgs),
}

#[derive(Debug, Args)]
pub struct IcsArgs {
    /// Seulement les tâches de ce responsable / only this owner's tasks
    #[arg(long, value_name = "ID")]
    pub owner: Option<String>,
    /// Le plan (quand la base en contient plusieurs) / the plan, when there are several
    #[arg(long, value_name = "ID")]
    pub plan: Option<String>,
    /// Fichier de sortie / output file
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct RemindArgs {
    /// Montrer ce qui serait envoyé, sans rien écrire / show what would be sent, write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Envoyer le récapitulatif hebdomadaire au lieu des rappels / send the weekly digest instead
    #[arg(long)]
    pub digest: bool,
    /// Seulement ce plan / only this plan
    #[arg(long, value_name = "ID")]
    pub plan: Option<String>,
    /// Format de sortie / output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
}

#[derive(Debug, Args)]
pub struct OutboxArgs {
    #[command(subcommand)]
    pub action: Option<OutboxAction>,
    /// en attente, envoyé, en échec ou caduc / pending, sent, failed or superseded
    #[arg(long, value_name = "S", value_parser = outbox_status)]
    pub status: Option<&'static str>,
    /// Format de sortie / output format
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Subcommand)]
pub enum OutboxAction {
    /// Réessayer maintenant les envois en échec / retry failed messages now
    Retry {
        /// Un message précis / one message
        id: Option<i64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Lire une réponse de membre (RFC 5322) sur l'entrée standard ou dans un fichier, et
    /// l'appliquer / read one member's reply from standard input or a file, and apply it
    Receive(MailReceiveArgs),
    /// Lire les messages non lus de la boîte IMAP CNRM_IMAP_URL, les traiter comme `mail
    /// receive` et les marquer lus / read the unseen messages of the IMAP mailbox CNRM_IMAP_URL,
    /// process each as `mail receive` does and mark them seen
    Fetch(MailFetchArgs),
}

#[derive(Debug, Args)]
pub struct MailFetchArgs {
    /// Format de sortie / output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
}

#[derive(Debug, Args)]
pub struct MailReceiveArgs {
    /// Lire le message dans ce fichier (sinon l'entrée standard) / read the message from this file
    #[arg(long, value_name = "F")]
    pub file: Option<std::path::PathBuf>,
    /// Format de sortie / output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
}

#[derive(Debug, Args)]
pub struct InboxArgs {
    /// appliqué, refusé ou ignoré / applied, rejected or ignored
    #[arg(long, value_name = "S", value_parser = inbox_status)]
    pub status: Option<&'static str>,
    /// Format de sortie / output format
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct DaemonArgs {
    /// Afficher les N prochains passages et récapitulatifs de chaque plan, puis quitter
    /// / print the next N scan and digest times of each plan, then exit
    #[arg(long, value_name = "N", value_parser = context::count)]
    pub next: Option<usize>,
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Vérifier des fichiers de plan (toutes les erreurs en une fois) / check plan files
    Check(CheckArgs),
    /// Ce que `apply` changerait, sans rien écrire / what apply would change
    Diff(DiffArgs),
    /// Charger un plan dans la base, en une transaction / apply a plan file
    Apply(ApplyArgs),
    /// Écrire le modèle de classeur d'un plan, à remplir / write an empty plan workbook to fill in
    Template(TemplateArgs),
    /// Afficher le schéma JSON du format (pour l'éditeur) / print the JSON Schema of the format
    Schema,
    /// Convertir un plan entre YAML et classeur (.xlsx) / convert a plan between YAML and a workbook
    Convert(ConvertArgs),
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Plan à convertir (.yaml, .xlsx ou .ods) / plan to convert (.yaml, .xlsx or .ods)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Fichier écrit (.xlsx depuis un YAML, .yaml depuis un classeur) / file written
    #[arg(long, short, value_name = "OUT")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// Fichier à écrire (par défaut modele-plan.xlsx) / file to write
    #[arg(long, short, value_name = "FILE", default_value = "modele-plan.xlsx")]
    pub output: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum CheckFormat {
    #[default]
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ListFormat {
    #[default]
    Table,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Fichiers YAML à vérifier / plan files to check
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Format de sortie / output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Fichier de plan / plan file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Format de sortie / output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Fichier de plan / plan file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Motif de la révision / why this revision
    #[arg(long, short, value_name = "TEXT")]
    pub message: Option<String>,
    /// Format de sortie / output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
}

#[derive(Debug, Args, Default)]
pub struct TuiArgs {
    /// Le plan à ouvrir quand la base en contient plusieurs / the plan, when there are several
    #[arg(long, value_name = "ID")]
    pub plan: Option<String>,
}

#[derive(Debug, Args)]
pub struct OpenArgs {
    /// Fichier de plan / plan file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Motif de la révision / why this revision
    #[arg(long, short, value_name = "TEXT")]
    pub message: Option<String>,
}

#[derive(Debug, Args)]
pub struct FormatArgs {
    /// Format de sortie / output format
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct TasksArgs {
    /// Seulement ce plan / only this plan
    #[arg(long, value_name = "ID")]
    pub plan: Option<String>,
    /// Seulement cette priorité / only this priority
    #[arg(long, value_name = "ID")]
    pub priority: Option<String>,
    /// Seulement les tâches de ce responsable (identifiant ou sigle) / only this owner's tasks (id or short name)
    #[arg(long, value_name = "ID")]
    pub owner: Option<String>,
    /// Avec --owner : aussi ses structures rattachées (parent) / with --owner: its agencies too (parent)
    #[arg(long, requires = "owner")]
    pub with_children: bool,
    /// Statut (répétable) : à faire, en cours, bloqué, suspendu, fait, annulé / status, repeatable
    #[arg(long, value_name = "S", value_parser = status)]
    pub status: Vec<Status>,
    /// Seulement les tâches en retard / only overdue tasks
    #[arg(long)]
    pub overdue: bool,
    /// Échéance dans ce délai (14j, 14d, 2w) / due within DURATION
    #[arg(long, value_name = "DURATION", value_parser = duration_text)]
    pub due_within: Option<String>,
    /// Texte cherché (sans tenir compte des accents) / search text
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Inclure les tâches archivées / include archived tasks
    #[arg(long)]
    pub archived: bool,
    /// Format de sortie (xlsx : un classeur, avec --output) / output format (xlsx: a workbook, with --output)
    #[arg(long, value_enum, default_value_t = TasksFormat::Table)]
    pub format: TasksFormat,
    /// N'afficher que le nombre de tâches / print only how many tasks match
    #[arg(long)]
    pub count: bool,
    /// Fichier de sortie (obligatoire pour xlsx, sinon la sortie standard) / output file
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The formats of `cnrm tasks`: those of every list, and a workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum TasksFormat {
    #[default]
    Table,
    Json,
    Csv,
    Xlsx,
}

#[derive(Debug, Subcommand)]
pub enum TaskCommand {
    /// Une tâche avec son historique / one task with its history
    Show(TaskShowArgs),
    /// Changer statut, avancement, ajouter une note / record a change
    Set(TaskSetArgs),
    /// Enregistrer une dépense / record money spent
    Spend(TaskSpendArgs),
}

#[derive(Debug, Args)]
pub struct TaskShowArgs {
    /// Identifiant de la tâche / task id
    #[arg(value_name = "ID")]
    pub id: String,
    /// Le plan (quand la base en contient plusieurs) / the plan, when there are several
    #[arg(long, value_name = "ID")]
    pub plan: Option<String>,
    /// Format de sortie : human ou json / output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
}

#[derive(Debug, Args)]
pub struct TaskSetArgs {
    /// Identifiant de la tâche / task id
    #[arg(value_name = "ID")]
    pub id: String,
    /// à faire, en cours, bloqué, suspendu, fait, annulé / todo, in_progress, blocked, …
    #[arg(long, value_name = "S", value_parser = status)]
    pub status: Option<Status>,
    /// Avancement 0-100 / progress percentage
    #[arg(long, value_name = "N", value_parser = progress, allow_hyphen_values = true)]
    pub progress: Option<i64>,
    /// Note / note
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Date du changement (AAAA-MM-JJ ou JJ/MM/AAAA, par défaut aujourd'hui) / the day the change happened (YYYY-MM-DD or DD/MM/YYYY, default today)
    #[arg(long, value_name = "DATE", value_parser = day_text)]
    pub date: Option<String>,
    /// Le plan (quand la base en contient plusieurs) / the plan, when there are several
    #[arg(long, value_name = "ID")]
    pub plan: Option<String>,
}

#[derive(Debug, Args)]
pub struct TaskSpendArgs {
    /// Identifiant de la tâche / task id
    #[arg(value_name = "ID")]
    pub id: String,
    /// Montant (12500000, "12 500 000" ou "12 500 000,50") / amount
    #[arg(value_name = "AMOUNT", value_parser = amount_text, allow_hyphen_values = true)]
    pub amount: Option<String>,
    /// Annuler la dépense n° ENTRY (voir `cnrm task show`) / cancel spending entry ENTRY
    #[arg(long, value_name = "ENTRY")]
    pub cancel: Option<String>,
    /// Devise (par défaut celle du plan) / currency
    #[arg(long)]
    pub currency: Option<String>,
    /// Date de la dépense (AAAA-MM-JJ ou JJ/MM/AAAA) / date spent
    #[arg(long, value_name = "DATE", value_parser = day_text)]
    pub date: Option<String>,
    /// Note / note
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Le plan (quand la base en contient plusieurs) / the plan, when there are several
    #[arg(long, value_name = "ID")]
    pub plan: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum IndicatorCommand {
    /// Un indicateur et ses valeurs / one indicator with its values
    Show(IndicatorShowArgs),
    /// Enregistrer une valeur mesurée / record a measured value
    Record(IndicatorRecordArgs),
}

#[derive(Debug, Args)]
pub struct IndicatorsArgs {
    /// Le plan (quand la base en contient plusieurs) / the plan, when there are several
    #[arg(long, value_name = "ID")]
    pub plan: Option<String>,
    /// Format de sortie / output format
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct IndicatorShowArgs {
    /// Identifiant de l'indicateur / indicator id
    pub id: String,
    /// Le plan (quand la base en contient plusieurs) / the plan, when there are several
    #[arg(long, value_name = "ID")]
    pub plan: Option<String>,
    /// Format de sortie : human ou json / output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
}

#[derive(Debug, Args)]
pub struct IndicatorRecordArgs {
    /// Identifiant de l'indicateur / indicator id
    #[arg(value_name = "ID")]
    pub id: String,
    /// Valeur / value
    #[arg(value_name = "VALUE", value_parser = measure_text, allow_hyphen_values = true)]
    pub value: Option<String>,
    /// Annuler la valeur n° ENTRY (voir `cnrm indicator show`) / cancel recorded value ENTRY
    #[arg(long, value_name = "ENTRY")]
    pub cancel: Option<String>,
    /// Date de la mesure (AAAA-MM-JJ ou JJ/MM/AAAA) / date measured
    #[arg(long, value_name = "DATE", value_parser = day_text)]
    pub date: Option<String>,
    /// Note / note
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Le plan (quand la base en contient plusieurs) / the plan, when there are several
    #[arg(long, value_name = "ID")]
    pub plan: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;
    use cnrm_engine::Lang;

    /// Every help page of every command, as `cnrm … --help` prints it in `lang`.
    fn help_pages(lang: Lang) -> Vec<(String, String)> {
        fn walk(cmd: &mut clap::Command, path: &str, lang: Lang, out: &mut Vec<(String, String)>) {
            let page = cmd.render_long_help().to_string();
            out.push((path.to_string(), crate::strings::help_page(lang, &page)));
            let names: Vec<String> = cmd
                .get_subcommands()
                .map(|s| s.get_name().to_string())
                .filter(|n| n != "help")
                .collect();
            for name in names {
                if let Some(sub) = cmd.find_subcommand_mut(&name) {
                    walk(sub, &format!("{path} {name}"), lang, out);
                }
            }
        }
        let mut cmd = super::command(lang);
        cmd.build();
        let mut out = Vec::new();
        walk(&mut cmd, "cnrm", lang, &mut out);
        out
    }

    /// `--help` speaks one language: the French pages hold no English sentence of ours or of
    /// clap's, the English pages no French.
    #[test]
    fn help_pages_are_in_one_language() {
        // Words, leaving out option names (`--output`) and file names (`modele-plan.xlsx`).
        let words = |page: &str| -> Vec<String> {
            page.split_whitespace()
                .filter(|w| !w.contains("--") && !w.contains('.'))
                .flat_map(|w| w.split(|c: char| !c.is_alphanumeric() && c != '\''))
                .map(str::to_lowercase)
                .collect()
        };
        let english = [
            "the", "output", "print", "only", "when", "with", "usage", "default", "possible",
            "values", "commands", "file", "of", "and", "or", "this", "one",
        ];
        for (path, page) in help_pages(Lang::Fr) {
            let w = words(&page);
            for e in english {
                assert!(
                    !w.iter().any(|x| x == e),
                    "`{e}` in `{path} --help`:\n{page}"
                );
            }
        }
        let french = [
            "le",
            "la",
            "les",
            "des",
            "une",
            "fichier",
            "sortie",
            "afficher",
            "tâche",
            "défaut",
            "utilisation",
        ];
        for (path, page) in help_pages(Lang::En) {
            let w = words(&page);
            for f in french {
                assert!(
                    !w.iter().any(|x| x == f),
                    "`{f}` in `{path} --help`:\n{page}"
                );
            }
        }
    }

    /// Every option and argument of every command says what it is, in French and English.
    #[test]
    fn every_argument_is_described() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                match arg.get_help().map(|h| h.to_string()) {
                    Some(h) if !h.trim().is_empty() => {}
                    _ => missing.push(format!("{path} {id}")),
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_name() == "help" {
                    continue;
                }
                if sub.get_about().is_none() {
                    missing.push(format!("{path} {} (the command)", sub.get_name()));
                }
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut cmd = Cli::command();
        cmd.build();
        let mut missing = Vec::new();
        walk(&cmd, "cnrm", &mut missing);
        assert!(missing.is_empty(), "without a description: {missing:#?}");
    }
}
