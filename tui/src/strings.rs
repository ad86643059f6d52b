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

pub fn bad_duration(lang: Lang, text: &str) -> String {
    tr!(
        lang,
        "durée `{text}` illisible : 14d ou 2w",
        "duration `{text}` is unreadable: 14d or 2w"
    )
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

// ---- plan diff / apply: field-level changes ----------------------------------------------------

/// The title of the field-level list.
pub fn changes_title(lang: Lang) -> String {
    tr!(lang, "Modifications\u{a0}:", "Changes:")
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
