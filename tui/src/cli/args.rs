//! The arguments as the user typed them, as `../shared/spec/cli.md` defines them: names, options
//! and environment variables are a contract that scripts rely on. The global options are
//! `context::Global`.

use crate::context::{self, BadValue, Global};
use clap::{Args, Parser, Subcommand, ValueEnum};
use cnrm_engine::workflow::Status;
use std::path::PathBuf;

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
    /// Un classeur (.xlsx), avec --output / a workbook, with --output
    Xlsx,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Le plan (quand la base en contient plusieurs) / the plan
    #[arg(long, value_name = "ID")]
    pub plan: Option<String>,
    /// Période : T3 2025, S1 2026, 2025-09, 2025 (par défaut le trimestre en cours)
    #[arg(long, value_name = "PERIOD", conflicts_with_all = ["from", "to"])]
    pub period: Option<String>,
    /// Début de la période (AAAA-MM-JJ ou JJ/MM/AAAA) / period start
    #[arg(long, value_name = "DATE", requires = "to", value_parser = day_text)]
    pub from: Option<String>,
    /// Fin de la période (AAAA-MM-JJ ou JJ/MM/AAAA) / period end
    #[arg(long, value_name = "DATE", requires = "from", value_parser = day_text)]
    pub to: Option<String>,
    /// Format / output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
    /// Table CSV : summary, priorities, funders, late, indicators
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
    /// Seulement les tâches de ce responsable / only this owner's tasks
    #[arg(long, value_name = "ID")]
    pub owner: Option<String>,
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
    /// Format de sortie / output format
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
    /// Un classeur (.xlsx), avec --output / a workbook, with --output
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
