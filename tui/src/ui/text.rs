//! Every label of the terminal UI, in French and English. Views ask for them; `state` never
//! does (it records a `FormError`, whose sentence is here).

use super::state::{Column, FormError, FormKind, PickerKind, Screen};
use cnrm_engine::{tr, Lang};

pub fn screen(lang: Lang, s: Screen) -> &'static str {
    match (s, lang) {
        (Screen::Dashboard, Lang::Fr) => "Tableau de bord",
        (Screen::Tasks, Lang::Fr) => "Tâches",
        (Screen::Owners, Lang::Fr) => "Responsables",
        (Screen::Timeline, Lang::Fr) => "Échéancier",
        (Screen::Money, Lang::Fr) => "Financement",
        (Screen::Indicators, Lang::Fr) => "Indicateurs",
        (Screen::Outbox, Lang::Fr) => "Boîte d'envoi",
        (Screen::History, Lang::Fr) => "Historique",
        (Screen::Inbox, Lang::Fr) => "Réception",
        (Screen::Dashboard, Lang::En) => "Dashboard",
        (Screen::Tasks, Lang::En) => "Tasks",
        (Screen::Owners, Lang::En) => "Owners",
        (Screen::Timeline, Lang::En) => "Timeline",
        (Screen::Money, Lang::En) => "Funding",
        (Screen::Indicators, Lang::En) => "Indicators",
        (Screen::Outbox, Lang::En) => "Outbox",
        (Screen::History, Lang::En) => "History",
        (Screen::Inbox, Lang::En) => "Inbox",
    }
}

/// A screen's name in a narrow tab bar.
pub fn screen_short(lang: Lang, s: Screen) -> &'static str {
    match (s, lang) {
        (Screen::Dashboard, Lang::Fr) => "Bord",
        (Screen::Tasks, Lang::Fr) => "Tâches",
        (Screen::Owners, Lang::Fr) => "Resp.",
        (Screen::Timeline, Lang::Fr) => "Échéances",
        (Screen::Money, Lang::Fr) => "Finances",
        (Screen::Indicators, Lang::Fr) => "Indic.",
        (Screen::Outbox, Lang::Fr) => "Envois",
        (Screen::History, Lang::Fr) => "Hist.",
        (Screen::Inbox, Lang::Fr) => "Reçus",
        (Screen::Dashboard, Lang::En) => "Dash",
        (Screen::Tasks, Lang::En) => "Tasks",
        (Screen::Owners, Lang::En) => "Owners",
        (Screen::Timeline, Lang::En) => "Time",
        (Screen::Money, Lang::En) => "Funds",
        (Screen::Indicators, Lang::En) => "Indic.",
        (Screen::Outbox, Lang::En) => "Outbox",
        (Screen::History, Lang::En) => "Hist.",
        (Screen::Inbox, Lang::En) => "Inbox",
    }
}

pub fn picker_title(lang: Lang, k: PickerKind) -> &'static str {
    match (k, lang) {
        (PickerKind::Plan, Lang::Fr) => " Quel plan\u{a0}? ",
        (PickerKind::Plan, Lang::En) => " Which plan? ",
        (PickerKind::Status, Lang::Fr) => " Filtrer par statut ",
        (PickerKind::Status, Lang::En) => " Filter by status ",
        (PickerKind::Priority, Lang::Fr) => " Filtrer par axe ",
        (PickerKind::Priority, Lang::En) => " Filter by priority ",
        (PickerKind::Owner, Lang::Fr) => " Filtrer par responsable ",
        (PickerKind::Owner, Lang::En) => " Filter by owner ",
    }
}

pub fn picker_keys(lang: Lang, k: PickerKind) -> &'static str {
    match (k, lang) {
        (PickerKind::Plan, Lang::Fr) => {
            "tapez pour chercher · ↑↓ choisir · Entrée ouvrir · Ctrl+C quitter"
        }
        (PickerKind::Plan, Lang::En) => "type to search · ↑↓ select · Enter open · Ctrl+C quit",
        (PickerKind::Status, Lang::Fr) => {
            "tapez pour chercher · ↑↓ choisir · Espace cocher · Entrée filtrer · Échap annuler"
        }
        (PickerKind::Status, Lang::En) => {
            "type to search · ↑↓ select · Space tick · Enter filter · Esc cancel"
        }
        (_, Lang::Fr) => "tapez pour chercher · ↑↓ choisir · Entrée filtrer · Échap annuler",
        (_, Lang::En) => "type to search · ↑↓ select · Enter filter · Esc cancel",
    }
}

pub fn column(lang: Lang, c: Column) -> &'static str {
    match (c, lang) {
        (Column::Id, _) => "ID",
        (Column::Deadline, Lang::Fr) => "Échéance",
        (Column::Status, Lang::Fr) => "Statut",
        (Column::Progress, _) => "%",
        (Column::Owners, Lang::Fr) => "Responsables",
        (Column::Title, Lang::Fr) => "Titre",
        (Column::Deadline, Lang::En) => "Deadline",
        (Column::Status, Lang::En) => "Status",
        (Column::Owners, Lang::En) => "Owners",
        (Column::Title, Lang::En) => "Title",
    }
}

/// The keys that work on a screen, for the status line.
pub fn keys(lang: Lang, s: Screen) -> &'static str {
    match (s, lang) {
        (Screen::Tasks, Lang::Fr) => "↑↓ choisir · Entrée détail · / chercher · f statut · p axe · w responsable · x sans filtre · o retard · t statut · a avancement · n note · d dépense · c annuler une dépense · ? aide · q quitter",
        (Screen::Tasks, Lang::En) => "↑↓ select · Enter detail · / search · f status · p priority · w owner · x no filter · o overdue · t status · a progress · n note · d spend · c cancel a spending · ? help · q quit",
        (Screen::Indicators, Lang::Fr) => "↑↓ choisir · Entrée ses valeurs · r enregistrer une valeur · c annuler une valeur · 1-9 écrans · ? aide · q quitter",
        (Screen::Indicators, Lang::En) => "↑↓ select · Enter its values · r record a value · c cancel a value · 1-9 screens · ? help · q quit",
        (Screen::Outbox, Lang::Fr) => "↑↓ choisir · Entrée voir le message · r réessayer ce message · R réessayer les échecs · ? aide · q quitter",
        (Screen::Outbox, Lang::En) => "↑↓ select · Enter show the message · r retry this message · R retry all failed · ? help · q quit",
        (Screen::Owners, Lang::Fr) => "↑↓ choisir · Entrée ses tâches · 1-9 ou Tab\u{a0}: écrans · P plan · ? aide · q quitter",
        (Screen::Owners, Lang::En) => "↑↓ select · Enter their tasks · 1-9 or Tab: screens · P plan · ? help · q quit",
        (Screen::History, Lang::Fr) => "↑↓ PgUp PgDn défiler · 1-9 ou Tab\u{a0}: écrans · P plan · ? aide · q quitter",
        (Screen::History, Lang::En) => "↑↓ PgUp PgDn scroll · 1-9 or Tab: screens · P plan · ? help · q quit",
        (Screen::Timeline, Lang::Fr) => "c chronogramme ou liste · ↑↓ PgUp PgDn défiler · 1-9 ou Tab\u{a0}: écrans · P plan · ? aide · q quitter",
        (Screen::Timeline, Lang::En) => "c chronogramme or list · ↑↓ PgUp PgDn scroll · 1-9 or Tab: screens · P plan · ? help · q quit",
        (Screen::Inbox, Lang::Fr) => "↑↓ choisir · Entrée texte d'origine · Échap fermer · ? aide · q quitter",
        (Screen::Inbox, Lang::En) => "↑↓ select · Enter original text · Esc close · ? help · q quit",
        (_, Lang::Fr) => "1-9 ou Tab\u{a0}: écrans · P changer de plan · ? aide · q quitter",
        (_, Lang::En) => "1-9 or Tab: screens · P switch plan · ? help · q quit",
    }
}

/// Every key binding of a screen, for `?`.
pub fn help(lang: Lang, s: Screen) -> Vec<(&'static str, &'static str)> {
    let mut all = match lang {
        Lang::Fr => vec![
            ("1-9, Tab, Maj+Tab", "changer d'écran"),
            ("?", "cette aide"),
            ("P", "changer de plan"),
            ("Ctrl+R", "recharger"),
            ("q, Ctrl+C", "quitter"),
        ],
        Lang::En => vec![
            ("1-9, Tab, Shift+Tab", "switch screens"),
            ("?", "this help"),
            ("P", "switch plan"),
            ("Ctrl+R", "reload"),
            ("q, Ctrl+C", "quit"),
        ],
    };
    let extra = match (s, lang) {
        (Screen::Tasks, Lang::Fr) => vec![
            ("↑ ↓ PgUp PgDn g G", "se déplacer"),
            ("Entrée", "détail de la tâche (historique, reports)"),
            ("/", "chercher sans accents (Ctrl+U vide la ligne)"),
            ("o", "seulement les tâches en retard"),
            (
                "f / p / w",
                "filtrer par statut (plusieurs) / axe / responsable",
            ),
            ("x", "retirer les filtres"),
            ("s / S", "trier par la colonne suivante / inverser"),
            ("t", "changer le statut (avec une note et sa date)"),
            ("a", "saisir l'avancement (0-100)"),
            ("n", "ajouter une note"),
            ("d", "enregistrer une dépense (montant, date, devise, note)"),
            ("c", "annuler une dépense (son n° dans le détail)"),
            ("Échap", "fermer le détail"),
        ],
        (Screen::Tasks, Lang::En) => vec![
            ("↑ ↓ PgUp PgDn g G", "move"),
            ("Enter", "task detail (history, slips)"),
            ("/", "search, accent-insensitive (Ctrl+U empties)"),
            ("o", "overdue tasks only"),
            ("f / p / w", "filter by status (several) / priority / owner"),
            ("x", "clear filters"),
            ("s / S", "sort by the next column / reverse"),
            ("t", "change status (with a note and its date)"),
            ("a", "set progress (0-100)"),
            ("n", "add a note"),
            ("d", "record spending (amount, date, currency, note)"),
            ("c", "cancel a spending (its # in the detail)"),
            ("Esc", "close the detail"),
        ],
        (Screen::Indicators, Lang::Fr) => vec![
            ("↑ ↓", "choisir un indicateur, puis une valeur"),
            (
                "Entrée",
                "ses valeurs enregistrées, numérotées (Entrée ou Échap\u{a0}: retour)",
            ),
            ("r", "enregistrer une valeur (date, note)"),
            (
                "c",
                "dans ses valeurs\u{a0}: annuler celle choisie (l'historique la garde)",
            ),
        ],
        (Screen::Indicators, Lang::En) => vec![
            ("↑ ↓", "select an indicator, then a value"),
            (
                "Enter",
                "its recorded values, numbered (Enter or Esc: back)",
            ),
            ("r", "record a value (date, note)"),
            (
                "c",
                "in its values: cancel the one selected (the history keeps it)",
            ),
        ],
        (Screen::Timeline, Lang::Fr) => vec![
            ("c", "chronogramme ou liste des échéances"),
            ("← → ↑ ↓ PgUp PgDn", "défiler le chronogramme"),
        ],
        (Screen::Timeline, Lang::En) => vec![
            ("c", "chronogramme or list of deadlines"),
            ("← → ↑ ↓ PgUp PgDn", "scroll the chronogramme"),
        ],
        (Screen::Outbox, Lang::Fr) => vec![
            ("↑ ↓", "choisir"),
            ("r", "réessayer ce message"),
            ("R", "réessayer tous les échecs"),
            ("Entrée", "le message entier (erreur et texte)"),
            ("↑ ↓ PgUp PgDn", "dans le message\u{a0}: le faire défiler"),
            ("Échap, q, Entrée", "fermer le message"),
        ],
        (Screen::Outbox, Lang::En) => vec![
            ("↑ ↓", "select"),
            ("r", "retry this message"),
            ("R", "retry all failed"),
            ("Enter", "the whole message (error and text)"),
            ("↑ ↓ PgUp PgDn", "in the message: scroll it"),
            ("Esc, q, Enter", "close the message"),
        ],
        (Screen::Inbox, Lang::Fr) => vec![
            ("↑ ↓ PgUp PgDn g G", "choisir un message"),
            (
                "Entrée",
                "ouvrir ou fermer son texte d'origine (↑ ↓ le font défiler)",
            ),
            ("Échap", "fermer le texte"),
        ],
        (Screen::Inbox, Lang::En) => vec![
            ("↑ ↓ PgUp PgDn g G", "select a message"),
            ("Enter", "open or close its original text (↑ ↓ scroll it)"),
            ("Esc", "close the text"),
        ],
        _ => vec![],
    };
    all.splice(0..0, extra);
    all
}

pub fn form_title(lang: Lang, k: FormKind, target: &str) -> String {
    match k {
        FormKind::Status => tr!(lang, "Statut de {target}", "Status of {target}"),
        FormKind::Progress => tr!(
            lang,
            "Avancement de {target} (0-100)",
            "Progress of {target} (0-100)"
        ),
        FormKind::Note => tr!(lang, "Note sur {target}", "Note on {target}"),
        FormKind::Spend => tr!(lang, "Dépense sur {target}", "Spending on {target}"),
        FormKind::Indicator => tr!(
            lang,
            "Valeur mesurée de {target}",
            "Measured value of {target}"
        ),
        FormKind::CancelSpending => tr!(
            lang,
            "Annuler une dépense de {target} (l'historique la garde)",
            "Cancel a spending of {target} (the history keeps it)"
        ),
        FormKind::CancelIndicator => tr!(
            lang,
            "Annuler une valeur de {target} (l'historique la garde)",
            "Cancel a value of {target} (the history keeps it)"
        ),
    }
}

/// The names of a form's fields, in order (the status form's first is the choice of status).
pub fn form_fields(lang: Lang, k: FormKind) -> Vec<&'static str> {
    match (k, lang) {
        (FormKind::Status, Lang::Fr) => vec![
            "statut (← →)",
            "note (facultative)",
            "date du changement (AAAA-MM-JJ ou JJ/MM/AAAA, vide\u{a0}: aujourd'hui)",
        ],
        (FormKind::Status, Lang::En) => vec![
            "status (← →)",
            "note (optional)",
            "date of the change (YYYY-MM-DD or DD/MM/YYYY, empty: today)",
        ],
        (FormKind::Progress, Lang::Fr) => vec!["avancement (%)"],
        (FormKind::Progress, Lang::En) => vec!["progress (%)"],
        (FormKind::Note, _) => vec!["note"],
        (FormKind::Spend, Lang::Fr) => vec![
            "montant",
            "date (AAAA-MM-JJ ou JJ/MM/AAAA, vide : aujourd'hui)",
            "devise (vide : celle du plan)",
            "note (facultative)",
        ],
        (FormKind::Spend, Lang::En) => vec![
            "amount",
            "date (YYYY-MM-DD or DD/MM/YYYY, empty: today)",
            "currency (empty: the plan's)",
            "note (optional)",
        ],
        (FormKind::Indicator, Lang::Fr) => vec![
            "valeur",
            "mesurée le (vide : aujourd'hui)",
            "note (facultative)",
        ],
        (FormKind::Indicator, Lang::En) => {
            vec!["value", "measured on (empty: today)", "note (optional)"]
        }
        (FormKind::CancelSpending, Lang::Fr) => {
            vec!["n° de la dépense (détail : Entrée)", "raison (facultative)"]
        }
        (FormKind::CancelSpending, Lang::En) => {
            vec!["spending entry # (detail: Enter)", "reason (optional)"]
        }
        (FormKind::CancelIndicator, Lang::Fr) => vec![
            "n° de la valeur (1 : la première enregistrée)",
            "raison (facultative)",
        ],
        (FormKind::CancelIndicator, Lang::En) => {
            vec!["value entry # (1: the first recorded)", "reason (optional)"]
        }
    }
}

pub fn form_keys(lang: Lang, k: FormKind) -> &'static str {
    match (k, lang) {
        (FormKind::Status, Lang::Fr) => {
            "← → statut · Tab, Maj+Tab champ suivant, précédent · Entrée valider · Échap annuler"
        }
        (FormKind::Status, Lang::En) => {
            "← → status · Tab, Shift+Tab next, previous field · Enter save · Esc cancel"
        }
        (_, Lang::Fr) => "Tab, Maj+Tab champ suivant, précédent · Entrée valider · Échap annuler",
        (_, Lang::En) => "Tab, Shift+Tab next, previous field · Enter save · Esc cancel",
    }
}

pub fn form_error(lang: Lang, why: &FormError) -> String {
    match why {
        FormError::Entry => tr!(
            lang,
            "un numéro d'entrée : un entier à partir de 1",
            "an entry number: a whole number from 1"
        ),
        FormError::Bad(b) => b.say(lang).to_string(),
        FormError::Progress => tr!(
            lang,
            "un nombre entier de 0 à 100",
            "a whole number from 0 to 100"
        ),
        FormError::EmptyNote => tr!(lang, "la note est vide", "the note is empty"),
        FormError::Amount => tr!(
            lang,
            "un montant positif, par exemple 1 250 000",
            "a positive amount, for example 1 250 000"
        ),
        FormError::Value => tr!(
            lang,
            "un nombre, par exemple 42 ou 12,5",
            "a number, for example 42 or 12.5"
        ),
    }
}

/// The keys of an indicator's values.
pub fn indicator_values_keys(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "↑↓ choisir · c annuler cette valeur · r enregistrer une valeur · Entrée ou Échap retour",
        Lang::En => "↑↓ select · c cancel this value · r record a value · Enter or Esc back",
    }
}

pub fn loading(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Chargement…",
        Lang::En => "Loading…",
    }
}

pub fn word(lang: Lang, fr: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}
