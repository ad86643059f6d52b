//! The command line, as `../shared/spec/cli.md` defines it: names, options and environment
//! variables are a contract that scripts rely on.

use clap::{Args, Parser, Subcommand, ValueEnum};
use cnrm_engine::Lang;
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
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// Base de données : chemin SQLite, sqlite://… ou postgres://… / database URL
    #[arg(long, global = true, env = "CNRM_DATABASE_URL", value_name = "URL")]
    pub db: Option<String>,
    /// Langue des messages : fr ou en / language of human output
    #[arg(long, global = true, env = "CNRM_LANG", default_value = "fr", value_parser = parse_lang)]
    pub lang: Lang,
    /// Qui agit (enregistré dans l'historique) / who is acting
    #[arg(long = "as", global = true, env = "CNRM_ACTOR", value_name = "NAME")]
    pub actor: Option<String>,
    /// Date courante simulée, YYYY-MM-DD ou RFC 3339 / pretend the current time is TIME
    #[arg(long, global = true, env = "CNRM_NOW", value_name = "TIME")]
    pub now: Option<String>,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Vérifier et charger des plans / check and load plan files
    #[command(subcommand)]
    Plan(PlanCommand),
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Vérifier des fichiers de plan (toutes les erreurs en une fois) / check plan files
    Check(CheckArgs),
    /// Afficher le schéma JSON du format (pour l'éditeur) / print the JSON Schema of the format
    Schema,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum CheckFormat {
    #[default]
    Human,
    Json,
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
