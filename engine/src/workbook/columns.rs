//! The one table of a plan workbook's sheets and columns (`../shared/spec/workbook.md`).
//!
//! Every sheet and column has a French and an English name, the YAML key it stands for, the kind
//! of value it holds (a list, a yes/no, an enumeration with its French and English labels...) and a
//! one-sentence description in both languages (for the template's `Lisez-moi` sheet). The reader,
//! the converter and the template all read this table; names are matched with [`matches`], which
//! ignores case, accents, spaces and punctuation (`Échéance`, `echeance` and `ÉCHÉANCE` are one).

use crate::lang::Lang;

/// One value of an enumeration: the YAML word, and its French and English labels. The reader takes
/// any of the three; the writer writes the label of the workbook's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    pub yaml: &'static str,
    pub fr: &'static str,
    pub en: &'static str,
}

impl Label {
    /// The label in `lang`.
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fr => self.fr,
            Lang::En => self.en,
        }
    }
}

/// A resource's `kind`.
pub const KINDS: &[Label] = &[
    Label {
        yaml: "budget",
        fr: "budget",
        en: "budget",
    },
    Label {
        yaml: "staff",
        fr: "personnel",
        en: "staff",
    },
    Label {
        yaml: "equipment",
        fr: "équipement",
        en: "equipment",
    },
    Label {
        yaml: "other",
        fr: "autre",
        en: "other",
    },
];

/// A resource's funding `status`.
pub const STATUSES: &[Label] = &[
    Label {
        yaml: "secured",
        fr: "acquis",
        en: "secured",
    },
    Label {
        yaml: "pledged",
        fr: "promis",
        en: "pledged",
    },
    Label {
        yaml: "needed",
        fr: "à rechercher",
        en: "needed",
    },
];

/// A task's `repeat`.
pub const REPEATS: &[Label] = &[
    Label {
        yaml: "monthly",
        fr: "mensuelle",
        en: "monthly",
    },
    Label {
        yaml: "quarterly",
        fr: "trimestrielle",
        en: "quarterly",
    },
    Label {
        yaml: "semiannual",
        fr: "semestrielle",
        en: "semiannual",
    },
    Label {
        yaml: "yearly",
        fr: "annuelle",
        en: "yearly",
    },
];

/// A plan's or an owner's `language`.
pub const LANGUAGES: &[Label] = &[
    Label {
        yaml: "fr",
        fr: "fr",
        en: "fr",
    },
    Label {
        yaml: "en",
        fr: "en",
        en: "en",
    },
];

/// Yes/no columns: `true` is written `oui`/`yes` (or `true`, `x`), `false` `non`/`no` (or
/// `false`, an empty cell).
pub const YES_NO: &[Label] = &[
    Label {
        yaml: "true",
        fr: "oui",
        en: "yes",
    },
    Label {
        yaml: "false",
        fr: "non",
        en: "no",
    },
];

/// The other words read as yes and as no in a yes/no column.
const MORE_YES: &[&str] = &["oui", "yes", "true", "x", "vrai", "1"];
const MORE_NO: &[&str] = &["non", "no", "false", "faux", "0"];

/// What a column holds, for reading and for the template's drop-down lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// Free text (a title, a name, a description).
    Text,
    /// An id (of the row's item, or of another item).
    Id,
    /// Several ids or words, separated by `;`, `,` or line breaks.
    List,
    /// A date cell or a date in the plan forms (`2025-09-30`, `T3 2025`, `continu`...).
    Date,
    /// A number cell or a grouped text (`12 500 000`).
    Amount,
    /// A number that may be negative or decimal (indicator baselines and targets).
    Number,
    /// A duration (`14d`, `14j`, `2w`).
    Duration,
    /// Several durations (`30d; 7d`).
    Durations,
    /// A cron expression.
    Cron,
    /// Yes or no (see [`YES_NO`]).
    YesNo,
    /// One of the labels.
    Choice(&'static [Label]),
}

/// One column of a sheet (or one key of the `Plan` sheet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The YAML key this column fills, a path from the item (`reminders.before`); in the `Plan`
    /// sheet, a path from the document's root (`plan.period.start`).
    pub key: &'static str,
    pub fr: &'static str,
    pub en: &'static str,
    pub value: Value,
    /// Required by the plan format (the template marks it).
    pub required: bool,
    /// One sentence for the `Lisez-moi` sheet, in French and in English.
    pub about_fr: &'static str,
    pub about_en: &'static str,
}

impl Column {
    /// The header in `lang`.
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fr => self.fr,
            Lang::En => self.en,
        }
    }

    /// The description in `lang` (French with its non-breaking spaces before `:` and `;`).
    pub fn about(&self, lang: Lang) -> String {
        match lang {
            Lang::Fr => crate::text::french_typography(self.about_fr),
            Lang::En => self.about_en.to_string(),
        }
    }

    /// True when `header` names this column, in French, in English or as its YAML key.
    pub fn is_named(&self, header: &str) -> bool {
        matches(header, self.fr) || matches(header, self.en) || matches(header, self.key)
    }
}

/// The sheets of a plan workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SheetKind {
    Plan,
    Rates,
    Holidays,
    Owners,
    Priorities,
    Indicators,
    Tasks,
    Resources,
}

/// One sheet: its names, what a row is, its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sheet {
    pub kind: SheetKind,
    pub fr: &'static str,
    pub en: &'static str,
    /// What one row is, for the `Lisez-moi` sheet.
    pub row_fr: &'static str,
    pub row_en: &'static str,
    /// The sheet must be there (the YAML format requires what it holds).
    pub required: bool,
    /// The columns; for the `Plan` sheet, the keys of column A (no header row).
    pub columns: &'static [Column],
}

impl Sheet {
    /// The sheet's name in `lang`.
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fr => self.fr,
            Lang::En => self.en,
        }
    }

    /// What one row is, in `lang`.
    pub fn row(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fr => self.row_fr,
            Lang::En => self.row_en,
        }
    }

    /// True when `name` names this sheet (French or English, case and accents ignored).
    pub fn is_named(&self, name: &str) -> bool {
        matches(name, self.fr) || matches(name, self.en)
    }

    /// The column `header` names, if any.
    pub fn column(&self, header: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.is_named(header))
    }

    /// The column that fills YAML key `key`.
    pub fn by_key(&self, key: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.key == key)
    }
}

/// `a` and `b` are the same name once case, accents, spaces and punctuation are set aside:
/// `E-mail` is `email`, `Dépend de` is `depends on`'s French, `rappels : avant` is `Rappels avant`.
pub fn matches(a: &str, b: &str) -> bool {
    normalize(a) == normalize(b)
}

/// A name folded for [`matches`]: lowercase, no accents, letters and digits only.
pub fn normalize(name: &str) -> String {
    crate::text::fold(name)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Reads a yes/no cell's text: `Some(true)` for oui/yes/true/x, `Some(false)` for
/// non/no/false or an empty text, `None` for anything else.
pub fn yes_no(text: &str) -> Option<bool> {
    let t = normalize(text);
    if t.is_empty() || MORE_NO.iter().any(|w| *w == t) {
        Some(false)
    } else if MORE_YES.iter().any(|w| *w == t) {
        Some(true)
    } else {
        None
    }
}

/// Other words read for a value, beyond its labels: other genders and numbers of the French
/// labels, and common synonyms (folded as [`normalize`] folds them).
const MORE_LABELS: &[(&str, &str)] = &[
    ("mensuel", "monthly"),
    ("mensuels", "monthly"),
    ("mensuelles", "monthly"),
    ("trimestriel", "quarterly"),
    ("trimestriels", "quarterly"),
    ("trimestrielles", "quarterly"),
    ("semestriel", "semiannual"),
    ("semestriels", "semiannual"),
    ("semestrielles", "semiannual"),
    ("halfyearly", "semiannual"),
    ("annuel", "yearly"),
    ("annuels", "yearly"),
    ("annuelles", "yearly"),
    ("acquise", "secured"),
    ("acquises", "secured"),
    ("promise", "pledged"),
    ("promises", "pledged"),
    ("achercher", "needed"),
    ("arechercher", "needed"),
    ("francais", "fr"),
    ("french", "fr"),
    ("anglais", "en"),
    ("english", "en"),
    ("equipements", "equipment"),
];

/// The YAML word of a label written in French, English or as the YAML word itself (also in
/// another gender or number, [`MORE_LABELS`]). The one reader of these values, for workbooks
/// and YAML plans alike.
pub fn label_to_yaml(labels: &[Label], text: &str) -> Option<&'static str> {
    let t = normalize(text);
    labels
        .iter()
        .find(|l| normalize(l.yaml) == t || normalize(l.fr) == t || normalize(l.en) == t)
        .or_else(|| {
            let (_, yaml) = MORE_LABELS.iter().find(|(word, _)| *word == t)?;
            labels.iter().find(|l| l.yaml == *yaml)
        })
        .map(|l| l.yaml)
}

/// The label in `lang` of a YAML word (`secured` → `acquis`).
pub fn yaml_to_label(labels: &[Label], yaml: &str, lang: Lang) -> Option<&'static str> {
    labels.iter().find(|l| l.yaml == yaml).map(|l| l.name(lang))
}

/// The sheet `name` names, if any.
pub fn sheet(name: &str) -> Option<&'static Sheet> {
    SHEETS.iter().find(|s| s.is_named(name))
}

/// The sheet of a kind.
pub fn sheet_of(kind: SheetKind) -> &'static Sheet {
    SHEETS.iter().find(|s| s.kind == kind).unwrap_or(&SHEETS[0])
}

macro_rules! col {
    ($key:expr, $fr:expr, $en:expr, $value:expr, $req:expr, $afr:expr, $aen:expr) => {
        Column {
            key: $key,
            fr: $fr,
            en: $en,
            value: $value,
            required: $req,
            about_fr: $afr,
            about_en: $aen,
        }
    };
}

/// The keys of the `Plan` sheet (column A the key, column B the value).
pub const PLAN_KEYS: &[Column] = &[
    col!(
        "plan.id",
        "id",
        "id",
        Value::Id,
        true,
        "Identifiant du plan : minuscules, chiffres, « . », « _ » ou « - ».",
        "The plan's id: lowercase letters, digits, `.`, `_` or `-`."
    ),
    col!(
        "plan.title",
        "titre",
        "title",
        Value::Text,
        true,
        "Titre du plan d'actions.",
        "The action plan's title."
    ),
    col!(
        "plan.period.start",
        "début",
        "start",
        Value::Date,
        true,
        "Premier jour de la période du plan.",
        "First day of the plan period."
    ),
    col!(
        "plan.period.end",
        "fin",
        "end",
        Value::Date,
        true,
        "Dernier jour de la période du plan.",
        "Last day of the plan period."
    ),
    col!(
        "plan.timezone",
        "fuseau horaire",
        "timezone",
        Value::Text,
        false,
        "Fuseau horaire IANA des rappels (par défaut Africa/Bamako).",
        "IANA time zone of the reminders (default Africa/Bamako)."
    ),
    col!(
        "plan.currency",
        "devise",
        "currency",
        Value::Text,
        false,
        "Devise des totaux, code ISO 4217 (par défaut XOF, le franc CFA).",
        "Currency of the totals, an ISO 4217 code (default XOF, the CFA franc)."
    ),
    col!(
        "plan.language",
        "langue",
        "language",
        Value::Choice(LANGUAGES),
        false,
        "Langue des e-mails et des rapports : fr ou en.",
        "Language of e-mails and reports: fr or en."
    ),
    col!(
        "plan.secretariat",
        "secrétariat",
        "secretariat",
        Value::Id,
        false,
        "Identifiant du responsable qui reçoit les escalades.",
        "Id of the owner who receives escalations."
    ),
    col!(
        "reminders.schedule",
        "rappels : horaire",
        "reminders.schedule",
        Value::Cron,
        false,
        "Quand partent les rappels, expression cron (par exemple 0 8 * * LUN-VEN).",
        "When reminders go out, a cron expression (for example 0 8 * * MON-FRI)."
    ),
    col!(
        "reminders.before",
        "rappels : avant",
        "reminders.before",
        Value::Durations,
        false,
        "Rappels N jours avant l'échéance, par exemple 14j; 3j.",
        "Reminders N days before the deadline, for example 14d; 3d."
    ),
    col!(
        "reminders.on_deadline",
        "rappels : à l'échéance",
        "reminders.on_deadline",
        Value::YesNo,
        false,
        "Un rappel le jour de l'échéance : oui ou non.",
        "A reminder on the deadline day: yes or no."
    ),
    col!(
        "reminders.on_start",
        "rappels : au démarrage",
        "reminders.on_start",
        Value::YesNo,
        false,
        "Un rappel le jour du début d'une activité : oui ou non.",
        "A reminder on a task's start day: yes or no."
    ),
    col!(
        "reminders.overdue_every",
        "rappels : retard tous les",
        "reminders.overdue_every",
        Value::Duration,
        false,
        "Intervalle des rappels en cas de retard, par exemple 7j.",
        "Interval of the reminders while overdue, for example 7d."
    ),
    col!(
        "reminders.escalate_after",
        "rappels : escalade après",
        "reminders.escalate_after",
        Value::Duration,
        false,
        "Retard à partir duquel le parent et le secrétariat sont prévenus, par exemple 14j.",
        "Delay from which the parent and the secretariat are told, for example 14d."
    ),
    col!(
        "reminders.digest",
        "rappels : synthèse",
        "reminders.digest",
        Value::Cron,
        false,
        "Quand part la synthèse hebdomadaire, expression cron, ou off.",
        "When the weekly digest goes out, a cron expression, or off."
    ),
    col!(
        "calendar.weekend",
        "week-end",
        "calendar.weekend",
        Value::List,
        false,
        "Jours non ouvrés de la semaine, par exemple SAM; DIM.",
        "Non-working days of the week, for example SAT; SUN."
    ),
];

const RATE_COLUMNS: &[Column] = &[
    col!(
        "currency",
        "devise",
        "currency",
        Value::Text,
        true,
        "Code ISO 4217 de la devise (USD, CHF...).",
        "ISO 4217 code of the currency (USD, CHF...)."
    ),
    col!(
        "rate",
        "taux",
        "rate",
        Value::Amount,
        true,
        "Unités de la devise du plan pour 1 unité de cette devise.",
        "Units of the plan currency for 1 unit of this currency."
    ),
];

const HOLIDAY_COLUMNS: &[Column] = &[
    col!(
        "from",
        "date",
        "date",
        Value::Date,
        true,
        "Le jour férié, ou le premier jour d'une période fériée (aussi « du »).",
        "The holiday, or the first day of a range (also `from`)."
    ),
    col!(
        "to",
        "au",
        "to",
        Value::Date,
        false,
        "Le dernier jour d'une période fériée (vide pour un seul jour).",
        "The last day of a range (empty for one day)."
    ),
    col!(
        "label",
        "libellé",
        "label",
        Value::Text,
        false,
        "Le nom du jour férié.",
        "The holiday's name."
    ),
];

const OWNER_COLUMNS: &[Column] = &[
    col!(
        "id",
        "id",
        "id",
        Value::Id,
        true,
        "Identifiant du responsable, repris dans les autres feuilles.",
        "The owner's id, used in the other sheets."
    ),
    col!(
        "name",
        "nom",
        "name",
        Value::Text,
        true,
        "Nom de l'organisation ou de la personne.",
        "Name of the organisation or person."
    ),
    col!(
        "short",
        "sigle",
        "short",
        Value::Text,
        false,
        "Nom court affiché (sigle).",
        "Short display name."
    ),
    col!(
        "email",
        "e-mail",
        "email",
        Value::List,
        false,
        "Une ou plusieurs adresses, séparées par « ; » (sans adresse, pas de rappel).",
        "One or more addresses, separated by `;` (no address, no reminders)."
    ),
    col!(
        "parent",
        "parent",
        "parent",
        Value::Id,
        false,
        "Identifiant du responsable qui reçoit les escalades de celui-ci.",
        "Id of the owner who receives this one's escalations."
    ),
    col!(
        "language",
        "langue",
        "language",
        Value::Choice(LANGUAGES),
        false,
        "Langue de ses e-mails (fr ou en), si elle diffère de celle du plan.",
        "Language of their e-mails (fr or en), if not the plan's."
    ),
    col!(
        "renamed_from",
        "ancien id",
        "renamed_from",
        Value::Id,
        false,
        "Son identifiant précédent, s'il a été renommé (son historique suit).",
        "Its former id, if it was renamed (its history follows)."
    ),
];

const PRIORITY_COLUMNS: &[Column] = &[
    col!(
        "id",
        "id",
        "id",
        Value::Id,
        true,
        "Identifiant de l'axe, repris dans les feuilles Activités et Indicateurs.",
        "The priority's id, used in the Tasks and Indicators sheets."
    ),
    col!(
        "title",
        "titre",
        "title",
        Value::Text,
        true,
        "Intitulé de l'axe.",
        "The priority's title."
    ),
    col!(
        "lead",
        "responsable",
        "lead",
        Value::Id,
        false,
        "Identifiant du responsable chef de file.",
        "Id of the leading owner."
    ),
    col!(
        "aligned_with",
        "alignement",
        "aligned_with",
        Value::List,
        false,
        "Cadres auxquels l'axe se rattache, séparés par « ; » (PONAM; ODD-10.7).",
        "Frameworks the priority aligns with, separated by `;` (PONAM; SDG-10.7)."
    ),
    col!(
        "renamed_from",
        "ancien id",
        "renamed_from",
        Value::Id,
        false,
        "Son identifiant précédent, s'il a été renommé.",
        "Its former id, if it was renamed."
    ),
];

const INDICATOR_COLUMNS: &[Column] = &[
    col!(
        "id",
        "id",
        "id",
        Value::Id,
        true,
        "Identifiant de l'indicateur.",
        "The indicator's id."
    ),
    col!(
        "priority",
        "axe",
        "priority",
        Value::Id,
        true,
        "Identifiant de l'axe auquel il appartient.",
        "Id of the priority it belongs to."
    ),
    col!(
        "title",
        "titre",
        "title",
        Value::Text,
        true,
        "Intitulé de l'indicateur.",
        "The indicator's title."
    ),
    col!(
        "unit",
        "unité",
        "unit",
        Value::Text,
        false,
        "Unité de mesure (sessions, personnes...).",
        "Unit of measure (sessions, people...)."
    ),
    col!(
        "baseline",
        "référence",
        "baseline",
        Value::Number,
        false,
        "Valeur de départ.",
        "Starting value."
    ),
    col!(
        "target",
        "cible",
        "target",
        Value::Number,
        false,
        "Valeur visée.",
        "Target value."
    ),
    col!(
        "due",
        "échéance",
        "due",
        Value::Date,
        false,
        "Date à laquelle la cible doit être atteinte.",
        "Date by which the target is due."
    ),
    col!(
        "renamed_from",
        "ancien id",
        "renamed_from",
        Value::Id,
        false,
        "Son identifiant précédent, s'il a été renommé.",
        "Its former id, if it was renamed."
    ),
];

const TASK_COLUMNS: &[Column] =
    &[
        col!(
            "id",
            "id",
            "id",
            Value::Id,
            true,
            "Identifiant de l'activité, unique dans tout le plan.",
            "The task's id, unique across the plan."
        ),
        col!(
            "priority",
            "axe",
            "priority",
            Value::Id,
            true,
            "Identifiant de l'axe auquel elle appartient.",
            "Id of the priority it belongs to."
        ),
        col!(
            "title",
            "titre",
            "title",
            Value::Text,
            true,
            "Intitulé de l'activité.",
            "The task's title."
        ),
        col!(
            "description",
            "description",
            "description",
            Value::Text,
            false,
            "Description libre.",
            "Free description."
        ),
        col!("owner", "responsable", "owner", Value::List, true,
        "Identifiant du responsable, ou plusieurs séparés par « ; » pour une activité co-pilotée.",
        "Id of the owner, or several separated by `;` for a co-led task."),
        col!(
            "partners",
            "partenaires",
            "partners",
            Value::List,
            false,
            "Identifiants des partenaires, séparés par « ; ».",
            "Ids of the partners, separated by `;`."
        ),
        col!(
            "start",
            "début",
            "start",
            Value::Date,
            false,
            "Date de début.",
            "Start date."
        ),
        col!(
            "deadline",
            "échéance",
            "deadline",
            Value::Date,
            true,
            "Échéance : une date, un mois, T3 2025, S1 2026, ou continu.",
            "Deadline: a date, a month, Q3 2025, S1 2026, or continu (ongoing)."
        ),
        col!(
            "repeat",
            "répétition",
            "repeat",
            Value::Choice(REPEATS),
            false,
            "Activité récurrente : mensuelle, trimestrielle, semestrielle ou annuelle.",
            "Recurring task: monthly, quarterly, semiannual or yearly."
        ),
        col!(
            "until",
            "jusqu'au",
            "until",
            Value::Date,
            false,
            "Fin de la répétition : aucune occurrence après cette date.",
            "End of the repetition: no occurrence after this date."
        ),
        col!(
            "depends_on",
            "dépend de",
            "depends_on",
            Value::List,
            false,
            "Identifiants des activités à terminer avant, séparés par « ; ».",
            "Ids of the tasks to finish first, separated by `;`."
        ),
        col!(
            "milestone",
            "jalon",
            "milestone",
            Value::YesNo,
            false,
            "Jalon du plan : oui ou non.",
            "A milestone of the plan: yes or no."
        ),
        col!(
            "renamed_from",
            "ancien id",
            "renamed_from",
            Value::Id,
            false,
            "Son identifiant précédent, s'il a été renommé (son suivi continue).",
            "Its former id, if it was renamed (its tracking carries over)."
        ),
        col!(
            "reminders.before",
            "rappels avant",
            "reminders.before",
            Value::Durations,
            false,
            "Rappels propres à l'activité, N jours avant l'échéance (30j; 7j).",
            "The task's own reminders, N days before the deadline (30d; 7d)."
        ),
        col!(
            "reminders",
            "rappels",
            "reminders",
            Value::YesNo,
            false,
            "non pour ne jamais envoyer de rappel pour cette activité.",
            "no (or off) to never send reminders for this task."
        ),
        col!(
            "reminders.on_deadline",
            "rappels à l'échéance",
            "reminders.on_deadline",
            Value::YesNo,
            false,
            "Rappel le jour de l'échéance pour cette activité : oui ou non.",
            "A reminder on this task's deadline day: yes or no."
        ),
        col!(
            "reminders.on_start",
            "rappels au démarrage",
            "reminders.on_start",
            Value::YesNo,
            false,
            "Rappel le jour du début de cette activité : oui ou non.",
            "A reminder on this task's start day: yes or no."
        ),
        col!(
            "reminders.overdue_every",
            "rappels retard tous les",
            "reminders.overdue_every",
            Value::Duration,
            false,
            "Intervalle des rappels de retard pour cette activité (7j).",
            "Interval of this task's overdue reminders (7d)."
        ),
        col!(
            "reminders.escalate_after",
            "rappels escalade après",
            "reminders.escalate_after",
            Value::Duration,
            false,
            "Retard à partir duquel cette activité est escaladée (14j).",
            "Delay from which this task is escalated (14d)."
        ),
    ];

const RESOURCE_COLUMNS: &[Column] = &[
    col!(
        "task",
        "activité",
        "task",
        Value::Id,
        true,
        "Identifiant de l'activité à laquelle la ressource est rattachée.",
        "Id of the task the resource belongs to."
    ),
    col!(
        "kind",
        "type",
        "kind",
        Value::Choice(KINDS),
        true,
        "budget, personnel, équipement ou autre.",
        "budget, staff, equipment or other."
    ),
    col!(
        "amount",
        "montant",
        "amount",
        Value::Amount,
        false,
        "Montant (obligatoire pour un budget), nombre ou texte groupé (12 500 000).",
        "Amount (required for a budget), a number or grouped text (12 500 000)."
    ),
    col!(
        "currency",
        "devise",
        "currency",
        Value::Text,
        false,
        "Devise du montant (vide : celle du plan).",
        "Currency of the amount (empty: the plan's)."
    ),
    col!(
        "funder",
        "bailleur",
        "funder",
        Value::Id,
        false,
        "Identifiant du responsable qui finance, ou nom d'un bailleur qui n'est pas un responsable (Budget national).",
        "Id of the funding owner, or name of a funder that is not an owner (Budget national)."
    ),
    col!(
        "status",
        "statut",
        "status",
        Value::Choice(STATUSES),
        false,
        "acquis, promis ou à rechercher (besoin de financement).",
        "secured, pledged or needed (a financing gap)."
    ),
    col!(
        "quantity",
        "quantité",
        "quantity",
        Value::Amount,
        false,
        "Quantité (pour du personnel ou de l'équipement).",
        "Quantity (for staff or equipment)."
    ),
    col!(
        "unit",
        "unité",
        "unit",
        Value::Text,
        false,
        "Unité de la quantité (personne-mois...).",
        "Unit of the quantity (person-months...)."
    ),
    col!(
        "label",
        "libellé",
        "label",
        Value::Text,
        false,
        "Libellé de la ressource.",
        "The resource's label."
    ),
];

/// Every sheet of a plan workbook, in the order the writer writes them.
pub const SHEETS: &[Sheet] = &[
    Sheet {
        kind: SheetKind::Plan,
        fr: "Plan",
        en: "Plan",
        row_fr: "une clé (colonne A) et sa valeur (colonne B), sans ligne d'en-tête",
        row_en: "a key (column A) and its value (column B), no header row",
        required: true,
        columns: PLAN_KEYS,
    },
    Sheet {
        kind: SheetKind::Rates,
        fr: "Taux de change",
        en: "Exchange rates",
        row_fr: "une devise et son taux",
        row_en: "a currency and its rate",
        required: false,
        columns: RATE_COLUMNS,
    },
    Sheet {
        kind: SheetKind::Holidays,
        fr: "Jours fériés",
        en: "Holidays",
        row_fr: "un jour férié ou une période fériée",
        row_en: "a holiday or a range of days",
        required: false,
        columns: HOLIDAY_COLUMNS,
    },
    Sheet {
        kind: SheetKind::Owners,
        fr: "Responsables",
        en: "Owners",
        row_fr: "un responsable (organisation ou personne)",
        row_en: "an owner (organisation or person)",
        required: true,
        columns: OWNER_COLUMNS,
    },
    Sheet {
        kind: SheetKind::Priorities,
        fr: "Axes",
        en: "Priorities",
        row_fr: "un axe stratégique",
        row_en: "a priority",
        required: true,
        columns: PRIORITY_COLUMNS,
    },
    Sheet {
        kind: SheetKind::Indicators,
        fr: "Indicateurs",
        en: "Indicators",
        row_fr: "un indicateur d'un axe",
        row_en: "an indicator of a priority",
        required: false,
        columns: INDICATOR_COLUMNS,
    },
    Sheet {
        kind: SheetKind::Tasks,
        fr: "Activités",
        en: "Tasks",
        row_fr: "une activité",
        row_en: "a task",
        required: true,
        columns: TASK_COLUMNS,
    },
    Sheet {
        kind: SheetKind::Resources,
        fr: "Ressources",
        en: "Resources",
        row_fr: "une ligne de ressources d'une activité",
        row_en: "a resource line of a task",
        required: false,
        columns: RESOURCE_COLUMNS,
    },
];

/// Headers also read for a column, beyond its French, English and YAML names.
pub const EXTRA_NAMES: &[(SheetKind, &str, &str)] = &[
    (SheetKind::Holidays, "du", "from"),
    (SheetKind::Holidays, "from", "from"),
    (SheetKind::Owners, "email", "email"),
    (SheetKind::Owners, "courriel", "email"),
];

/// The column `header` names in `sheet`, counting [`EXTRA_NAMES`].
pub fn column(sheet: &'static Sheet, header: &str) -> Option<&'static Column> {
    sheet.column(header).or_else(|| {
        EXTRA_NAMES
            .iter()
            .find(|(k, name, _)| *k == sheet.kind && matches(header, name))
            .and_then(|(_, _, key)| sheet.by_key(key))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_without_case_accents_or_punctuation() {
        assert!(matches("ÉCHÉANCE", "échéance"));
        assert!(matches("Echeance", "échéance"));
        assert!(matches("E-mail", "email"));
        assert!(matches("Rappels : avant", "rappels avant"));
        assert!(!matches("début", "fin"));
        assert_eq!(sheet("activites").map(|s| s.kind), Some(SheetKind::Tasks));
        assert_eq!(sheet("TASKS").map(|s| s.kind), Some(SheetKind::Tasks));
        assert_eq!(
            sheet("Jours Feries").map(|s| s.kind),
            Some(SheetKind::Holidays)
        );
        let tasks = sheet_of(SheetKind::Tasks);
        assert_eq!(
            column(tasks, "Dépend de").map(|c| c.key),
            Some("depends_on")
        );
        assert_eq!(
            column(tasks, "depends_on").map(|c| c.key),
            Some("depends_on")
        );
        assert_eq!(
            column(sheet_of(SheetKind::Holidays), "Du").map(|c| c.key),
            Some("from")
        );
        assert!(column(tasks, "couleur").is_none());
    }

    #[test]
    fn labels_both_ways() {
        assert_eq!(label_to_yaml(STATUSES, "A rechercher"), Some("needed"));
        assert_eq!(label_to_yaml(STATUSES, "secured"), Some("secured"));
        assert_eq!(label_to_yaml(KINDS, "Équipement"), Some("equipment"));
        assert_eq!(label_to_yaml(REPEATS, "mensuelle"), Some("monthly"));
        assert_eq!(label_to_yaml(REPEATS, "hebdomadaire"), None);
        assert_eq!(yaml_to_label(STATUSES, "pledged", Lang::Fr), Some("promis"));
        assert_eq!(yaml_to_label(KINDS, "staff", Lang::En), Some("staff"));
        assert_eq!(yes_no("Oui"), Some(true));
        assert_eq!(yes_no("x"), Some(true));
        assert_eq!(yes_no(""), Some(false));
        assert_eq!(yes_no("peut-être"), None);
    }

    #[test]
    fn every_column_is_described_and_names_are_unique_per_sheet() {
        for s in SHEETS {
            for (i, c) in s.columns.iter().enumerate() {
                assert!(
                    !c.about_fr.is_empty() && !c.about_en.is_empty(),
                    "{}",
                    c.key
                );
                for other in &s.columns[i + 1..] {
                    assert!(!matches(c.fr, other.fr), "{} / {}", c.fr, other.fr);
                    assert!(!matches(c.en, other.en), "{} / {}", c.en, other.en);
                }
            }
        }
    }
}
