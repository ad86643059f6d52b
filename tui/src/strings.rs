//! Every label and sentence the command prints, in French and English.

use cnrm_engine::{tr, Lang};

pub fn unreadable(lang: Lang, file: &str, why: &str) -> String {
    tr!(
        lang,
        "impossible de lire `{file}` : {why}",
        "cannot read `{file}`: {why}"
    )
}

pub fn not_utf8(lang: Lang, file: &str) -> String {
    tr!(
        lang,
        "impossible de lire `{file}` : ce n'est pas un texte UTF-8 (enregistrez-le en UTF-8)",
        "cannot read `{file}`: it is not UTF-8 text (save it as UTF-8)"
    )
}

/// `plans/x.yaml : 2 erreurs, 1 avertissement`.
pub fn check_summary(lang: Lang, file: &str, errors: usize, warnings: usize) -> String {
    match (errors, warnings) {
        (0, 0) => tr!(
            lang,
            "{file}\u{a0}: valide, aucun problème",
            "{file}: valid, no problems"
        ),
        (0, w) => tr!(
            lang,
            "{file}\u{a0}: valide, {w} avertissement{}",
            "{file}: valid, {w} warning{}",
            plural(lang, w)
        ),
        (e, w) => tr!(
            lang,
            "{file}\u{a0}: {e} erreur{}, {w} avertissement{}\u{a0}; le plan est refusé",
            "{file}: {e} error{}, {w} warning{}; the plan is rejected",
            plural(lang, e),
            plural(lang, w)
        ),
    }
}

/// After `plan check`'s summary, for a plan whose recurring tasks have resources.
pub fn recurring_resources(lang: Lang, tasks: usize, example: &str, occurrences: usize) -> String {
    let (t, o) = (plural(lang, tasks), plural(lang, occurrences));
    match lang {
        Lang::Fr => format!(
            "Les ressources d'une tâche récurrente comptent pour chaque occurrence\u{a0}: {tasks} tâche{t} récurrente{t} {} des ressources (par exemple `{example}`\u{a0}: {occurrences} occurrence{o}, donc {occurrences} fois ses ressources).",
            if tasks > 1 { "ont" } else { "a" }
        ),
        Lang::En => format!(
            "The resources of a recurring task count for each occurrence: {tasks} recurring task{t} {} resources (for example `{example}`: {occurrences} occurrence{o}, so {occurrences} times its resources).",
            if tasks == 1 { "has" } else { "have" }
        ),
    }
}

/// After the first diagnostics of a file in human output: how many are not shown.
pub fn more_diagnostics(lang: Lang, n: usize, shown: usize) -> String {
    let s = plural(lang, n);
    match lang {
        Lang::Fr => format!(
            "… et {n} autre{s} diagnostic{s} non affiché{s} (seuls les {shown} premiers le sont)\u{a0}; `--format json` les donne tous"
        ),
        Lang::En => format!(
            "… and {n} more diagnostic{s} not shown (only the first {shown} are); `--format json` gives them all"
        ),
    }
}

/// The plural `s` of a counted word: French from 2 on (0 and 1 singular), English for every
/// count but 1.
fn plural(lang: Lang, n: usize) -> &'static str {
    let many = match lang {
        Lang::Fr => n > 1,
        Lang::En => n != 1,
    };
    if many {
        "s"
    } else {
        ""
    }
}

/// What separates a label from what follows: `\u{a0}: ` in French, `: ` in English.
pub fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "\u{a0}: ",
        Lang::En => ": ",
    }
}

/// What starts an error line: `erreur : ` or `error: `.
pub fn error_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "erreur : ",
        Lang::En => "error: ",
    }
}

pub fn warnings_seen(lang: Lang, file: &str, n: usize) -> String {
    tr!(
        lang,
        "{file}\u{a0}: {n} avertissement{}\u{a0}; détail avec `cnrm plan check {file}`",
        "{file}: {n} warning{}; details with `cnrm plan check {file}`",
        plural(lang, n)
    )
}

pub fn nothing_written(lang: Lang) -> String {
    tr!(
        lang,
        "le plan n'a pas été appliqué\u{a0}: rien n'a été écrit",
        "the plan was not applied: nothing was written"
    )
}

pub fn bad_duration(
    lang: Lang,
    text: &str,
    why: cnrm_engine::plan::values::DurationError,
) -> String {
    match why {
        cnrm_engine::plan::values::DurationError::Form => tr!(
            lang,
            "durée `{text}` illisible\u{a0}: écrivez un nombre entier de jours ou de semaines, par exemple 14j, 14d ou 2w",
            "duration `{text}` is unreadable: write a whole number of days or weeks, for example 14d, 14j or 2w"
        ),
        cnrm_engine::plan::values::DurationError::TooLong => tr!(
            lang,
            "durée `{text}` trop longue\u{a0}: au plus 3650 jours (10 ans)",
            "duration `{text}` is too long: at most 3650 days (10 years)"
        ),
    }
}

pub fn bad_number(lang: Lang, what: &str, text: &str) -> String {
    tr!(
        lang,
        "{what} `{text}` n'est pas un nombre",
        "{what} `{text}` is not a number"
    )
}

pub fn bad_date(lang: Lang, text: &str) -> String {
    tr!(
        lang,
        "date `{text}` illisible : AAAA-MM-JJ ou JJ/MM/AAAA (2025-12-31 ou 31/12/2025)",
        "date `{text}` is unreadable: YYYY-MM-DD or DD/MM/YYYY (2025-12-31 or 31/12/2025)"
    )
}

pub fn no_change(lang: Lang, plan: &str) -> String {
    tr!(
        lang,
        "plan {plan}\u{a0}: rien à appliquer, la base est à jour",
        "plan {plan}: nothing to apply, the database is up to date"
    )
}

pub fn revision_applied(lang: Lang, plan: &str, rev: i64, actor: &str) -> String {
    tr!(
        lang,
        "plan {plan}\u{a0}: révision {rev} appliquée par {actor}",
        "plan {plan}: revision {rev} applied by {actor}"
    )
}

pub fn diff_header(lang: Lang, plan: &str) -> String {
    tr!(
        lang,
        "plan {plan}\u{a0}: changements que `cnrm plan apply` ferait (rien n'est écrit)",
        "plan {plan}: changes `cnrm plan apply` would make (nothing is written)"
    )
}

/// `3 ajoutés`, `1 modifié`: a count of items of any kind (owners, priorities, indicators,
/// tasks), agreed by number.
pub fn change_label(lang: Lang, kind: &str, n: usize) -> String {
    let (one, many, en) = match kind {
        "added" => ("ajouté", "ajoutés", "added"),
        "changed" => ("modifié", "modifiés", "changed"),
        "archived" => ("archivé", "archivés", "archived"),
        "restored" => ("restauré", "restaurés", "restored"),
        "renamed" => ("renommé", "renommés", "renamed"),
        _ => ("inchangé", "inchangés", "unchanged"),
    };
    match lang {
        Lang::Fr => format!("{n} {}", if n > 1 { many } else { one }),
        Lang::En => format!("{n} {en}"),
    }
}

pub fn and_more(lang: Lang, n: usize) -> String {
    tr!(lang, "… et {n} autres", "… and {n} more")
}

pub fn days_signed(lang: Lang, days: i64) -> String {
    match lang {
        Lang::Fr => format!("{days:+} j"),
        Lang::En => format!("{days:+} d"),
    }
}

pub fn task_set_done(lang: Lang, id: &str, from: &str, to: &str, progress: i64) -> String {
    tr!(
        lang,
        "{id}\u{a0}: {from} → {to} ({progress}\u{a0}%)",
        "{id}: {from} → {to} ({progress}%)"
    )
}

/// `amount` carries its currency (`1 250 000 FCFA`).
pub fn spent(lang: Lang, id: &str, amount: &str) -> String {
    tr!(
        lang,
        "{id}\u{a0}: dépense de {amount} enregistrée",
        "{id}: spending of {amount} recorded"
    )
}

/// A spending that takes a task to ten times its budget or more: recorded, but likely a zero too
/// many; the sentence says how to cancel it (the command, or the UI's key when `ui`).
pub fn overspent(
    lang: Lang,
    id: &str,
    r: &cnrm_engine::store::SpendResult,
    times: f64,
    ui: bool,
) -> String {
    let spent = cnrm_engine::text::money(r.spent, &r.currency);
    let planned = cnrm_engine::text::money(r.planned, &r.currency);
    let times = value(lang, (times * 10.0).floor() / 10.0);
    let entry = r.entry;
    let undo = match (ui, lang) {
        (true, Lang::Fr) => format!("c l'annule (dépense n°\u{a0}{entry})"),
        (true, Lang::En) => format!("c cancels it (spending #{entry})"),
        (false, Lang::Fr) => {
            format!("pour l'annuler\u{a0}: cnrm task spend {id} --cancel {entry}")
        }
        (false, Lang::En) => format!("to cancel it: cnrm task spend {id} --cancel {entry}"),
    };
    tr!(
        lang,
        "⚠ attention\u{a0}: {id} a maintenant {spent} de dépenses, {times} fois son budget prévu ({planned})\u{a0}; vérifiez le montant (un zéro de trop\u{a0}?)\u{a0}; {undo}",
        "⚠ warning: {id} now has {spent} spent, {times} times its planned budget ({planned}); check the amount (a zero too many?); {undo}"
    )
}

pub fn indicator_recorded(lang: Lang, id: &str, value: f64, plan: &str) -> String {
    tr!(
        lang,
        "{id} ({plan})\u{a0}: valeur {value} enregistrée",
        "{id} ({plan}): value {value} recorded"
    )
}

pub fn no_tasks(lang: Lang) -> String {
    tr!(lang, "aucune tâche ne correspond", "no task matches")
}

pub fn no_plans(lang: Lang) -> String {
    tr!(
        lang,
        "aucun plan dans la base\u{a0}: `cnrm plan apply FICHIER`",
        "no plan in the database: `cnrm plan apply FILE`"
    )
}

/// Column headers of `cnrm tasks`.
/// `cnrm --plan ID tasks`: `--plan` goes after the command it is for.
pub fn plan_before_command(lang: Lang, command: &str) -> String {
    tr!(
        lang,
        "`--plan` avant la commande n'ouvre que l'interface\u{a0}: écrivez `{command} --plan ID`",
        "`--plan` before the command only opens the UI: write `{command} --plan ID`"
    )
}

/// The plan column's header in lists of several plans.
pub fn plan_header(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "PLAN",
        Lang::En => "PLAN",
    }
}

pub fn task_headers(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::Fr => ["ID", "ÉCHÉANCE", "STATUT", "%", "RESPONSABLES", "TITRE"],
        Lang::En => ["ID", "DEADLINE", "STATUS", "%", "OWNERS", "TITLE"],
    }
}

pub fn late_by(lang: Lang, days: i64) -> String {
    tr!(lang, "{days} j de retard", "{days} d late")
}

pub fn continuous(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "continu",
        Lang::En => "ongoing",
    }
}

/// The one sentence a user reads for a database error, in their language.
pub fn store_error(lang: Lang, e: &cnrm_engine::store::StoreError) -> String {
    use cnrm_engine::store::StoreError as E;
    let cannot_open = |url: &str, reason: &str| {
        tr!(
            lang,
            "impossible d'ouvrir la base de données {url} : {reason}",
            "cannot open the database {url}: {reason}"
        )
    };
    match e {
        E::Url(e) => bad_db(lang, e),
        E::Folder { url, source } => tr!(
            lang,
            "impossible de créer le dossier de la base de données {url} : {}",
            "cannot create the folder of the database {url}: {}",
            io_reason(lang, source)
        ),
        E::NoFolder { url } => tr!(
            lang,
            "le dossier de la base de données {url} n'existe pas : créez-le ou corrigez le chemin",
            "the folder of the database {url} does not exist: create it or correct the path"
        ),
        E::NotAFile { url } => cannot_open(
            url,
            &tr!(
                lang,
                "ce n'est pas un fichier ordinaire",
                "it is not a regular file"
            ),
        ),
        E::NotSqlite { url } => tr!(
            lang,
            "{url} n'est pas une base de données SQLite : donnez le chemin d'une base cnrm ou d'un fichier à créer",
            "{url} is not a SQLite database: give the path of a cnrm database or of a file to create"
        ),
        E::Foreign { url } => tr!(
            lang,
            "{url} est la base de données d'un autre programme (elle contient des tables, mais pas celles de cnrm)\u{a0}: elle n'a pas été modifiée\u{a0}; donnez le chemin d'une base cnrm ou d'un fichier à créer",
            "{url} is another program's database (it holds tables, but not cnrm's): it was left untouched; give the path of a cnrm database or of a file to create"
        ),
        E::Busy { url, seconds } => tr!(
            lang,
            "la base {url} est restée occupée par un autre processus pendant {seconds}\u{a0}s\u{a0}: rien n'a été enregistré\u{a0}; réessayez quand il aura fini",
            "the database {url} stayed busy with another process for {seconds} s: nothing was recorded; try again when it has finished"
        ),
        E::File { url, source } => cannot_open(url, &io_reason(lang, source)),
        E::NoDatabase { url } => tr!(
            lang,
            "la base de données {url} n'existe pas sur son serveur : créez-la (createdb) ou corrigez son nom",
            "the database {url} does not exist on its server: create it (createdb) or correct its name"
        ),
        E::Refused { url, host } => tr!(
            lang,
            "le serveur {host} refuse la connexion à la base de données {url} : PostgreSQL est-il démarré et à l'écoute sur ce port ?",
            "the server {host} refuses the connection to the database {url}: is PostgreSQL running and listening on that port?"
        ),
        E::Unreachable { url, host } => tr!(
            lang,
            "le serveur {host} de la base de données {url} est injoignable : vérifiez son nom et le réseau",
            "the server {host} of the database {url} cannot be reached: check its name and the network"
        ),
        E::TimedOut { url, seconds } => tr!(
            lang,
            "le serveur de la base de données {url} n'a pas répondu en {seconds} s",
            "the server of the database {url} did not answer within {seconds} s"
        ),
        E::Auth { url } => tr!(
            lang,
            "authentification refusée pour la base de données {url} : vérifiez l'utilisateur et le mot de passe",
            "authentication failed for the database {url}: check the user name and the password"
        ),
        E::Connect { url, source } => cannot_open(url, &driver_reason(lang, source)),
        E::Migrate { url, .. } => tr!(
            lang,
            "impossible de mettre à jour le schéma de la base de données {url} : elle n'a pas été modifiée",
            "cannot bring the schema of the database {url} up to date: it was left untouched"
        ),
        E::Newer { url, found, known } => tr!(
            lang,
            "la base {url} a un schéma plus récent ({found}) que ce cnrm ({known})\u{a0}: mettez cnrm à jour\u{a0}; la base n'a pas été modifiée",
            "the database {url} has a newer schema ({found}) than this cnrm ({known}): upgrade cnrm; the database was left untouched"
        ),
        E::Database(source) if cnrm_engine::store::is_busy(source) => tr!(
            lang,
            "la base est restée occupée par un autre processus pendant {}\u{a0}s\u{a0}: rien n'a été enregistré\u{a0}; réessayez quand il aura fini",
            "the database stayed busy with another process for {} s: nothing was recorded; try again when it has finished",
            cnrm_engine::store::BUSY_LIMIT.as_secs()
        ),
        E::Database(source) => tr!(
            lang,
            "erreur de la base de données : {}",
            "database error: {}",
            driver_reason(lang, source)
        ),
        E::Corrupt(what) => tr!(
            lang,
            "donnée illisible dans la base ({what})\u{a0}: réappliquez le plan",
            "unreadable data in the database ({what}): apply the plan again"
        ),
        E::NoTask(id) => tr!(
            lang,
            "aucune tâche `{id}` dans la base (voir `cnrm tasks`)",
            "no task `{id}` in the database (see `cnrm tasks`)"
        ),
        E::Ambiguous { id, plans } => tr!(
            lang,
            "la tâche `{id}` existe dans plusieurs plans ({plans})\u{a0}: précisez `--plan`",
            "task `{id}` exists in several plans ({plans}): add `--plan`"
        ),
        E::NoPlan(id) => tr!(
            lang,
            "aucun plan `{id}` dans la base (voir `cnrm plans`)",
            "no plan `{id}` in the database (see `cnrm plans`)"
        ),
        E::NoIndicator(id) => tr!(
            lang,
            "aucun indicateur `{id}` dans la base",
            "no indicator `{id}` in the database"
        ),
        E::Archived(id) => tr!(
            lang,
            "la tâche `{id}` est archivée (retirée du plan)\u{a0}: rien n'a été enregistré",
            "task `{id}` is archived (removed from the plan): nothing was recorded"
        ),
        E::NeedPlan(ids) => tr!(
            lang,
            "plusieurs plans dans la base ({ids})\u{a0}: précisez `--plan`",
            "several plans in the database ({ids}): add `--plan`"
        ),
        E::Empty => tr!(
            lang,
            "aucun plan dans la base\u{a0}: appliquez-en un avec `cnrm plan apply FICHIER` ou `cnrm open FICHIER`",
            "no plan in the database: apply one with `cnrm plan apply FILE` or `cnrm open FILE`"
        ),
        E::BadProgress(p) => tr!(
            lang,
            "avancement invalide {p}\u{a0}: un pourcentage de 0 à 100 est attendu",
            "invalid progress {p}: a percentage from 0 to 100 is expected"
        ),
        E::NothingToRecord => tr!(
            lang,
            "rien à enregistrer\u{a0}: donnez --status, --progress ou --note",
            "nothing to record: give --status, --progress or --note"
        ),
        E::BadAmount(amount) => tr!(
            lang,
            "montant invalide {amount}\u{a0}: un nombre supérieur à 0 est attendu",
            "invalid amount {amount}: a number above 0 is expected"
        ),
        E::UnknownCurrency {
            currency,
            plan,
            plan_currency,
        } => tr!(
            lang,
            "devise `{currency}` inconnue pour le plan `{plan}` (devise {plan_currency}, EUR, ou une devise de `exchange_rates`)",
            "unknown currency `{currency}` for plan `{plan}` ({plan_currency}, EUR, or a currency of `exchange_rates`)"
        ),
        E::NoPolicy(plan) => tr!(
            lang,
            "le plan `{plan}` n'a pas de politique de rappels enregistrée\u{a0}: réappliquez-le",
            "plan `{plan}` has no recorded reminder policy: apply it again"
        ),
        E::NoEntry { id, entry, count } => {
            let n = entry_no(lang, *entry);
            match count {
                0 => tr!(
                    lang,
                    "`{id}` n'a aucune entrée enregistrée\u{a0}: rien à annuler",
                    "`{id}` has no recorded entry: nothing to cancel"
                ),
                1 => tr!(
                    lang,
                    "`{id}` n'a pas d'entrée {n}\u{a0}: une seule est enregistrée (n°\u{a0}1)",
                    "`{id}` has no entry {n}: only one is recorded (#1)"
                ),
                c => tr!(
                    lang,
                    "`{id}` n'a pas d'entrée {n}\u{a0}: {c} sont enregistrées (n°\u{a0}1 à {c})",
                    "`{id}` has no entry {n}: {c} are recorded (#1 to #{c})"
                ),
            }
        }
        E::AlreadyCancelled { id, entry } => {
            let n = entry_no(lang, *entry);
            tr!(
                lang,
                "l'entrée {n} de `{id}` est déjà annulée\u{a0}: rien n'a été enregistré",
                "entry {n} of `{id}` is already cancelled: nothing was recorded"
            )
        }
        E::AlreadyReceived(id) => tr!(
            lang,
            "le message {id} a déjà été reçu\u{a0}: rien n'est appliqué une seconde fois",
            "message {id} was already received: nothing is applied twice"
        ),
        E::NoMessage(id) => tr!(
            lang,
            "aucun message n° {id} dans la boîte d'envoi (voir `cnrm outbox`)",
            "no message #{id} in the outbox (see `cnrm outbox`)"
        ),
        E::UnknownOwner { owner, suggestion } => match suggestion {
            Some(s) => tr!(
                lang,
                "aucun responsable `{owner}` dans la base\u{a0}; vouliez-vous dire `{s}`\u{a0}?",
                "no owner `{owner}` in the database; did you mean `{s}`?"
            ),
            None => tr!(
                lang,
                "aucun responsable `{owner}` dans la base (les responsables sont dans le fichier du plan, `owners`)",
                "no owner `{owner}` in the database (owners are in the plan file, `owners`)"
            ),
        },
        E::FutureDate { date, today } => {
            let (date, today) = (day(lang, &date.to_string()), day(lang, &today.to_string()));
            tr!(
                lang,
                "la date {date} est après aujourd'hui ({today})\u{a0}: un changement est daté du jour où il a eu lieu\u{a0}; rien n'a été enregistré",
                "the date {date} is after today ({today}): a change is dated the day it happened; nothing was recorded"
            )
        }
        E::BeforePlan { date, plan, start } => {
            let (date, start) = (day(lang, &date.to_string()), day(lang, &start.to_string()));
            tr!(
                lang,
                "la date {date} est avant le début du plan `{plan}` ({start})\u{a0}; rien n'a été enregistré",
                "the date {date} is before the start of plan `{plan}` ({start}); nothing was recorded"
            )
        }
    }
}

// ---- plan diff / apply: field-level changes ----------------------------------------------------

/// The title of the field-level list.
pub fn changes_title(lang: Lang) -> String {
    tr!(lang, "Modifications\u{a0}:", "Changes:")
}

/// The heading of the added tasks' details in `plan diff` and `plan apply`.
pub fn added_title(lang: Lang) -> String {
    tr!(lang, "Ajouts\u{a0}:", "Added:")
}

/// One field of an added item: `échéance : T3 2025`.
pub fn field_value(lang: Lang, label: &str, value: &str) -> String {
    tr!(lang, "{label}\u{a0}: {value}", "{label}: {value}")
}

/// The one line of items that only moved in the file: `⇅ 15 déplacés dans le fichier (rang
/// seul, rien d'autre ne change)`.
pub fn reordered(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Fr => format!(
            "{n} {} dans le fichier (rang seul, rien d'autre ne change)",
            if n > 1 { "déplacés" } else { "déplacé" }
        ),
        Lang::En => format!("{n} moved in the file (position only, nothing else changes)"),
    }
}

/// A task missing from the file that is archived with what it holds, and the added task of the
/// same title that may be it under a new id.
pub fn archived_with_state(
    lang: Lang,
    id: &str,
    held: &[String],
    same_title: Option<&str>,
) -> String {
    let held = held.join(", ");
    let mut line = tr!(
        lang,
        "avertissement\u{a0}: la tâche {id} n'est plus dans le fichier et est archivée avec {held}",
        "warning: task {id} is no longer in the file and is archived with {held}"
    );
    if let Some(new) = same_title {
        // `renamed_from` names a task, not one of its occurrences.
        let old = id.split('@').next().unwrap_or(id);
        line.push_str(&tr!(
            lang,
            "\u{a0}; la tâche ajoutée {new} a le même titre\u{a0}: si c'est la même, écrivez `renamed_from: {old}` dans {new} pour qu'elle garde son état",
            "; added task {new} has the same title: if it is the same task, write `renamed_from: {old}` in {new} so that it keeps its state"
        ));
    }
    line
}

/// What an archived task holds, each part for `archived_with_state`: `le statut « en cours »`,
/// `40 % d'avancement`, `150 000 FCFA dépensés`.
pub fn held_status(lang: Lang, status: &str) -> String {
    let s = quoted(lang, status);
    tr!(lang, "le statut {s}", "status {s}")
}

pub fn held_progress(lang: Lang, progress: i64) -> String {
    tr!(
        lang,
        "{progress}\u{a0}% d'avancement",
        "{progress}% progress"
    )
}

pub fn held_spent(lang: Lang, amount: &str) -> String {
    tr!(lang, "{amount} dépensés", "{amount} spent")
}

/// `tâche a2`: the kind and id of a changed item.
pub fn item_kind(lang: Lang, kind: &str, id: &str) -> String {
    let (fr, en) = match kind {
        "plan" => ("plan", "plan"),
        "owner" => ("responsable", "owner"),
        "priority" => ("priorité", "priority"),
        "indicator" => ("indicateur", "indicator"),
        _ => ("tâche", "task"),
    };
    match lang {
        Lang::Fr => format!("{fr} {id}"),
        Lang::En => format!("{en} {id}"),
    }
}

/// The name of a field of the plan format, as a reader says it.
pub fn field_label(lang: Lang, field: &str) -> String {
    let (fr, en) = match field {
        "title" => ("titre", "title"),
        "description" => ("description", "description"),
        "owners" => ("responsables", "owners"),
        "partners" => ("partenaires", "partners"),
        "start" => ("début", "start"),
        "deadline" => ("échéance", "deadline"),
        "due" => ("échéance", "due"),
        "repeat" => ("récurrence", "repeat"),
        "milestone" => ("jalon", "milestone"),
        "depends_on" => ("dépendances", "depends on"),
        "reminders" => ("rappels", "reminders"),
        "resources" => ("ressources", "resources"),
        "budget" => ("budget prévu", "planned budget"),
        "priority" => ("priorité", "priority"),
        "position" => ("rang dans le plan", "position in the plan"),
        "name" => ("nom", "name"),
        "short" => ("sigle", "short name"),
        "email" => ("e-mail", "e-mail"),
        "language" => ("langue", "language"),
        "parent" => ("parent", "parent"),
        "lead" => ("pilote", "lead"),
        "aligned_with" => ("alignement", "aligned with"),
        "unit" => ("unité", "unit"),
        "baseline" => ("valeur de référence", "baseline"),
        "target" => ("cible", "target"),
        "period" => ("période", "period"),
        "timezone" => ("fuseau horaire", "time zone"),
        "currency" => ("devise", "currency"),
        "secretariat" => ("secrétariat", "secretariat"),
        "exchange_rates" => ("taux de change", "exchange rates"),
        "calendar" => ("calendrier", "calendar"),
        "kind" => ("nature", "kind"),
        "amount" => ("montant", "amount"),
        "funder" => ("bailleur", "funder"),
        "status" => ("statut", "status"),
        "quantity" => ("quantité", "quantity"),
        "label" => ("libellé", "label"),
        other => (other, other),
    };
    match lang {
        Lang::Fr => fr.to_string(),
        Lang::En => en.to_string(),
    }
}

/// `échéance : T3 2025 → T4 2025`.
pub fn field_change(lang: Lang, label: &str, from: &str, to: &str) -> String {
    tr!(
        lang,
        "{label}\u{a0}: {from} → {to}",
        "{label}: {from} → {to}"
    )
}

/// A field whose text is too long to show whole: `description modifiée`.
pub fn field_changed(lang: Lang, field: &str) -> String {
    match (lang, field) {
        (Lang::Fr, "description") => "description modifiée".into(),
        (Lang::Fr, "reminders") => "rappels modifiés".into(),
        (Lang::Fr, "calendar") => "calendrier modifié".into(),
        (Lang::Fr, "exchange_rates") => "taux de change modifiés".into(),
        (Lang::Fr, other) => format!("{} modifié", field_label(Lang::Fr, other)),
        (Lang::En, other) => format!("{} changed", field_label(Lang::En, other)),
    }
}

/// `(+92 jours)`: how far a deadline moved.
pub fn slip_days(lang: Lang, days: i64) -> String {
    let n = days.unsigned_abs();
    match lang {
        Lang::Fr => format!("({days:+} {})", if n > 1 { "jours" } else { "jour" }),
        Lang::En => format!("({days:+} {})", if n == 1 { "day" } else { "days" }),
    }
}

/// `ressource 2 (ue)`: one line of a task's resources, numbered from 1.
pub fn resource_line(lang: Lang, n: usize, funder: Option<&str>) -> String {
    let name = tr!(lang, "ressource {n}", "resource {n}");
    match funder {
        Some(f) => format!("{name} ({f})"),
        None => name,
    }
}

/// `2 lignes`: a number of resource lines.
pub fn resource_lines(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Fr => format!("{n} {}", if n > 1 { "lignes" } else { "ligne" }),
        Lang::En => format!("{n} {}", if n == 1 { "line" } else { "lines" }),
    }
}

/// A value of a closed set (`secured`, `quarterly`, `fr`, `true`, ...) in words.
pub fn value_word(lang: Lang, value: &str) -> String {
    let (fr, en) = match value {
        "secured" => ("acquis", "secured"),
        "pledged" => ("promis", "pledged"),
        "needed" => ("à rechercher", "needed"),
        "monthly" => ("mensuelle", "monthly"),
        "quarterly" => ("trimestrielle", "quarterly"),
        "yearly" => ("annuelle", "yearly"),
        "budget" => ("budget", "budget"),
        "staff" => ("personnel", "staff"),
        "equipment" => ("équipement", "equipment"),
        "other" => ("autre", "other"),
        "fr" => ("français", "French"),
        "en" => ("anglais", "English"),
        "true" => ("oui", "yes"),
        "false" => ("non", "no"),
        other => (other, other),
    };
    match lang {
        Lang::Fr => fr.to_string(),
        Lang::En => en.to_string(),
    }
}

/// `du 01/01/2025 au 31/12/2025`: a plan period, its dates already written for the reader.
pub fn period(lang: Lang, start: &str, end: &str) -> String {
    tr!(lang, "du {start} au {end}", "{start} to {end}")
}

/// Why occurrences of recurring tasks are archived, added or restored: the period's new end.
/// `kind`: `archived`, `added` or `restored`; `end` written for the reader.
pub fn period_occurrences(lang: Lang, kind: &str, n: usize, end: &str) -> String {
    let many = n > 1;
    let fr = match (kind, many) {
        ("archived", false) => "occurrence archivée",
        ("archived", true) => "occurrences archivées",
        ("added", false) => "occurrence ajoutée",
        ("added", true) => "occurrences ajoutées",
        (_, false) => "occurrence restaurée",
        (_, true) => "occurrences restaurées",
    };
    let en = if n == 1 { "occurrence" } else { "occurrences" };
    let done = match kind {
        "archived" => "archived",
        "added" => "added",
        _ => "restored",
    };
    tr!(
        lang,
        "{n} {fr}\u{a0}: la période se termine désormais le {end}",
        "{n} {en} {done}: the period now ends on {end}",
    )
}

/// A `renamed_from` that names nothing in the database: the item is added as new.
pub fn renamed_from_unknown(lang: Lang, kind: &str, id: &str, old: &str) -> String {
    let fr = match kind {
        "owner" => format!("le responsable {id} est ajouté comme nouveau"),
        "priority" => format!("la priorité {id} est ajoutée comme nouvelle"),
        "indicator" => format!("l'indicateur {id} est ajouté comme nouveau"),
        _ => format!("la tâche {id} est ajoutée comme nouvelle"),
    };
    let en = match kind {
        "owner" => "owner",
        "priority" => "priority",
        "indicator" => "indicator",
        _ => "task",
    };
    tr!(
        lang,
        "avertissement\u{a0}: `renamed_from: {old}` ne désigne rien dans la base\u{a0}: {fr}",
        "warning: `renamed_from: {old}` names nothing in the database: {en} {id} is added as new",
    )
}

/// An empty list or an absent value, in either language.
pub fn nothing() -> &'static str {
    "—"
}

// History, corrections and indicators: `task show`, `indicators`, `indicator show`, the
// terminal UI's history screen. French with its non-breaking spaces (U+00A0) before `:` and `%`
// and inside « ».

/// An event's instant as a reader writes it: `15/10/2025 08:00` (`2025-10-15 08:00` in
/// English), in UTC as stored (Mali's time); any unreadable text as it is.
pub fn when(lang: Lang, at: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => {
            let t = t.with_timezone(&chrono::Utc);
            match lang {
                Lang::Fr => t.format("%d/%m/%Y %H:%M").to_string(),
                Lang::En => t.format("%Y-%m-%d %H:%M").to_string(),
            }
        }
        Err(_) => at.to_string(),
    }
}

/// A stored day as a reader writes it: `30/09/2025` in French, `2025-09-30` in English.
pub fn day(lang: Lang, day: &str) -> String {
    match lang {
        Lang::Fr => cnrm_engine::text::french_date(day),
        Lang::En => day.to_string(),
    }
}

/// A deadline as shown to people: the label as written, and its day when they differ
/// (`T3 2025 (30/09/2025)`); `continu` for none.
pub fn deadline(lang: Lang, label: &str, deadline: Option<&str>) -> String {
    match deadline {
        None => continuous(lang).to_string(),
        Some(d) if d != label => format!("{label} ({})", day(lang, d)),
        Some(d) => day(lang, d),
    }
}

/// A measured value: `1 500`, `12,5` in French, `12.5` in English (two decimals at most).
pub fn value(lang: Lang, v: f64) -> String {
    let rounded = (v * 100.0).round() / 100.0;
    let whole = cnrm_engine::text::group_thousands(rounded.trunc());
    let cents = ((rounded.abs().fract()) * 100.0).round() as u32;
    let sign = if rounded < 0.0 && rounded.trunc() == 0.0 {
        "-"
    } else {
        ""
    };
    if cents == 0 {
        return format!("{sign}{whole}");
    }
    let decimals = format!("{cents:02}");
    let decimals = decimals.trim_end_matches('0');
    match lang {
        Lang::Fr => format!("{sign}{whole},{decimals}"),
        Lang::En => format!("{sign}{whole}.{decimals}"),
    }
}

/// `n° 3` / `#3`.
pub fn entry_no(lang: Lang, n: i64) -> String {
    tr!(lang, "n°\u{a0}{n}", "#{n}")
}

/// `« texte »` / `"text"`.
pub fn quoted(lang: Lang, text: &str) -> String {
    tr!(lang, "«\u{a0}{text}\u{a0}»", "\"{text}\"")
}

/// One line of a history: `15/10/2025 08:00 — root — statut : à faire → en cours`.
pub fn history_line(lang: Lang, at: &str, actor: &str, what: &str) -> String {
    format!("{} — {actor} — {what}", when(lang, at))
}

/// `task show` of a recurring task's own id: what follows is one of its occurrences.
pub fn recurring_task(lang: Lang, base: &str, n: usize, shown: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "{base}\u{a0}: tâche récurrente, {n} occurrence{}\u{a0}; ci-dessous {shown}, listées à la fin",
            if n > 1 { "s" } else { "" }
        ),
        Lang::En => format!(
            "{base}: recurring task, {n} occurrence{}; {shown} below, all listed at the end",
            if n == 1 { "" } else { "s" }
        ),
    }
}

/// The status of an archived task: `archivée (à faire)`; never late, it is out of the plan.
pub fn archived_status(lang: Lang, status: &str) -> String {
    tr!(lang, "archivée ({status})", "archived ({status})")
}

/// `task show` of an archived task.
pub fn archived_since(lang: Lang, revision: Option<i64>) -> String {
    match revision {
        Some(r) => tr!(
            lang,
            "Archivée depuis la révision {r} (retirée du plan)",
            "Archived since revision {r} (removed from the plan)"
        ),
        None => tr!(
            lang,
            "Archivée (retirée du plan)",
            "Archived (removed from the plan)"
        ),
    }
}

/// What a driver error means, without the driver's own (English) words: the kind of failure,
/// and the database's code when it gave one.
fn driver_reason(lang: Lang, e: &cnrm_engine::store::DriverError) -> String {
    use cnrm_engine::store::Cause;
    match Cause::of(e) {
        Cause::Io(kind) => tr!(
            lang,
            "la connexion a échoué ({})",
            "the connection failed ({})",
            kind_reason(lang, kind)
        ),
        Cause::Tls => tr!(
            lang,
            "la connexion chiffrée (TLS) a échoué",
            "the encrypted (TLS) connection failed"
        ),
        Cause::NoAnswer => tr!(
            lang,
            "la base de données ne répond pas",
            "the database does not answer"
        ),
        Cause::BadAddress => tr!(
            lang,
            "l'adresse de la base de données est mal formée",
            "the database address is malformed"
        ),
        Cause::Refused(Some(code)) => tr!(
            lang,
            "la base de données a refusé l'opération (code {code})",
            "the database refused the operation (code {code})"
        ),
        Cause::Refused(None) => tr!(
            lang,
            "la base de données a refusé l'opération",
            "the database refused the operation"
        ),
        Cause::Other => tr!(
            lang,
            "réponse inattendue de la base de données",
            "unexpected answer from the database"
        ),
    }
}

/// Why a file operation failed, in words (never the system's `os error N`).
pub fn io_reason(lang: Lang, e: &std::io::Error) -> String {
    kind_reason(lang, e.kind())
}

fn kind_reason(lang: Lang, kind: std::io::ErrorKind) -> String {
    use std::io::ErrorKind as K;
    let (fr, en) = match kind {
        K::NotFound => ("fichier ou dossier introuvable", "no such file or folder"),
        K::PermissionDenied => ("permission refusée", "permission denied"),
        K::IsADirectory => (
            "c'est un dossier, pas un fichier",
            "it is a folder, not a file",
        ),
        K::NotADirectory => (
            "un élément du chemin n'est pas un dossier",
            "part of the path is not a folder",
        ),
        K::AlreadyExists => ("le fichier existe déjà", "the file already exists"),
        K::StorageFull | K::QuotaExceeded => ("disque plein", "the disk is full"),
        K::ReadOnlyFilesystem => ("le disque est en lecture seule", "the disk is read-only"),
        K::InvalidFilename => ("nom de fichier invalide", "invalid file name"),
        K::FileTooLarge => ("fichier trop grand", "file too large"),
        K::InvalidData => ("contenu illisible", "unreadable content"),
        K::ConnectionRefused => ("connexion refusée", "connection refused"),
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe => {
            ("connexion interrompue", "connection lost")
        }
        K::TimedOut => ("délai dépassé", "timed out"),
        K::HostUnreachable | K::NetworkUnreachable | K::NetworkDown => {
            ("réseau injoignable", "network unreachable")
        }
        K::ResourceBusy => ("ressource occupée", "resource busy"),
        K::Unsupported => ("opération non prise en charge", "operation not supported"),
        _ => ("erreur d'entrée-sortie", "input/output error"),
    };
    match lang {
        Lang::Fr => fr.to_string(),
        Lang::En => en.to_string(),
    }
}

/// An error while writing the command's output (not a named file).
pub fn output_failed(lang: Lang, e: &std::io::Error) -> String {
    tr!(
        lang,
        "impossible d'écrire le résultat : {}",
        "cannot write the output: {}",
        io_reason(lang, e)
    )
}

/// Said on stderr when a write has waited a moment for another process's lock: it goes on
/// waiting, up to `seconds`.
pub fn busy_waiting(lang: Lang, seconds: u64) -> String {
    tr!(
        lang,
        "la base est occupée par un autre processus\u{a0}; j'attends… (au plus {seconds}\u{a0}s)",
        "the database is busy with another process; waiting… (at most {seconds} s)"
    )
}

/// Why `--db` is not a database address; the address itself is never repeated (it may hold a
/// password).
pub fn bad_db(lang: Lang, e: &cnrm_engine::store::DbUrlError) -> String {
    use cnrm_engine::store::DbUrlError as E;
    match e {
        E::Empty => tr!(
            lang,
            "l'adresse de la base de données est vide : donnez le chemin d'un fichier SQLite, sqlite://FICHIER ou postgres://…",
            "the database address is empty: give the path of a SQLite file, sqlite://FILE or postgres://…"
        ),
        E::Scheme(scheme) => tr!(
            lang,
            "les bases de données `{scheme}://` ne sont pas prises en charge : donnez le chemin d'un fichier SQLite, sqlite://FICHIER ou postgres://…",
            "`{scheme}://` databases are not supported: give the path of a SQLite file, sqlite://FILE or postgres://…"
        ),
        E::Control => tr!(
            lang,
            "l'adresse de la base de données contient un caractère de contrôle (saut de ligne, tabulation…) : retapez le chemin ou l'adresse",
            "the database address holds a control character (a line break, a tab…): type the path or the address again"
        ),
        E::Malformed(why) => {
            use cnrm_engine::url::UrlError as U;
            match why {
                U::BadPort => tr!(
                    lang,
                    "le port de l'adresse postgres:// n'est pas un nombre de 1 à 65535 (par exemple postgres://utilisateur:motdepasse@serveur:5432/base)",
                    "the port of the postgres:// address is not a number from 1 to 65535 (for example postgres://user:password@server:5432/database)"
                ),
                U::BadHost | U::NoScheme => tr!(
                    lang,
                    "le nom du serveur de l'adresse postgres:// n'est pas valide (par exemple postgres://utilisateur:motdepasse@serveur:5432/base)",
                    "the server name of the postgres:// address is not valid (for example postgres://user:password@server:5432/database)"
                ),
                U::BadEncoding => tr!(
                    lang,
                    "l'adresse postgres:// contient un encodage %XX invalide (écrivez % lui-même %25)",
                    "the postgres:// address holds an invalid %XX encoding (write % itself as %25)"
                ),
            }
        }
    }
}

// Why a typed value is refused: the end of « valeur `x` invalide pour --option ; … », so they do
// not repeat the value.

pub fn bad_lang(lang: Lang) -> String {
    tr!(
        lang,
        "valeurs possibles : fr, en",
        "possible values: fr, en"
    )
}

pub fn bad_now(lang: Lang) -> String {
    tr!(
        lang,
        "la date courante s'écrit AAAA-MM-JJ ou RFC 3339 (2025-10-01T09:00:00+00:00), entre les années 1900 et 2200",
        "the current time is written YYYY-MM-DD or RFC 3339 (2025-10-01T09:00:00+00:00), between the years 1900 and 2200"
    )
}

pub fn bad_status(lang: Lang) -> String {
    tr!(
        lang,
        "valeurs possibles : à faire, en cours, bloqué, suspendu, fait, annulé",
        "possible values: todo, in_progress, blocked, suspended, done, cancelled"
    )
}

pub fn bad_outbox_status(lang: Lang) -> String {
    tr!(
        lang,
        "valeurs possibles\u{a0}: en attente, envoyé, en échec, caduc",
        "possible values: pending, sent, failed, superseded"
    )
}

/// A message's state in the outbox, in words.
pub fn outbox_status(lang: Lang, status: &str) -> &'static str {
    let (fr, en) = match status {
        "sent" => ("envoyé", "sent"),
        "failed" => ("en échec", "failed"),
        "superseded" => ("caduc", "superseded"),
        _ => ("en attente", "pending"),
    };
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

/// A message's kind in the outbox, in words (the words `cnrm remind` uses).
pub fn outbox_kind(lang: Lang, kind: &str) -> &str {
    let (fr, en) = match kind {
        "reminder" => ("rappel", "reminder"),
        "escalation" => ("escalade", "escalation"),
        "digest" => ("récapitulatif", "digest"),
        "scan-error" => ("erreur d'analyse", "scan error"),
        "answer" => ("réponse", "answer"),
        other => (other, other),
    };
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

pub fn bad_day(lang: Lang) -> String {
    tr!(
        lang,
        "une date s'écrit AAAA-MM-JJ ou JJ/MM/AAAA (2025-12-31 ou 31/12/2025)",
        "a date is written YYYY-MM-DD or DD/MM/YYYY (2025-12-31 or 31/12/2025)"
    )
}

pub fn date_out_of_range(lang: Lang) -> String {
    tr!(
        lang,
        "une date doit être comprise entre les années 1900 et 2200",
        "a date must lie between the years 1900 and 2200"
    )
}

pub fn no_such_day(lang: Lang) -> String {
    tr!(lang, "cette date n'existe pas", "this date does not exist")
}

pub fn bad_amount(lang: Lang) -> String {
    tr!(
        lang,
        "un montant s'écrit comme 2500000, « 2 500 000 » ou « 2 500 000,50 »",
        "an amount is written like 2500000, \"2 500 000\" or \"2 500 000,50\""
    )
}

pub fn negative_amount(lang: Lang) -> String {
    tr!(
        lang,
        "une dépense est un montant positif",
        "spending is a positive amount"
    )
}

pub fn too_large(lang: Lang) -> String {
    tr!(
        lang,
        "le nombre est trop grand (au plus 10^15)",
        "the number is too large (at most 10^15)"
    )
}

pub fn bad_measure(lang: Lang) -> String {
    tr!(
        lang,
        "une valeur s'écrit comme 12, 12,5, -3 ou « 1 250 »",
        "a value is written like 12, 12.5, -3 or \"1 250\""
    )
}

pub fn bad_progress(lang: Lang) -> String {
    tr!(
        lang,
        "l'avancement doit être un nombre entier compris entre 0 et 100",
        "progress must be a whole number between 0 and 100"
    )
}

pub fn bad_count(lang: Lang) -> String {
    tr!(
        lang,
        "un nombre entier de 1 à 1000 est attendu",
        "a whole number from 1 to 1000 is expected"
    )
}

pub fn bad_days(lang: Lang) -> String {
    tr!(
        lang,
        "une durée s'écrit en jours ou en semaines, comme 14j, 14d ou 2w",
        "a duration is written in days or weeks, such as 14d or 2w"
    )
}

pub fn duration_too_long(lang: Lang) -> String {
    tr!(
        lang,
        "une durée est d'au plus 3650 jours (10 ans)",
        "a duration is at most 3650 days (10 years)"
    )
}

/// `(voir `cnrm tasks --help`)`: the hint ending every argument error.
pub fn see_help(lang: Lang, command: &str) -> String {
    tr!(
        lang,
        "(voir `{command} --help`)",
        "(see `{command} --help`)"
    )
}

/// An argument as an error names it: an option as typed (`--status`), a positional argument by
/// what it is (`le montant`).
pub fn arg_name(lang: Lang, arg: &str) -> String {
    let arg = arg.trim();
    if arg.starts_with('-') {
        return arg.split([' ', '=']).next().unwrap_or(arg).to_string();
    }
    let name = arg
        .trim_start_matches(['<', '['])
        .trim_end_matches(['>', ']', '.']);
    let (fr, en) = match name {
        // The French help names the values in French (`args::command`).
        "FILE" | "FICHIER" => ("le fichier", "the file"),
        "AMOUNT" | "MONTANT" => ("le montant", "the amount"),
        "VALUE" | "VALEUR" => ("la valeur", "the value"),
        "ID" => ("l'identifiant", "the id"),
        "ENTRY" | "NUMÉRO" => ("le numéro", "the entry number"),
        "N" => ("le nombre", "the number"),
        _ => return format!("`{name}`"),
    };
    match lang {
        Lang::Fr => fr.to_string(),
        Lang::En => en.to_string(),
    }
}

pub fn arg_unknown_option(lang: Lang, option: &str, suggestion: Option<&str>) -> String {
    match suggestion {
        Some(s) => tr!(
            lang,
            "option `{option}` inconnue ; vouliez-vous dire `{s}` ?",
            "unknown option `{option}`; did you mean `{s}`?"
        ),
        None => tr!(
            lang,
            "option `{option}` inconnue",
            "unknown option `{option}`"
        ),
    }
}

/// The marker of an archived task in `cnrm tasks --archived`.
pub fn archived_marker(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "archivée",
        Lang::En => "archived",
    }
}

/// `task show OLD-ID` after a rename.
pub fn task_renamed(lang: Lang, old: &str, new: &str) -> String {
    tr!(
        lang,
        "la tâche {old} a été renommée {new}\u{a0}; voir `cnrm task show {new}`",
        "task {old} was renamed {new}; see `cnrm task show {new}`"
    )
}

pub fn spending_cancelled(lang: Lang, id: &str, entry: i64, amount: &str) -> String {
    let n = entry_no(lang, entry);
    tr!(
        lang,
        "{id}\u{a0}: dépense {n} ({amount}) annulée\u{a0}; l'historique la garde",
        "{id}: spending {n} ({amount}) cancelled; the history keeps it"
    )
}

pub fn value_cancelled(lang: Lang, id: &str, entry: i64, value: &str) -> String {
    let n = entry_no(lang, entry);
    tr!(
        lang,
        "{id}\u{a0}: valeur {n} ({value}) annulée\u{a0}; l'historique la garde",
        "{id}: value {n} ({value}) cancelled; the history keeps it"
    )
}

pub fn bad_entry(lang: Lang, text: &str, listed_by: &str) -> String {
    tr!(
        lang,
        "--cancel `{text}` n'est pas un numéro d'entrée\u{a0}: un entier à partir de 1, comme `{listed_by}` les numérote",
        "--cancel `{text}` is not an entry number: a whole number from 1, as `{listed_by}` numbers them"
    )
}

pub fn amount_or_cancel(lang: Lang) -> String {
    tr!(
        lang,
        "donnez un montant (`cnrm task spend ID MONTANT`) ou `--cancel ENTRÉE`, pas les deux",
        "give an amount (`cnrm task spend ID AMOUNT`) or `--cancel ENTRY`, not both"
    )
}

pub fn value_or_cancel(lang: Lang) -> String {
    tr!(
        lang,
        "donnez une valeur (`cnrm indicator record ID VALEUR`) ou `--cancel ENTRÉE`, pas les deux",
        "give a value (`cnrm indicator record ID VALUE`) or `--cancel ENTRY`, not both"
    )
}

pub fn cancel_takes_no(lang: Lang, option: &str) -> String {
    tr!(
        lang,
        "`--cancel` ne prend pas `{option}`\u{a0}: il annule l'entrée telle qu'enregistrée",
        "`--cancel` takes no `{option}`: it cancels the entry as recorded"
    )
}

/// `task show`'s spending entries heading and line.
pub fn spendings_heading(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Dépenses\u{a0}:",
        Lang::En => "Spending:",
    }
}

/// `n° 1  15/10/2025  450 000 FCFA  « note »  (annulée)`.
pub fn entry_line(
    lang: Lang,
    n: i64,
    date: &str,
    what: &str,
    note: Option<&str>,
    cancelled: bool,
) -> String {
    let mut line = format!("{:<6} {}  {what}", entry_no(lang, n), day(lang, date));
    if let Some(note) = note.filter(|n| !n.trim().is_empty()) {
        line.push_str("  ");
        line.push_str(&quoted(lang, note.trim()));
    }
    if cancelled {
        line.push_str(match lang {
            Lang::Fr => "  (annulée)",
            Lang::En => "  (cancelled)",
        });
    }
    line
}

pub fn no_indicators(lang: Lang) -> String {
    tr!(
        lang,
        "aucun indicateur dans la base",
        "no indicator in the database"
    )
}

/// Column headers of `cnrm indicators`.
pub fn indicator_headers(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::Fr => [
            "ID",
            "PLAN",
            "RÉFÉRENCE",
            "CIBLE",
            "UNITÉ",
            "DERNIÈRE VALEUR",
            "ATTEINTE",
            "TITRE",
        ],
        Lang::En => [
            "ID",
            "PLAN",
            "BASELINE",
            "TARGET",
            "UNIT",
            "LATEST VALUE",
            "ACHIEVED",
            "TITLE",
        ],
    }
}

/// `80 (30/09/2025)`, or `—` when nothing is measured yet.
pub fn latest_value(lang: Lang, latest: Option<&(String, f64)>) -> String {
    match latest {
        Some((d, v)) => tr!(lang, "{} au {}", "{} on {}", value(lang, *v), day(lang, d)),
        None => "—".to_string(),
    }
}

pub fn percent(lang: Lang, p: Option<f64>) -> String {
    match p {
        Some(p) => tr!(
            lang,
            "{}\u{a0}%",
            "{}%",
            value(lang, (p * 10.0).round() / 10.0)
        ),
        None => "—".to_string(),
    }
}

/// `indicator show`'s field labels.
pub fn indicator_labels(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::Fr => [
            "Plan",
            "Priorité",
            "Référence",
            "Cible",
            "Échéance",
            "Dernière valeur",
            "Atteinte",
        ],
        Lang::En => [
            "Plan",
            "Priority",
            "Baseline",
            "Target",
            "Due",
            "Latest value",
            "Achieved",
        ],
    }
}

pub fn values_heading(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Valeurs enregistrées\u{a0}:",
        Lang::En => "Recorded values:",
    }
}

pub fn nothing_recorded(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "rien d'enregistré",
        Lang::En => "nothing recorded",
    }
}
pub fn arg_unexpected(lang: Lang, value: &str) -> String {
    tr!(
        lang,
        "argument `{value}` inattendu",
        "unexpected argument `{value}`"
    )
}

pub fn arg_unknown_command(lang: Lang, name: &str, suggestion: Option<&str>) -> String {
    match suggestion {
        Some(s) => tr!(
            lang,
            "commande `{name}` inconnue ; vouliez-vous dire `{s}` ?",
            "unknown command `{name}`; did you mean `{s}`?"
        ),
        None => tr!(
            lang,
            "commande `{name}` inconnue",
            "unknown command `{name}`"
        ),
    }
}

/// `valeur `x` invalide pour --format ; valeurs possibles : table, json, csv`.
pub fn arg_invalid_value(lang: Lang, value: &str, arg: &str, possible: &[String]) -> String {
    let list = possible.join(", ");
    match (possible.is_empty(), value.is_empty()) {
        (_, true) => tr!(lang, "{arg} attend une valeur", "{arg} needs a value"),
        (true, false) => tr!(
            lang,
            "valeur `{value}` invalide pour {arg}",
            "invalid value `{value}` for {arg}"
        ),
        (false, false) => tr!(
            lang,
            "valeur `{value}` invalide pour {arg} ; valeurs possibles : {list}",
            "invalid value `{value}` for {arg}; possible values: {list}"
        ),
    }
}

/// A value refused by its parser: `why` says why.
pub fn arg_bad_value(lang: Lang, value: Option<&str>, arg: &str, why: &str) -> String {
    match value {
        Some(value) => tr!(
            lang,
            "valeur `{value}` invalide pour {arg} ; {why}",
            "invalid value `{value}` for {arg}; {why}"
        ),
        None => tr!(
            lang,
            "valeur invalide pour {arg} ; {why}",
            "invalid value for {arg}; {why}"
        ),
    }
}

pub fn arg_missing(lang: Lang, args: &[String]) -> String {
    let list = join_and(lang, args);
    tr!(lang, "il manque {list}", "missing {list}")
}

pub fn arg_missing_command(lang: Lang, parent: &str, available: &[String]) -> String {
    let list = join_or(lang, available);
    tr!(
        lang,
        "il manque une commande après `{parent}` : {list}",
        "a command is missing after `{parent}`: {list}"
    )
}

pub fn arg_twice(lang: Lang, arg: &str) -> String {
    tr!(
        lang,
        "{arg} est donné plusieurs fois ; il ne peut l'être qu'une fois",
        "{arg} is given several times; it can be given only once"
    )
}

pub fn arg_conflict(lang: Lang, arg: &str, other: &str) -> String {
    tr!(
        lang,
        "{arg} et {other} ne peuvent pas être donnés ensemble",
        "{arg} and {other} cannot be given together"
    )
}

pub fn arg_too_many(lang: Lang, arg: &str, value: &str) -> String {
    tr!(
        lang,
        "valeur `{value}` en trop pour {arg}",
        "one value too many for {arg}: `{value}`"
    )
}

pub fn arg_not_utf8(lang: Lang) -> String {
    tr!(
        lang,
        "un argument n'est pas un texte UTF-8",
        "an argument is not UTF-8 text"
    )
}

pub fn arg_other(lang: Lang) -> String {
    tr!(lang, "arguments invalides", "invalid arguments")
}

fn join_with(items: &[String], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., tail] => format!("{} {last} {tail}", init.join(", ")),
    }
}

fn join_and(lang: Lang, items: &[String]) -> String {
    join_with(items, if lang == Lang::Fr { "et" } else { "and" })
}

fn join_or(lang: Lang, items: &[String]) -> String {
    join_with(items, if lang == Lang::Fr { "ou" } else { "or" })
}

/// `cnrm` without a terminal: what it prints before the plans.
pub fn no_terminal(lang: Lang) -> String {
    tr!(
        lang,
        "pas de terminal : voici où en est chaque plan (l'interface s'ouvre dans un terminal)",
        "no terminal: here is where each plan stands (the interface opens in a terminal)"
    )
}

pub fn tui_failed(lang: Lang, e: &std::io::Error) -> String {
    tr!(
        lang,
        "impossible d'afficher l'interface dans ce terminal : {}",
        "cannot show the interface in this terminal: {}",
        io_reason(lang, e)
    )
}

/// clap's own words in a `--help` page, in French: headings, defaults, possible values,
/// environment variables, the help and version flags. The descriptions are ours already.
pub fn help_page(lang: Lang, page: &str) -> String {
    if lang == Lang::En {
        return page.to_string();
    }
    const WORDS: [(&str, &str); 17] = [
        ("Usage:", "Utilisation\u{a0}:"),
        ("<COMMAND>", "<COMMANDE>"),
        ("[COMMAND]", "[COMMANDE]"),
        ("Commands:", "Commandes\u{a0}:"),
        ("Options:", "Options\u{a0}:"),
        ("Arguments:", "Arguments\u{a0}:"),
        ("[default:", "[par défaut\u{a0}:"),
        ("[possible values:", "[valeurs possibles\u{a0}:"),
        ("[env:", "[variable\u{a0}:"),
        ("[aliases:", "[autres noms\u{a0}:"),
        ("[alias:", "[autre nom\u{a0}:"),
        (
            "Print this message or the help of the given subcommand(s)",
            "Afficher cette aide ou celle d'une commande",
        ),
        (
            "Print help (see more with '--help')",
            "Afficher l'aide (détails avec --help)",
        ),
        (
            "Print help (see a summary with '-h')",
            "Afficher l'aide (résumé avec -h)",
        ),
        ("Print help", "Afficher l'aide"),
        ("Print version", "Afficher la version"),
        ("Possible values:", "Valeurs possibles\u{a0}:"),
    ];
    let mut out = page.to_string();
    for (en, fr) in WORDS {
        out = replace_wrapped(&out, en, fr);
    }
    out
}

/// `text` with every `phrase` replaced by `by`, the phrase's spaces matching any run of white
/// space (clap wraps its help at the terminal's width, a line break may fall inside a phrase).
fn replace_wrapped(text: &str, phrase: &str, by: &str) -> String {
    let words: Vec<&str> = phrase.split(' ').collect();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(words[0]) {
        let mut end = start + words[0].len();
        let mut matched = true;
        for w in &words[1..] {
            let after = &rest[end..];
            let gap = after.len() - after.trim_start().len();
            if gap == 0 || !after[gap..].starts_with(w) {
                matched = false;
                break;
            }
            end += gap + w.len();
        }
        if matched {
            out.push_str(&rest[..start]);
            out.push_str(by);
            rest = &rest[end..];
        } else {
            let next = start + words[0].len();
            out.push_str(&rest[..next]);
            rest = &rest[next..];
        }
    }
    out.push_str(rest);
    out
}

/// Why the configuration file cannot be used, in one sentence.
pub fn config_error(lang: Lang, e: &cnrm_engine::config::ConfigError) -> String {
    use cnrm_engine::config::{ConfigError, KEYS};
    match e {
        ConfigError::Unreadable { path, kind } => {
            let (path, why) = (path.display(), kind_reason(lang, *kind));
            tr!(
                lang,
                "fichier de configuration {path} illisible\u{a0}: {why}",
                "cannot read the configuration file {path}: {why}"
            )
        }
        ConfigError::UnknownKey {
            path,
            key,
            line,
            column,
        } => {
            let (path, keys) = (path.display(), KEYS.join(", "));
            tr!(
                lang,
                "{path}:{line}:{column}\u{a0}: clé `{key}` inconnue dans le fichier de configuration\u{a0}; clés possibles\u{a0}: {keys}",
                "{path}:{line}:{column}: unknown key `{key}` in the configuration file; possible keys: {keys}"
            )
        }
        ConfigError::Invalid { path, at } => {
            let at = at.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default();
            let path = path.display();
            tr!(
                lang,
                "{path}{at}\u{a0}: fichier de configuration illisible\u{a0}; il contient des lignes `CLÉ: texte`, par exemple `CNRM_LANG: fr`",
                "{path}{at}: unreadable configuration file; it holds `KEY: text` lines, for example `CNRM_LANG: fr`"
            )
        }
    }
}

// ---- Members' replies by e-mail (`cnrm mail receive`, `cnrm inbox`) ----

/// After a history line that came by e-mail.
pub fn by_email(lang: Lang) -> String {
    tr!(lang, " (par courriel)", " (by e-mail)")
}

pub fn bad_inbox_status(lang: Lang) -> String {
    tr!(
        lang,
        "valeurs possibles\u{a0}: appliqué, refusé, ignoré",
        "possible values: applied, rejected, ignored"
    )
}

/// A received message's state, in words.
pub fn inbox_status(lang: Lang, status: &str) -> &'static str {
    let (fr, en) = match status {
        "applied" => ("appliqué", "applied"),
        "rejected" => ("refusé", "rejected"),
        "ignored" => ("ignoré", "ignored"),
        _ => ("doublon", "duplicate"),
    };
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

/// One change of a reply, in words: `a1 : statut → fait`.
pub fn inbox_change(lang: Lang, c: &cnrm_engine::store::AppliedChange) -> String {
    use cnrm_engine::workflow::Status;
    let colon = colon(lang);
    let what = match c.kind.as_str() {
        "status" => {
            let s = c.value.as_str().unwrap_or("?");
            let label = s
                .parse::<Status>()
                .map(|s| s.label(lang).to_string())
                .unwrap_or_else(|_| s.to_string());
            tr!(lang, "statut{colon}{label}", "status{colon}{label}")
        }
        "progress" => {
            let p = c.value.as_i64().unwrap_or(0);
            tr!(lang, "avancement{colon}{p}\u{a0}%", "progress{colon}{p}%")
        }
        "note" => {
            let n = c.value.as_str().unwrap_or("");
            tr!(lang, "note{colon}« {n} »", "note{colon}\u{201c}{n}\u{201d}")
        }
        "spending" => {
            let amount = cnrm_engine::text::money(
                c.value["amount"].as_f64().unwrap_or(0.0),
                c.value["currency"].as_str().unwrap_or(""),
            );
            tr!(lang, "dépense{colon}{amount}", "spending{colon}{amount}")
        }
        "postpone_request" => {
            let when = c.value.as_str().unwrap_or("");
            tr!(
                lang,
                "demande de report{colon}{when} (pour le secrétariat)",
                "postponement request{colon}{when} (for the secretariat)"
            )
        }
        other => other.to_string(),
    };
    format!("{}{colon}{what}", c.task)
}

/// The first line `cnrm mail receive` prints.
pub fn received_line(lang: Lang, status: &str, from: &str, reason: Option<&str>) -> String {
    let why = reason
        .map(|r| {
            format!(
                "{}{}",
                colon(lang),
                cnrm_engine::inbox::reason_text(lang, r)
            )
        })
        .unwrap_or_default();
    // A message without a readable sender (garbage, an empty input) says so, not `de  `.
    let from = match from.trim() {
        "" => tr!(lang, "sans expéditeur lisible", "without a readable sender"),
        f => tr!(lang, "de {f}", "from {f}"),
    };
    match status {
        "applied" => tr!(lang, "message {from} appliqué", "message {from} applied"),
        "rejected" => tr!(
            lang,
            "message {from} refusé{why}",
            "message {from} rejected{why}"
        ),
        "ignored" => tr!(
            lang,
            "message {from} ignoré{why}",
            "message {from} ignored{why}"
        ),
        _ => tr!(
            lang,
            "message {from} déjà reçu, rien n'est appliqué une seconde fois",
            "message {from} already received, nothing applied twice"
        ),
    }
}

pub fn not_understood_label(lang: Lang) -> String {
    tr!(lang, "non compris", "not understood")
}

pub fn answer_queued(lang: Lang, queued: bool) -> String {
    if queued {
        tr!(
            lang,
            "réponse mise dans la boîte d'envoi",
            "answer queued in the outbox"
        )
    } else {
        tr!(lang, "aucune réponse envoyée", "no answer sent")
    }
}

pub fn inbox_empty(lang: Lang) -> String {
    tr!(lang, "aucun message reçu", "no message received")
}

pub fn reason_label(lang: Lang) -> String {
    tr!(lang, "raison", "reason")
}

/// `mail receive` could not read its input (`--file` or standard input).
pub fn cannot_read_message(lang: Lang, what: &str, e: &std::io::Error) -> String {
    let why = io_reason(lang, e);
    tr!(
        lang,
        "impossible de lire le message {what}\u{a0}: {why}",
        "cannot read the message {what}: {why}"
    )
}

/// Exit 75: the message is not taken now; the mail server should deliver it again.
pub fn try_again_later(lang: Lang, why: &str) -> String {
    tr!(
        lang,
        "{why}\u{a0}; le message n'est pas enregistré, il sera accepté quand la base répondra (code 75, le serveur de messagerie réessaie)",
        "{why}; the message is not recorded, it will be taken when the database answers (exit 75, the mail server retries)"
    )
}

// ---- plan workbooks (xlsx-read) ----------------------------------------------------------------

/// `erreur` / `avertissement` before a workbook diagnostic's code.
pub fn severity_word(lang: Lang, error: bool) -> &'static str {
    match (lang, error) {
        (Lang::Fr, true) => "erreur",
        (Lang::Fr, false) => "avertissement",
        (Lang::En, true) => "error",
        (Lang::En, false) => "warning",
    }
}

/// `aide` / `help` before a diagnostic's hint.
pub fn help_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "aide",
        Lang::En => "help",
    }
}

/// `plan convert` told files it cannot convert between.
pub fn convert_extensions(lang: Lang, file: &str, output: &str) -> String {
    tr!(
        lang,
        "impossible de convertir `{file}` en `{output}`\u{a0}: un plan YAML se convertit en classeur .xlsx, un classeur (.xlsx, .ods) en YAML (.yaml)",
        "cannot convert `{file}` to `{output}`: a YAML plan converts to an .xlsx workbook, a workbook (.xlsx, .ods) to YAML (.yaml)"
    )
}

pub fn nothing_converted(lang: Lang) -> String {
    tr!(
        lang,
        "le plan n'a pas été converti\u{a0}: corrigez d'abord ses erreurs (rien n'a été écrit)",
        "the plan was not converted: fix its errors first (nothing was written)"
    )
}

/// The comment at the top of a YAML file converted from a workbook.
pub fn converted_from(lang: Lang, file: &str) -> String {
    tr!(
        lang,
        "Plan converti depuis {file} par `cnrm plan convert`",
        "Plan converted from {file} by `cnrm plan convert`"
    )
}

pub fn workbook_not_written(lang: Lang) -> String {
    tr!(
        lang,
        "le classeur n'a pas pu être construit\u{a0}: rien n'a été écrit",
        "the workbook could not be built: nothing was written"
    )
}

// ---- workbooks (report, task list, plan template) ------------------------------------------------

/// `--format xlsx` without `--output`: a workbook is a file, not text for the terminal.
pub fn xlsx_needs_output(lang: Lang, example: &str) -> String {
    tr!(
        lang,
        "--format xlsx écrit un classeur\u{a0}: dites dans quel fichier avec --output, par exemple --output {example}",
        "--format xlsx writes a workbook: say which file with --output, for example --output {example}"
    )
}

/// A workbook that could not be composed (nothing was written).
pub fn workbook_failed(lang: Lang, e: &cnrm_engine::workbook::WorkbookError) -> String {
    use cnrm_engine::workbook::WorkbookError;
    match e {
        WorkbookError::TooLarge => tr!(
            lang,
            "le classeur aurait plus de lignes ou de colonnes qu'un tableur n'en admet (1\u{a0}048\u{a0}576 lignes, 16\u{a0}384 colonnes)\u{a0}; rien n'a été écrit",
            "the workbook would hold more rows or columns than a spreadsheet allows (1,048,576 rows, 16,384 columns); nothing was written"
        ),
        WorkbookError::Xlsx(_) => tr!(
            lang,
            "le classeur n'a pas pu être composé\u{a0}; rien n'a été écrit",
            "the workbook could not be composed; nothing was written"
        ),
    }
}

/// `cnrm plan template`: what was written and what to do next.
pub fn template_written(lang: Lang, file: &str) -> String {
    tr!(
        lang,
        "modèle de plan écrit dans {file}\u{a0}: remplissez-le, puis vérifiez-le avec cnrm plan check {file}",
        "plan template written to {file}: fill it in, then check it with cnrm plan check {file}"
    )
}

/// `cnrm tasks --output` without a file format.
pub fn table_not_to_file(lang: Lang) -> String {
    tr!(
        lang,
        "le tableau de cnrm tasks s'affiche dans le terminal\u{a0}; pour un fichier, choisissez --format csv, json ou xlsx avec --output",
        "the cnrm tasks table is for the terminal; for a file, choose --format csv, json or xlsx with --output"
    )
}

// ---- terminal UI: plans, pickers, empty database (tui) -----------------------------------------

/// `46 tâches` / `1 task`.
pub fn task_count(lang: Lang, n: i64) -> String {
    match (lang, n) {
        (Lang::Fr, 0 | 1) => format!("{n} tâche"),
        (Lang::Fr, _) => format!("{n} tâches"),
        (Lang::En, 1) => format!("{n} task"),
        (Lang::En, _) => format!("{n} tasks"),
    }
}

/// A plan of `cnrm plans`: its id and title, then its latest revision (when, as the reader
/// writes dates, and by whom) and its task counts.
pub fn plan_line(lang: Lang, p: &cnrm_engine::records::PlanInfo) -> String {
    let (id, title, revision) = (&p.id, &p.title, p.revision);
    let at = when(lang, &p.updated_at);
    let actor = p.last_actor.as_deref().unwrap_or("?");
    let tasks = task_count(lang, p.tasks);
    let (open, overdue) = (p.open, overdue_count(lang, p.overdue));
    match lang {
        Lang::Fr => {
            let open = if open > 1 {
                format!("{open} ouvertes")
            } else {
                format!("{open} ouverte")
            };
            format!("{id} — {title}\n  révision {revision} ({at}, {actor}) · {tasks}, {open}, {overdue}")
        }
        Lang::En => format!(
            "{id} — {title}\n  revision {revision} ({at}, {actor}) · {tasks}, {open} open, {overdue}"
        ),
    }
}

/// `3 terminées`, `1 bloquée`, `2 en cours` / `3 done`: a count of tasks of one status, the
/// French label agreeing with the count (plural from 2).
pub fn status_count(lang: Lang, status: cnrm_engine::workflow::Status, n: i64) -> String {
    use cnrm_engine::workflow::Status;
    let label = status.label(lang);
    let plural = lang == Lang::Fr
        && n > 1
        && matches!(
            status,
            Status::Blocked | Status::Suspended | Status::Done | Status::Cancelled
        );
    if plural {
        format!("{n} {label}s")
    } else {
        format!("{n} {label}")
    }
}

/// `11 en retard` / `11 overdue`.
pub fn overdue_count(lang: Lang, n: i64) -> String {
    tr!(lang, "{n} en retard", "{n} overdue")
}

/// The first item of a filter's picker: no filter (`toutes` for priorities, `tous` for owners).
pub fn every(lang: Lang, feminine: bool) -> &'static str {
    match (lang, feminine) {
        (Lang::Fr, true) => "— toutes —",
        (Lang::Fr, false) => "— tous —",
        (Lang::En, _) => "— all —",
    }
}

/// The terminal UI on an empty database: what to do.
pub fn empty_database(lang: Lang) -> [String; 3] {
    match lang {
        Lang::Fr => [
            "Aucun plan dans la base de données.".to_string(),
            "Chargez un plan depuis un autre terminal\u{a0}: cnrm plan apply FICHIER (un .yaml ou un .xlsx)".to_string(),
            "ou ouvrez-le directement\u{a0}: cnrm open FICHIER. Cet écran se met à jour tout seul.".to_string(),
        ],
        Lang::En => [
            "No plan in the database.".to_string(),
            "Load a plan from another terminal: cnrm plan apply FILE (a .yaml or an .xlsx)".to_string(),
            "or open it directly: cnrm open FILE. This screen updates by itself.".to_string(),
        ],
    }
}
