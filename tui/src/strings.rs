//! Every label and sentence the command prints, in French and English.

use cnrm_engine::{tr, Lang};

pub fn unreadable(lang: Lang, file: &str, why: &str) -> String {
    tr!(
        lang,
        "impossible de lire `{file}` : {why}",
        "cannot read `{file}`: {why}"
    )
}

pub fn not_utf8(lang: Lang, file: &str) -> String {
    tr!(
        lang,
        "impossible de lire `{file}` : ce n'est pas un texte UTF-8 (enregistrez-le en UTF-8)",
        "cannot read `{file}`: it is not UTF-8 text (save it as UTF-8)"
    )
}

/// `plans/x.yaml : 2 erreurs, 1 avertissement`.
pub fn check_summary(lang: Lang, file: &str, errors: usize, warnings: usize) -> String {
    match (errors, warnings) {
        (0, 0) => tr!(
            lang,
            "{file} : valide, aucun problème",
            "{file}: valid, no problems"
        ),
        (0, w) => tr!(
            lang,
            "{file} : valide, {w} avertissement{}",
            "{file}: valid, {w} warning{}",
            plural(w)
        ),
        (e, w) => tr!(
            lang,
            "{file} : {e} erreur{}, {w} avertissement{} ; le plan est refusé",
            "{file}: {e} error{}, {w} warning{}; the plan is rejected",
            plural(e),
            plural(w)
        ),
    }
}

fn plural(n: usize) -> &'static str {
    if n > 1 {
        "s"
    } else {
        ""
    }
}

pub fn error_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "erreur",
        Lang::En => "error",
    }
}

pub fn warnings_seen(lang: Lang, file: &str, n: usize) -> String {
    tr!(
        lang,
        "{file} : {n} avertissement(s) ; détail avec `cnrm plan check {file}`",
        "{file}: {n} warning(s); details with `cnrm plan check {file}`"
    )
}

pub fn nothing_written(lang: Lang) -> String {
    tr!(
        lang,
        "le plan n'a pas été appliqué : rien n'a été écrit",
        "the plan was not applied: nothing was written"
    )
}

pub fn bad_now(lang: Lang, text: &str) -> String {
    tr!(
        lang,
        "--now `{text}` illisible : YYYY-MM-DD ou RFC 3339 (2025-10-01T09:00:00+00:00)",
        "--now `{text}` is unreadable: YYYY-MM-DD or RFC 3339 (2025-10-01T09:00:00+00:00)"
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
        "date `{text}` illisible : YYYY-MM-DD",
        "date `{text}` is unreadable: YYYY-MM-DD"
    )
}

pub fn no_change(lang: Lang, plan: &str) -> String {
    tr!(
        lang,
        "plan {plan} : rien à appliquer, la base est à jour",
        "plan {plan}: nothing to apply, the database is up to date"
    )
}

pub fn revision_applied(lang: Lang, plan: &str, rev: i64, actor: &str) -> String {
    tr!(
        lang,
        "plan {plan} : révision {rev} appliquée par {actor}",
        "plan {plan}: revision {rev} applied by {actor}"
    )
}

pub fn diff_header(lang: Lang, plan: &str) -> String {
    tr!(
        lang,
        "plan {plan} : changements que `cnrm plan apply` ferait (rien n'est écrit)",
        "plan {plan}: changes `cnrm plan apply` would make (nothing is written)"
    )
}

/// (symbol, label) of each kind of change, for the reviewer-style summary.
pub fn change_label(lang: Lang, kind: &str, n: usize) -> String {
    let (fr, en) = match kind {
        "added" => ("ajouté(s)", "added"),
        "changed" => ("modifié(s)", "changed"),
        "archived" => ("archivé(s)", "archived"),
        "restored" => ("restauré(s)", "restored"),
        "renamed" => ("renommé(s)", "renamed"),
        "slipped" => ("échéance(s) déplacée(s)", "deadline(s) moved"),
        _ => ("inchangé(s)", "unchanged"),
    };
    match lang {
        Lang::Fr => format!("{n} {fr}"),
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
        "{id} : {from} → {to} ({progress} %)",
        "{id}: {from} → {to} ({progress}%)"
    )
}

/// `amount` carries its currency (`1 250 000 FCFA`).
pub fn spent(lang: Lang, id: &str, amount: &str) -> String {
    tr!(
        lang,
        "{id} : dépense de {amount} enregistrée",
        "{id}: spending of {amount} recorded"
    )
}

pub fn indicator_recorded(lang: Lang, id: &str, value: f64, plan: &str) -> String {
    tr!(
        lang,
        "{id} ({plan}) : valeur {value} enregistrée",
        "{id} ({plan}): value {value} recorded"
    )
}

pub fn no_tasks(lang: Lang) -> String {
    tr!(lang, "aucune tâche ne correspond", "no task matches")
}

pub fn no_plans(lang: Lang) -> String {
    tr!(
        lang,
        "aucun plan dans la base : `cnrm plan apply FICHIER`",
        "no plan in the database: `cnrm plan apply FILE`"
    )
}

/// Column headers of `cnrm tasks`.
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
    use cnrm_engine::store::{redact, StoreError as E};
    let cannot_open = |url: &str, reason: &str| {
        tr!(
            lang,
            "impossible d'ouvrir la base de données {url} : {reason}",
            "cannot open the database {url}: {reason}"
        )
    };
    match e {
        E::Url { url } => cannot_open(url, &format!("`{url}` (sqlite://FILE, FILE or postgres://…)")),
        E::Folder { url, source } => cannot_open(url, &source.to_string()),
        E::Connect { url, source } => cannot_open(url, &redact(&source.to_string())),
        E::Migrate { url, source } => cannot_open(url, &redact(&source.to_string())),
        E::Newer { url, found, known } => tr!(
            lang,
            "la base {url} a un schéma plus récent ({found}) que ce cnrm ({known}) : mettez cnrm à jour ; la base n'a pas été modifiée",
            "the database {url} has a newer schema ({found}) than this cnrm ({known}): upgrade cnrm; the database was left untouched"
        ),
        E::Database(source) => {
            let e = redact(&source.to_string());
            tr!(lang, "erreur de la base de données : {e}", "database error: {e}")
        }
        E::Corrupt(what) => tr!(
            lang,
            "donnée illisible dans la base ({what}) : réappliquez le plan",
            "unreadable data in the database ({what}): apply the plan again"
        ),
        E::NoTask(id) => tr!(
            lang,
            "aucune tâche `{id}` dans la base (voir `cnrm tasks`)",
            "no task `{id}` in the database (see `cnrm tasks`)"
        ),
        E::Ambiguous { id, plans } => tr!(
            lang,
            "la tâche `{id}` existe dans plusieurs plans ({plans}) : précisez `--plan`",
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
            "la tâche `{id}` est archivée (retirée du plan) : rien n'a été enregistré",
            "task `{id}` is archived (removed from the plan): nothing was recorded"
        ),
        E::NeedPlan(ids) => tr!(
            lang,
            "plusieurs plans dans la base ({ids}) : précisez `--plan`",
            "several plans in the database ({ids}): add `--plan`"
        ),
        E::Empty => tr!(
            lang,
            "aucun plan dans la base : appliquez-en un avec `cnrm plan apply FICHIER` ou `cnrm open FICHIER`",
            "no plan in the database: apply one with `cnrm plan apply FILE` or `cnrm open FILE`"
        ),
        E::BadProgress(p) => tr!(
            lang,
            "avancement invalide {p} : un pourcentage de 0 à 100 est attendu",
            "invalid progress {p}: a percentage from 0 to 100 is expected"
        ),
        E::NothingToRecord => tr!(
            lang,
            "rien à enregistrer : donnez --status, --progress ou --note",
            "nothing to record: give --status, --progress or --note"
        ),
        E::BadAmount(amount) => tr!(
            lang,
            "montant invalide {amount} : un nombre positif est attendu",
            "invalid amount {amount}: a positive number is expected"
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
            "le plan `{plan}` n'a pas de politique de rappels enregistrée : réappliquez-le",
            "plan `{plan}` has no recorded reminder policy: apply it again"
        ),
        E::NoMessage(id) => tr!(
            lang,
            "aucun message n° {id} dans la boîte d'envoi (voir `cnrm outbox`)",
            "no message #{id} in the outbox (see `cnrm outbox`)"
        ),
    }
}
