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

pub fn bad_duration(lang: Lang, text: &str) -> String {
    tr!(
        lang,
        "durée `{text}` illisible : un nombre de jours ou de semaines, comme 14j, 14d ou 2w",
        "duration `{text}` is unreadable: a number of days or weeks, such as 14d or 2w"
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
        "date `{text}` illisible : AAAA-MM-JJ ou JJ/MM/AAAA (2025-12-31 ou 31/12/2025)",
        "date `{text}` is unreadable: YYYY-MM-DD or DD/MM/YYYY (2025-12-31 or 31/12/2025)"
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
            "la base {url} a un schéma plus récent ({found}) que ce cnrm ({known}) : mettez cnrm à jour ; la base n'a pas été modifiée",
            "the database {url} has a newer schema ({found}) than this cnrm ({known}): upgrade cnrm; the database was left untouched"
        ),
        E::Database(source) => tr!(
            lang,
            "erreur de la base de données : {}",
            "database error: {}",
            driver_reason(lang, source)
        ),
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
    let name = arg.trim_start_matches('<').trim_end_matches(['>', '.']);
    let (fr, en) = match name {
        "FILE" => ("le fichier", "the file"),
        "AMOUNT" => ("le montant", "the amount"),
        "VALUE" => ("la valeur", "the value"),
        "ID" => ("l'identifiant", "the id"),
        "ENTRY" => ("le numéro", "the entry number"),
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
