//! From a positioned YAML tree to a validated [`Plan`], reporting every problem on the way.
//!
//! The walk never stops at the first mistake: each section is read as far as it can be, bad values
//! are reported where they stand and skipped, and cross-references (owners, dependencies) are
//! checked once the whole file has been read. A plan is returned only when no error was found.
//! Every message exists in French and English (`tr!`).

use crate::lang::Lang;
use crate::plan::currency::{self, Currency};
use crate::plan::diag::{Code, Diagnostic, Severity};
use crate::plan::model::*;
use crate::plan::values::{self, AmountError, DateError, DateForm};
use crate::plan::yaml::{Kind, Node, Pos};
use crate::schedule::CronSpec;
use crate::text::french_typography;
use crate::tr;
use crate::workbook::columns;
use chrono::{Datelike, NaiveDate, Weekday};
use rustc_hash::{FxHashMap as HashMap, FxHashSet};
use std::collections::BTreeMap;

const TOP_KEYS: &[&str] = &[
    "version",
    "plan",
    "reminders",
    "calendar",
    "owners",
    "funders",
    "priorities",
];
const FUNDER_KEYS: &[&str] = &["id", "name"];
const PLAN_KEYS: &[&str] = &[
    "id",
    "title",
    "period",
    "timezone",
    "currency",
    "language",
    "secretariat",
    "exchange_rates",
];
const PERIOD_KEYS: &[&str] = &["start", "end"];
const POLICY_KEYS: &[&str] = &[
    "schedule",
    "before",
    "on_deadline",
    "overdue_every",
    "escalate_after",
    "digest",
    "on_start",
];
const OVERRIDE_KEYS: &[&str] = &[
    "before",
    "on_deadline",
    "on_start",
    "overdue_every",
    "escalate_after",
];
const CALENDAR_KEYS: &[&str] = &["weekend", "holidays"];
const HOLIDAY_KEYS: &[&str] = &["from", "to", "label"];
const OWNER_KEYS: &[&str] = &[
    "id",
    "name",
    "short",
    "email",
    "language",
    "parent",
    "renamed_from",
];
const PRIORITY_KEYS: &[&str] = &[
    "id",
    "title",
    "lead",
    "aligned_with",
    "indicators",
    "tasks",
    "renamed_from",
];
const INDICATOR_KEYS: &[&str] = &[
    "id",
    "title",
    "unit",
    "baseline",
    "target",
    "due",
    "renamed_from",
];
const TASK_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "owner",
    "partners",
    "start",
    "deadline",
    "repeat",
    "until",
    "depends_on",
    "milestone",
    "renamed_from",
    "reminders",
    "resources",
];
const RESOURCE_KEYS: &[&str] = &[
    "kind", "amount", "currency", "funder", "status", "quantity", "unit", "label",
];

/// The enumerations whose French and English labels (the workbook's) are read in YAML too.
const LABEL_SETS: &[&[columns::Label]] = &[
    columns::KINDS,
    columns::STATUSES,
    columns::REPEATS,
    columns::LANGUAGES,
];

/// Words plan authors often write in French (or by habit) for a key of the format.
const KEY_ALIASES: &[(&str, &str)] = &[
    ("echeance", "deadline"),
    ("échéance", "deadline"),
    ("date_limite", "deadline"),
    ("due", "deadline"),
    ("responsable", "owner"),
    ("owners", "owner"),
    ("lead", "owner"),
    ("titre", "title"),
    ("partenaires", "partners"),
    ("partner", "partners"),
    ("debut", "start"),
    ("début", "start"),
    ("fin", "end"),
    ("depends", "depends_on"),
    ("dependencies", "depends_on"),
    ("taches", "tasks"),
    ("tâches", "tasks"),
    ("activites", "tasks"),
    ("activités", "tasks"),
    ("montant", "amount"),
    ("bailleur", "funder"),
    ("devise", "currency"),
    ("nom", "name"),
    ("courriel", "email"),
    ("emails", "email"),
    ("mail", "email"),
    ("langue", "language"),
    ("cible", "target"),
    ("reference", "baseline"),
    ("jalon", "milestone"),
    ("jusqu'au", "until"),
    ("jusqua", "until"),
    ("fin_repetition", "until"),
    ("type", "kind"),
];

/// The outcome of checking one file: every diagnostic, and the plan when none is an error.
#[derive(Debug)]
pub struct Checked {
    pub plan: Option<Plan>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Entity {
    Owner,
    /// A funder that is not an owner (`funders:`).
    Funder,
    Priority,
    Indicator,
    Task,
}

impl Entity {
    fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Entity::Owner, Lang::Fr) => "un responsable (owners)",
            (Entity::Owner, Lang::En) => "an owner",
            (Entity::Funder, Lang::Fr) => "un bailleur (funders)",
            (Entity::Funder, Lang::En) => "a funder (funders)",
            (Entity::Priority, Lang::Fr) => "une priorité",
            (Entity::Priority, Lang::En) => "a priority",
            (Entity::Indicator, Lang::Fr) => "un indicateur",
            (Entity::Indicator, Lang::En) => "an indicator",
            (Entity::Task, Lang::Fr) => "une tâche",
            (Entity::Task, Lang::En) => "a task",
        }
    }
}

/// Which key made a reference, to word the message ("the owner", "the funder"...).
#[derive(Clone, Copy)]
enum RefRole {
    Owner,
    Partner,
    Lead,
    Funder,
    Parent,
    Secretariat,
    DependsOn,
}

impl RefRole {
    fn key(self) -> &'static str {
        match self {
            RefRole::Owner => "owner",
            RefRole::Partner => "partners",
            RefRole::Lead => "lead",
            RefRole::Funder => "funder",
            RefRole::Parent => "parent",
            RefRole::Secretariat => "secretariat",
            RefRole::DependsOn => "depends_on",
        }
    }
    fn target(self) -> Entity {
        match self {
            RefRole::DependsOn => Entity::Task,
            _ => Entity::Owner,
        }
    }
    /// True when an id declared as `entity` may be named here: a funder is an owner or one of
    /// the plan's `funders`.
    fn accepts(self, entity: Entity) -> bool {
        entity == self.target() || matches!(self, RefRole::Funder) && entity == Entity::Funder
    }
}

/// A deadline or due date, judged once the plan period and calendar are known.
struct Dated {
    pos: Pos,
    date: NaiveDate,
    label: String,
    /// A task deadline written as a precise day (checked against the calendar).
    precise_day: bool,
    /// A recurring task's step, for the first occurrence inside the period.
    repeat: Option<Repeat>,
}

struct Reference {
    role: RefRole,
    id: String,
    pos: Pos,
}

/// What a mapping is, for messages ("la tâche `axe-1.a1`"): a text, or a closure so that the
/// sentence is only built when a message needs it (tasks are read 100,000 at a time).
trait Describe {
    fn describe(&self) -> String;
}

impl Describe for str {
    fn describe(&self) -> String {
        self.to_string()
    }
}

impl<F: Fn() -> String> Describe for F {
    fn describe(&self) -> String {
        self()
    }
}

/// A mapping node's entries, after unknown keys were reported.
struct Fields<'n, 'a> {
    pos: Pos,
    pairs: &'n [(Node<'a>, Node<'a>)],
    /// The known keys that unknown keys of this mapping were taken for (`dealine` for
    /// `deadline`): such a key is not reported missing as well, the typo said once.
    meant: Vec<String>,
}

impl<'n, 'a> Fields<'n, 'a> {
    fn get(&self, key: &str) -> Option<&'n Node<'a>> {
        self.pairs
            .iter()
            .find(|(k, _)| k.as_scalar() == Some(key))
            .map(|(_, v)| v)
    }
}

struct Validator<'f> {
    lang: Lang,
    file: &'f str,
    /// A workbook's sheet names (`Pos::sheet` 1 is the first); empty for a YAML file.
    sheets: &'f [String],
    diags: Vec<Diagnostic>,
    ids: HashMap<String, (Entity, Pos)>,
    refs: Vec<Reference>,
    /// Former ids (`renamed_from`) with where they were written.
    former_ids: Vec<(String, Pos)>,
    /// Per owner used in a task's `owner`: where first, and how many tasks.
    owner_uses: HashMap<String, (Pos, usize)>,
    /// Tasks validated while the file was being parsed, by priority index (see `parse_streaming`).
    streamed: Vec<Vec<Task>>,
    /// How many task items each priority had, valid or not.
    streamed_items: Vec<usize>,
    /// Deadlines and due dates, checked against the period and calendar once both are known.
    dated: Vec<Dated>,
    /// Currencies written on resources, checked once the plan's currency and rates are known.
    currencies: Vec<(Pos, String)>,
    /// Each owner's `parent` (owner as written, parent, where the parent was written).
    parents: Vec<(String, String, Pos)>,
    /// Currencies already reported (the plan's, an exchange rate's): not reported again.
    bad_currencies: FxHashSet<String>,
    /// Owners whose `email` key was written (even if invalid): no second warning for them.
    email_written: FxHashSet<String>,
    /// Every task's dependencies with where each was written, even for tasks with other errors,
    /// so loops are always found.
    graph: Vec<(String, Vec<(String, Pos)>)>,
    /// Funders written as a name (`funder: "Budget national"`), checked against the owners'
    /// sigles and names once they are known.
    funder_names: Vec<(String, Pos)>,
}

/// Checks a plan file's text. `file` is only used to label diagnostics.
pub fn check_source(src: &str, file: &str, lang: Lang) -> Checked {
    let mut v = Validator::new(file, &[], lang);
    let parsed = crate::plan::yaml::parse_streaming(src, &mut |priority, node| {
        if v.streamed.len() <= priority {
            v.streamed.resize_with(priority + 1, Vec::new);
            v.streamed_items.resize(priority + 1, 0);
        }
        v.streamed_items[priority] += 1;
        if let Some(task) = v.task(&node) {
            v.streamed[priority].push(task);
        }
    });
    let root = match parsed {
        Ok(root) => root,
        Err(e) => {
            v.report(Code::YamlSyntax, e.pos, e.message(lang), Some(e.help(lang)));
            return v.finish(None);
        }
    };
    let plan = v.plan(&root);
    v.finish(plan)
}

/// A problem found before validation (by the workbook reader): code, where, message, help.
pub type Found = (Code, Pos, String, Option<String>);

/// Checks a plan tree built by another reader than the YAML one (a workbook's sheets): the same
/// rules and diagnostics as [`check_source`], plus the reader's own problems (`found`). Positions
/// with a `sheet` are reported with that sheet's name (from `sheets`) and their cell.
pub fn check_tree(
    root: &Node<'_>,
    sheets: &[String],
    found: Vec<Found>,
    file: &str,
    lang: Lang,
) -> Checked {
    let mut v = Validator::new(file, sheets, lang);
    for (code, pos, message, help) in found {
        v.report(code, pos, message, help);
    }
    let plan = v.plan(root);
    v.finish(plan)
}

impl<'f> Validator<'f> {
    fn new(file: &'f str, sheets: &'f [String], lang: Lang) -> Validator<'f> {
        Validator {
            lang,
            file,
            sheets,
            diags: Vec::new(),
            ids: HashMap::default(),
            refs: Vec::new(),
            former_ids: Vec::new(),
            owner_uses: HashMap::default(),
            graph: Vec::new(),
            email_written: Default::default(),
            streamed: Vec::new(),
            streamed_items: Vec::new(),
            dated: Vec::new(),
            currencies: Vec::new(),
            bad_currencies: Default::default(),
            parents: Vec::new(),
            funder_names: Vec::new(),
        }
    }

    /// Where `pos` is, for a sentence: `ligne 3, colonne 5`, or `Activités!B7` in a workbook.
    fn place(&self, pos: Pos) -> String {
        match self.sheet_name(pos) {
            Some(sheet) => {
                let cell = format!(
                    "{sheet}!{}{}",
                    crate::plan::diag::column_letters(pos.col),
                    pos.line
                );
                tr!(self.lang, "en {cell}", "{cell}")
            }
            None => tr!(
                self.lang,
                "ligne {}, colonne {}",
                "line {}, column {}",
                pos.line,
                pos.col
            ),
        }
    }

    fn sheet_name(&self, pos: Pos) -> Option<&str> {
        let i = usize::from(pos.sheet).checked_sub(1)?;
        self.sheets.get(i).map(String::as_str)
    }

    fn finish(mut self, plan: Option<Plan>) -> Checked {
        let sheets = self.sheets;
        self.diags.sort_by_key(|d| {
            let sheet = d
                .sheet
                .as_ref()
                .and_then(|s| sheets.iter().position(|n| n == s))
                .map_or(0, |i| i + 1);
            (sheet, d.line, d.column)
        });
        let has_errors = self.diags.iter().any(Diagnostic::is_error);
        Checked {
            plan: if has_errors { None } else { plan },
            diagnostics: self.diags,
        }
    }

    fn report(&mut self, code: Code, pos: Pos, message: String, help: Option<String>) {
        let (message, help) = match self.lang {
            Lang::Fr => (
                french_typography(&message),
                help.map(|h| french_typography(&h)),
            ),
            Lang::En => (message, help),
        };
        let sheet = self.sheet_name(pos).map(str::to_string);
        let cell = sheet
            .as_ref()
            .map(|_| format!("{}{}", crate::plan::diag::column_letters(pos.col), pos.line));
        self.diags.push(Diagnostic {
            code,
            severity: code.severity(),
            message,
            file: self.file.to_string(),
            line: pos.line,
            column: pos.col,
            help,
            sheet,
            cell,
        });
    }

    fn error_count(&self) -> usize {
        self.diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    // ---- generic readers -------------------------------------------------------------------

    /// Reads a mapping, reporting keys the format does not have.
    fn fields<'n, 'a, W: Describe + ?Sized>(
        &mut self,
        node: &'n Node<'a>,
        what: &W,
        known: &[&str],
    ) -> Option<Fields<'n, 'a>> {
        let Kind::Map(pairs) = &node.kind else {
            let what = what.describe();
            let msg = tr!(
                self.lang,
                "{what} doit être une table de clés (`clé: valeur`), pas {}",
                "{what} must be a mapping (`key: value`), not {}",
                kind_word(node, self.lang)
            );
            self.report(Code::InvalidValue, node.pos, msg, None);
            return None;
        };
        let mut meant = Vec::new();
        for (key, _) in pairs {
            match key.as_scalar() {
                Some(k) if known.contains(&k) => {}
                Some(k) => {
                    if let Some(m) = meant_key(k, known) {
                        meant.push(m.to_string());
                    }
                    let help = suggest_key(k, known, self.lang);
                    let what = what.describe();
                    let msg = tr!(
                        self.lang,
                        "clé inconnue `{k}` dans {what}",
                        "unknown key `{k}` in {what}"
                    );
                    self.report(Code::UnknownField, key.pos, msg, Some(help));
                }
                None => {
                    let msg = tr!(
                        self.lang,
                        "une clé doit être un simple texte",
                        "a key must be plain text"
                    );
                    self.report(Code::InvalidValue, key.pos, msg, None);
                }
            }
        }
        Some(Fields {
            pos: node.pos,
            pairs,
            meant,
        })
    }

    fn require<'n, 'a, W: Describe + ?Sized>(
        &mut self,
        f: &Fields<'n, 'a>,
        key: &str,
        what: &W,
    ) -> Option<&'n Node<'a>> {
        let found = f.get(key).filter(|n| !n.is_null());
        if found.is_none() && !f.meant.iter().any(|m| m == key) {
            let what = what.describe();
            let de_what = de(&what);
            let msg = tr!(
                self.lang,
                "clé obligatoire `{key}` absente {de_what}",
                "required key `{key}` is missing from {what}",
            );
            self.report(Code::MissingField, f.pos, msg, None);
        }
        found
    }

    /// A text value (a non-null scalar).
    fn text(&mut self, node: &Node<'_>, key: &str) -> Option<String> {
        match &node.kind {
            Kind::Scalar { text, .. } if !node.is_null() => Some(text.to_string()),
            _ => {
                let msg = tr!(
                    self.lang,
                    "`{key}` doit être un texte, pas {}",
                    "`{key}` must be text, not {}",
                    kind_word(node, self.lang)
                );
                self.report(Code::InvalidValue, node.pos, msg, None);
                None
            }
        }
    }

    /// A required text (`title`, `name`): present, and not empty or blank. A blank text is
    /// `missing-field` like an absent key, reported at the value.
    fn required_text<W: Describe + ?Sized>(
        &mut self,
        f: &Fields<'_, '_>,
        key: &str,
        what: &W,
    ) -> Option<String> {
        let node = self.require(f, key, what)?;
        let text = self.text(node, key)?;
        if !text.trim().is_empty() {
            return Some(text);
        }
        let what = what.describe();
        let de_what = de(&what);
        let msg = tr!(
            self.lang,
            "`{key}` {de_what} est vide : un texte est obligatoire",
            "`{key}` of {what} is empty: a text is required",
        );
        self.report(Code::MissingField, node.pos, msg, None);
        None
    }

    fn opt_text(&mut self, f: &Fields<'_, '_>, key: &str) -> Option<String> {
        f.get(key)
            .filter(|n| !n.is_null())
            .and_then(|n| self.text(n, key))
    }

    /// `true`/`false`, also as the workbook reads a yes/no cell: `oui`, `non`, `yes`, `no`,
    /// `vrai`, `faux`, `x` ([`columns::yes_no`]).
    fn boolean(&mut self, node: &Node<'_>, key: &str) -> Option<bool> {
        match node
            .as_scalar()
            .filter(|t| !t.trim().is_empty())
            .and_then(columns::yes_no)
        {
            Some(b) => Some(b),
            None => {
                let msg = tr!(
                    self.lang,
                    "`{key}` doit valoir `true` ou `false` (ou `oui`, `non`)",
                    "`{key}` must be `true` or `false` (or `yes`, `no`)"
                );
                self.report(Code::InvalidValue, node.pos, msg, None);
                None
            }
        }
    }

    fn id(&mut self, node: &Node<'_>, key: &str) -> Option<String> {
        let text = self.text(node, key)?;
        if values::is_valid_id(&text) {
            return Some(text);
        }
        let msg = tr!(
            self.lang,
            "identifiant invalide `{text}`",
            "invalid id `{text}`"
        );
        let help = tr!(
            self.lang,
            "un identifiant commence par une minuscule ou un chiffre, puis minuscules, chiffres, `.`, `_` ou `-` (64 caractères au plus){}",
            "an id starts with a lowercase letter or digit, then lowercase letters, digits, `.`, `_` or `-` (at most 64 characters){}",
            id_fix(&text).map(|s| format!(" : `{s}` ?")).unwrap_or_default()
        );
        self.report(Code::InvalidId, node.pos, msg, Some(help));
        None
    }

    /// Registers an id in the plan's single namespace; a second use is `duplicate-id`, reported
    /// at whichever use comes later in the file (tasks are read while parsing, so not in order).
    /// An id that breaks the pattern is reported once and still declared as written, so that
    /// the references naming it are not reported again as unknown.
    fn declare(&mut self, node: &Node<'_>, entity: Entity) -> Option<String> {
        let valid = self.id(node, "id");
        let id = match &valid {
            Some(id) => id.clone(),
            None => node
                .as_scalar()
                .filter(|s| !s.trim().is_empty())?
                .to_string(),
        };
        let Some((first, first_pos)) = self.ids.get(&id).copied() else {
            self.ids.insert(id.clone(), (entity, node.pos));
            return valid;
        };
        let later = (first_pos.sheet, first_pos.line, first_pos.col)
            > (node.pos.sheet, node.pos.line, node.pos.col);
        let (kept, kept_pos, dup_pos) = if later {
            self.ids.insert(id.clone(), (entity, node.pos));
            (entity, node.pos, first_pos)
        } else {
            (first, first_pos, node.pos)
        };
        let msg = tr!(
            self.lang,
            "l'identifiant `{id}` est déjà utilisé par {}",
            "id `{id}` is already used by {}",
            kept.name(self.lang)
        );
        let place = self.place(kept_pos);
        let help = tr!(
            self.lang,
            "première utilisation {place} ; les identifiants sont uniques dans tout le plan",
            "first used at {place}; ids are unique across the whole plan",
        );
        self.report(Code::DuplicateId, dup_pos, msg, Some(help));
        None
    }

    fn renamed_from(&mut self, f: &Fields<'_, '_>) -> Option<String> {
        let node = f.get("renamed_from").filter(|n| !n.is_null())?;
        let id = self.id(node, "renamed_from")?;
        self.former_ids.push((id.clone(), node.pos));
        Some(id)
    }

    /// Reads an id that names something else; checked now when the target is already declared
    /// (owners usually come first), else kept for `check_references` at the end.
    fn reference(&mut self, node: &Node<'_>, role: RefRole) -> Option<String> {
        let id = self.text(node, role.key())?;
        if id.trim().is_empty() {
            // `owner: ""` is reported by the task as a missing owner.
            if !matches!(role, RefRole::Owner) {
                let key = role.key();
                let msg = tr!(
                    self.lang,
                    "`{key}` contient un identifiant vide",
                    "`{key}` holds an empty id"
                );
                self.report(Code::InvalidValue, node.pos, msg, None);
            }
            return None;
        }
        if !matches!(self.ids.get(&id), Some((e, _)) if role.accepts(*e)) {
            self.refs.push(Reference {
                role,
                id: id.clone(),
                pos: node.pos,
            });
        }
        Some(id)
    }

    /// One scalar or a list of scalars, each read by `each`.
    fn one_or_many<T>(
        &mut self,
        node: &Node<'_>,
        key: &str,
        mut each: impl FnMut(&mut Self, &Node<'_>) -> Option<T>,
    ) -> Vec<T> {
        match &node.kind {
            Kind::Seq(items) => items.iter().filter_map(|n| each(self, n)).collect(),
            Kind::Scalar { .. } if !node.is_null() => each(self, node).into_iter().collect(),
            Kind::Scalar { .. } => Vec::new(),
            Kind::Map(_) => {
                let msg = tr!(
                    self.lang,
                    "`{key}` doit être une valeur ou une liste, pas une table",
                    "`{key}` must be a value or a list, not a mapping"
                );
                self.report(Code::InvalidValue, node.pos, msg, None);
                Vec::new()
            }
        }
    }

    fn list<'n, 'a>(&mut self, node: &'n Node<'a>, key: &str) -> &'n [Node<'a>] {
        match &node.kind {
            Kind::Seq(items) => items,
            _ if node.is_null() => &[],
            _ => {
                let msg = tr!(
                    self.lang,
                    "`{key}` doit être une liste (`- ...`), pas {}",
                    "`{key}` must be a list (`- ...`), not {}",
                    kind_word(node, self.lang)
                );
                self.report(Code::InvalidValue, node.pos, msg, None);
                &[]
            }
        }
    }

    fn date(&mut self, node: &Node<'_>, key: &str) -> Option<(DateSpec, DateForm)> {
        let text = self.text(node, key)?;
        match values::parse_date(&text) {
            Ok((date, form)) => Some((
                DateSpec {
                    date,
                    label: values::date_label(&text),
                },
                form,
            )),
            Err(e) => {
                let odd = values::odd_char(&text).map(|c| char_name(c, self.lang));
                let msg = match (e, odd) {
                    (DateError::Form, Some(which)) => tr!(
                        self.lang,
                        "date illisible `{text}` dans `{key}` : elle contient {which}",
                        "unreadable date `{text}` in `{key}`: it contains {which}"
                    ),
                    (e, _) => match e {
                    DateError::Impossible => tr!(
                        self.lang,
                        "date impossible `{text}` dans `{key}`",
                        "impossible date `{text}` in `{key}`"
                    ),
                    DateError::Form => tr!(
                        self.lang,
                        "date illisible `{text}` dans `{key}`",
                        "unreadable date `{text}` in `{key}`"
                    ),
                    DateError::YearOutOfRange => tr!(
                        self.lang,
                        "date `{text}` hors limites dans `{key}`\u{a0}: l'année doit être comprise entre {} et {}",
                        "date `{text}` out of range in `{key}`: the year must be between {} and {}",
                        values::MIN_YEAR,
                        values::MAX_YEAR
                    ),
                    },
                };
                let help = tr!(
                    self.lang,
                    "formes acceptées : AAAA-MM-JJ (2025-09-30) ou JJ/MM/AAAA (30/09/2025), AAAA-MM (fin du mois), T3 2025 ou Q3 2025 (fin du trimestre), S1 2025 (fin du semestre){}",
                    "accepted forms: YYYY-MM-DD (2025-09-30) or DD/MM/YYYY (30/09/2025), YYYY-MM (end of month), T3 2025 or Q3 2025 (end of quarter), S1 2025 (end of semester){}",
                    if key == "deadline" {
                        tr!(self.lang, ", ou `continu` (activité continue)", ", or `continu` (ongoing activity)")
                    } else {
                        String::new()
                    }
                );
                self.report(Code::InvalidDate, node.pos, msg, Some(help));
                None
            }
        }
    }

    fn duration(&mut self, node: &Node<'_>, key: &str) -> Option<u32> {
        let text = self.text(node, key)?;
        match values::parse_duration(&text) {
            Ok(days) => Some(days),
            Err(e) => {
                let msg = match e {
                    values::DurationError::Form => tr!(
                        self.lang,
                        "durée illisible `{text}` dans `{key}`",
                        "unreadable duration `{text}` in `{key}`"
                    ),
                    values::DurationError::TooLong => tr!(
                        self.lang,
                        "durée trop longue `{text}` dans `{key}`\u{a0}: au plus {} jours (10 ans)",
                        "duration too long `{text}` in `{key}`: at most {} days (10 years)",
                        values::MAX_DURATION_DAYS
                    ),
                };
                let help = tr!(
                    self.lang,
                    "écrivez un nombre entier de jours ou de semaines, au plus 3650 jours\u{a0}: `14j`, `14d`, `2w`",
                    "write a whole number of days or weeks, at most 3650 days: `14d`, `14j`, `2w`"
                );
                self.report(Code::InvalidDuration, node.pos, msg, Some(help));
                None
            }
        }
    }

    fn cron(&mut self, node: &Node<'_>, key: &str) -> Option<CronSpec> {
        let text = self.text(node, key)?;
        match CronSpec::parse(&text) {
            Ok(c) => Some(c),
            Err(why) => {
                let why = why.reason(self.lang);
                let msg = tr!(
                    self.lang,
                    "expression cron illisible `{text}` dans `{key}` : {why}",
                    "unreadable cron expression `{text}` in `{key}`: {why}"
                );
                let help = tr!(
                    self.lang,
                    "cinq champs `min heure jour mois jour-semaine`, par exemple `0 8 * * LUN-VEN` ou `0 8 * * MON-FRI` (8 h du lundi au vendredi)",
                    "five fields `min hour day month weekday`, for example `0 8 * * MON-FRI` (8:00 Monday to Friday)"
                );
                self.report(Code::InvalidCron, node.pos, msg, Some(help));
                None
            }
        }
    }

    /// An amount or quantity: a number or a space-grouped string, never negative.
    fn amount(&mut self, node: &Node<'_>, key: &str) -> Option<f64> {
        let text = self.text(node, key)?;
        let trimmed = text.trim();
        if values::is_ambiguous_amount(trimmed) {
            let grouped = trimmed.replace(['.', ','], " ");
            let plain = trimmed.replace(['.', ','], "");
            // `12.500.000` has one reading only, and it is not what YAML reads: refused once.
            if trimmed.matches('.').count() > 1 {
                let msg = tr!(
                    self.lang,
                    "montant illisible `{text}` : des points ne séparent pas les milliers",
                    "unreadable amount `{text}`: dots do not separate thousands"
                );
                let help = tr!(
                    self.lang,
                    "écrivez `{plain}` ou `\"{grouped}\"`",
                    "write `{plain}` or `\"{grouped}\"`"
                );
                self.report(Code::InvalidAmount, node.pos, msg, Some(help));
                return None;
            }
            let (thousands, decimal) = amount_readings(trimmed, self.lang);
            let msg = tr!(
                self.lang,
                "montant ambigu `{text}` : {thousands} ou {decimal} ?",
                "ambiguous amount `{text}`: {thousands} or {decimal}?"
            );
            let help = if trimmed.contains(',') {
                tr!(
                    self.lang,
                    "écrivez `{plain}` ou `\"{grouped}\"` pour des milliers ; cnrm lit la virgule de `{text}` comme une virgule décimale",
                    "write `{plain}` or `\"{grouped}\"` for thousands; cnrm reads the comma of `{text}` as a decimal comma"
                )
            } else {
                tr!(
                    self.lang,
                    "écrivez `{plain}` ou `\"{grouped}\"` pour des milliers ; YAML lit `{text}` comme un nombre décimal",
                    "write `{plain}` or `\"{grouped}\"` for thousands; YAML reads `{text}` as a decimal number"
                )
            };
            self.report(Code::AmbiguousAmount, node.pos, msg, Some(help));
        }
        match values::parse_amount(&text) {
            Ok(v) => Some(v),
            Err(e) => {
                let msg = match e {
                    AmountError::Negative => tr!(
                        self.lang,
                        "`{key}` ne peut pas être négatif : `{text}`",
                        "`{key}` cannot be negative: `{text}`"
                    ),
                    AmountError::NotNumeric => match values::odd_char(&text) {
                        Some(c) => {
                            let which = char_name(c, self.lang);
                            tr!(
                                self.lang,
                                "`{key}` n'est pas un nombre : `{text}` contient {which}",
                                "`{key}` is not a number: `{text}` contains {which}"
                            )
                        }
                        None => tr!(
                            self.lang,
                            "`{key}` n'est pas un nombre : `{text}`",
                            "`{key}` is not a number: `{text}`"
                        ),
                    },
                    AmountError::TooLarge => tr!(
                        self.lang,
                        "`{key}` est trop grand\u{a0}: `{text}` (au plus 10^15)",
                        "`{key}` is too large: `{text}` (at most 10^15)"
                    ),
                };
                let help = tr!(
                    self.lang,
                    "écrivez `12500000`, `12_500_000` ou `\"12 500 000\"`",
                    "write `12500000`, `12_500_000` or `\"12 500 000\"`"
                );
                self.report(Code::InvalidAmount, node.pos, msg, Some(help));
                None
            }
        }
    }

    /// A number that may be negative (indicator baselines and targets).
    fn number(&mut self, node: &Node<'_>, key: &str) -> Option<f64> {
        let text = self.text(node, key)?;
        // A YAML float may be written with an exponent (`1.5e3`): read as Rust reads it.
        let exponent = || {
            let cleaned: String = text
                .chars()
                .filter(|c| !values::is_space_like(*c))
                .collect();
            cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
        };
        match values::parse_number(&text).or_else(exponent) {
            Some(v) => Some(v),
            None => {
                let msg = tr!(
                    self.lang,
                    "`{key}` doit être un nombre, pas `{text}`",
                    "`{key}` must be a number, not `{text}`"
                );
                self.report(Code::InvalidValue, node.pos, msg, None);
                None
            }
        }
    }

    /// One of `options` (YAML words), also written as the workbook writes it: its French or
    /// English label, in any case (`acquis`, `Mensuelle`; see [`columns::label_to_yaml`]).
    fn choice<T: Copy>(&mut self, node: &Node<'_>, key: &str, options: &[(&str, T)]) -> Option<T> {
        let text = self.text(node, key)?;
        if let Some((_, v)) = options.iter().find(|(name, _)| *name == text.trim()) {
            return Some(*v);
        }
        let label = LABEL_SETS.iter().find_map(|labels| {
            let yaml = columns::label_to_yaml(labels, &text)?;
            options.iter().find(|(name, _)| *name == yaml)
        });
        if let Some((_, v)) = label {
            return Some(*v);
        }
        let names: Vec<String> = options
            .iter()
            .map(|(n, _)| {
                let fr = LABEL_SETS
                    .iter()
                    .find_map(|l| columns::yaml_to_label(l, n, Lang::Fr))
                    .filter(|fr| fr != n && self.lang == Lang::Fr);
                match fr {
                    Some(fr) => format!("{n} ({fr})"),
                    None => n.to_string(),
                }
            })
            .collect();
        let msg = tr!(
            self.lang,
            "valeur `{text}` inconnue pour `{key}`",
            "unknown value `{text}` for `{key}`"
        );
        let help = tr!(
            self.lang,
            "valeurs possibles : {}",
            "allowed values: {}",
            names.join(", ")
        );
        self.report(Code::InvalidValue, node.pos, msg, Some(help));
        None
    }

    fn language(&mut self, node: &Node<'_>) -> Option<Lang> {
        self.choice(node, "language", &[("fr", Lang::Fr), ("en", Lang::En)])
    }

    // ---- sections ----------------------------------------------------------------------------

    fn plan(&mut self, root: &Node<'_>) -> Option<Plan> {
        let lang = self.lang;
        let top = self.fields(root, &*tr!(lang, "le plan", "the plan"), TOP_KEYS)?;
        match top.get("version") {
            None => {
                let msg = tr!(
                    lang,
                    "clé `version` absente : écrivez `version: 1` en tête du fichier",
                    "`version` is missing: write `version: 1` at the top of the file"
                );
                self.report(Code::UnsupportedVersion, root.pos, msg, None);
            }
            Some(v) if v.as_scalar().map(str::trim) != Some("1") => {
                let msg = tr!(
                    lang,
                    "version de format non prise en charge `{}` : seule la version 1 existe",
                    "unsupported format version `{}`: only version 1 exists",
                    v.as_scalar().unwrap_or("?")
                );
                self.report(Code::UnsupportedVersion, v.pos, msg, None);
                return None;
            }
            Some(_) => {}
        }

        let plan_what = tr!(lang, "la section `plan`", "the `plan` section");
        let header = self
            .require(&top, "plan", &*tr!(lang, "le fichier", "the file"))
            .and_then(|n| self.fields(n, plan_what.as_str(), PLAN_KEYS));
        let header_out = header.as_ref().map(|h| self.header(h, &plan_what));
        let (currency, rates, period) = match &header_out {
            Some(h) => (h.currency.clone(), h.rates.clone(), h.period),
            None => ("XOF".to_string(), BTreeMap::new(), None),
        };

        let policy = self.policy(top.get("reminders"));
        let calendar = self.calendar(top.get("calendar"));

        let owners_node = self.require(&top, "owners", &*tr!(lang, "le fichier", "the file"));
        let mut owners = Vec::new();
        if let Some(node) = owners_node {
            for item in self.list(node, "owners") {
                if let Some(o) = self.owner(item) {
                    owners.push(o);
                }
            }
        }

        let mut funders = Vec::new();
        if let Some(node) = top.get("funders").filter(|n| !n.is_null()) {
            for item in self.list(node, "funders") {
                if let Some(f) = self.funder(item) {
                    funders.push(f);
                }
            }
        }

        let prio_node = self.require(&top, "priorities", &*tr!(lang, "le fichier", "the file"));
        let mut priorities = Vec::new();
        if let Some(node) = prio_node {
            for (index, item) in self.list(node, "priorities").iter().enumerate() {
                if let Some(p) = self.priority(item, index) {
                    priorities.push(p);
                }
            }
        }
        self.check_dated(period, calendar.as_ref());
        self.check_currencies(&currency, &rates);
        convert_amounts(&mut priorities, &currency, &rates);

        self.check_references(&owners, &funders);
        self.check_funder_names(&owners, &funders);
        name_funders(&mut priorities, &funders);
        self.check_former_ids();
        let graph = std::mem::take(&mut self.graph);
        let tasks: Vec<&Task> = priorities.iter().flat_map(|p| p.tasks.iter()).collect();
        self.check_dependencies(&graph, &tasks);
        self.check_owner_emails(&owners);
        self.check_parents();

        if self.error_count() > 0 {
            return None;
        }
        let h = header_out?;
        let (start, end) = h.period?;
        Some(Plan {
            id: h.id?,
            title: h.title?,
            start,
            end,
            timezone: h.timezone?,
            currency,
            language: h.language?,
            secretariat: h.secretariat,
            exchange_rates: rates,
            reminders: policy?,
            calendar: calendar?,
            owners,
            funders,
            priorities,
        })
    }

    /// A funder that is not an owner: an id (for `funder:` to name it) and the name shown.
    fn funder(&mut self, node: &Node<'_>) -> Option<Funder> {
        let lang = self.lang;
        let what0 = || tr!(lang, "un bailleur (funders)", "a funder (funders)");
        let f = self.fields(node, &what0, FUNDER_KEYS)?;
        let id = self
            .require(&f, "id", &what0)
            .and_then(|n| self.declare(n, Entity::Funder));
        let what = || {
            id.as_ref()
                .map(|i| tr!(lang, "le bailleur `{i}`", "funder `{i}`"))
                .unwrap_or_else(what0)
        };
        let name = self.required_text(&f, "name", &what);
        Some(Funder {
            id: id?,
            name: name?.trim().to_string(),
        })
    }

    /// Funders written as a name that is in fact an owner's sigle, name or id in other letters
    /// (`UE` for owner `ue`), or a declared funder's id: the money would be counted under two
    /// names. A funder's own name is fine.
    fn check_funder_names(&mut self, owners: &[Owner], funders: &[Funder]) {
        let lang = self.lang;
        for (name, pos) in std::mem::take(&mut self.funder_names) {
            if funders.iter().any(|f| f.name == name) {
                continue;
            }
            let folded = columns::normalize(&name);
            let id = match owner_guess(&name, owners, true) {
                Some(o) => o.id.clone(),
                None => match funders.iter().find(|f| {
                    columns::normalize(&f.id) == folded || columns::normalize(&f.name) == folded
                }) {
                    Some(f) => f.id.clone(),
                    None => continue,
                },
            };
            let msg = tr!(
                lang,
                "`funder` « {name} » désigne `{id}` du plan, écrit autrement",
                "`funder` \"{name}\" names the plan's `{id}`, written another way"
            );
            let help = tr!(
                lang,
                "écrivez `funder: {id}`, pour que son argent soit compté sous un seul nom",
                "write `funder: {id}`, so that its money is counted under one name"
            );
            self.report(Code::UnknownReference, pos, msg, Some(help));
        }
    }

    fn header(&mut self, f: &Fields<'_, '_>, what: &str) -> Header {
        let lang = self.lang;
        let id = self
            .require(f, "id", what)
            .and_then(|n| self.declare_plan_id(n));
        let title = self.required_text(f, "title", what);
        let period = self.require(f, "period", what).and_then(|n| {
            let pf = self.fields(n, "`period`", PERIOD_KEYS)?;
            let start = self
                .require(&pf, "start", "`period`")
                .and_then(|n| self.date(n, "start"));
            let end_node = self.require(&pf, "end", "`period`");
            let end = end_node.and_then(|n| self.date(n, "end"));
            let (start, end) = (start?, end?);
            let start_day = first_day(&start.0, start.1);
            if end.0.date < start_day {
                let msg = tr!(
                    lang,
                    "la période du plan finit ({}) avant de commencer ({})",
                    "the plan period ends ({}) before it starts ({})",
                    end.0.label,
                    start.0.label
                );
                self.report(
                    Code::InvalidPeriod,
                    end_node.map(|n| n.pos).unwrap_or(pf.pos),
                    msg,
                    None,
                );
                return None;
            }
            Some((start_day, end.0.date))
        });
        let timezone = match f.get("timezone").filter(|n| !n.is_null()) {
            None => Some(chrono_tz::Africa::Bamako),
            Some(n) => match self.text(n, "timezone") {
                None => None,
                Some(text) => match text.trim().parse::<chrono_tz::Tz>() {
                    Ok(tz) => Some(tz),
                    Err(_) => {
                        let msg = tr!(
                            lang,
                            "fuseau horaire inconnu `{text}`",
                            "unknown time zone `{text}`"
                        );
                        let help = tr!(
                            lang,
                            "un nom IANA comme `Africa/Bamako` ou `Europe/Paris`",
                            "an IANA name such as `Africa/Bamako` or `Europe/Paris`"
                        );
                        self.report(Code::InvalidValue, n.pos, msg, Some(help));
                        None
                    }
                },
            },
        };
        // A plan currency that cannot be read is reported here, once: amounts written in that
        // same text are then not reported again (`bad_currencies`).
        let currency = match f.get("currency").filter(|n| !n.is_null()) {
            None => "XOF".to_string(),
            Some(n) => match self.text(n, "currency") {
                Some(c) => match self.currency_code(n, &c, "currency") {
                    Some(code) => code,
                    None => {
                        self.bad_currencies.insert(c.trim().to_string());
                        "XOF".to_string()
                    }
                },
                None => "XOF".to_string(),
            },
        };
        let language = match f.get("language").filter(|n| !n.is_null()) {
            None => Some(Lang::Fr),
            Some(n) => self.language(n),
        };
        let secretariat = f
            .get("secretariat")
            .filter(|n| !n.is_null())
            .and_then(|n| self.reference(n, RefRole::Secretariat));
        let mut rates = BTreeMap::new();
        if let Some(n) = f.get("exchange_rates").filter(|n| !n.is_null()) {
            let pairs: &[(Node<'_>, Node<'_>)] = match &n.kind {
                Kind::Map(pairs) => pairs,
                _ => {
                    let msg = tr!(
                        lang,
                        "`exchange_rates` doit être une table `DEVISE: taux`",
                        "`exchange_rates` must be a mapping `CURRENCY: rate`"
                    );
                    self.report(
                        Code::InvalidValue,
                        n.pos,
                        msg,
                        Some("exchange_rates: { USD: 605.5 }".into()),
                    );
                    &[]
                }
            };
            // A rate that is reported (bad code, bad number, zero) is reported once: amounts in
            // that currency are then not reported again as unknown-currency.
            for (k, v) in pairs {
                let Some(written) = k.as_scalar() else {
                    continue;
                };
                let Some(code) = self.currency_code(k, written, "exchange_rates") else {
                    self.bad_currencies.insert(written.trim().to_string());
                    continue;
                };
                match self.amount(v, &code) {
                    Some(0.0) => {
                        let msg = tr!(
                            lang,
                            "le taux de change de `{written}` ne peut pas être nul",
                            "the exchange rate of `{written}` cannot be zero"
                        );
                        self.report(Code::InvalidAmount, v.pos, msg, None);
                        self.bad_currencies.insert(code);
                    }
                    Some(r) => {
                        rates.insert(code, r);
                    }
                    None => {
                        self.bad_currencies.insert(code);
                    }
                }
            }
        }
        Header {
            id,
            title,
            period,
            timezone,
            currency,
            language,
            secretariat,
            rates,
        }
    }

    /// A currency as written (`XOF`, `FCFA`...) as its ISO 4217 code; a text that is no current
    /// code is `unknown-currency`, reported here.
    fn currency_code(&mut self, node: &Node<'_>, written: &str, key: &str) -> Option<String> {
        let lang = self.lang;
        let (msg, help) = match currency::read(written) {
            Currency::Known(code) => return Some(code),
            Currency::Unknown(code) => (
                tr!(
                    lang,
                    "devise `{code}` inconnue dans `{key}` : ce n'est pas un code ISO 4217 en vigueur",
                    "unknown currency `{code}` in `{key}`: not a current ISO 4217 code"
                ),
                tr!(
                    lang,
                    "par exemple XOF (ou FCFA), EUR, USD, CHF",
                    "for example XOF (or FCFA), EUR, USD, CHF"
                ),
            ),
            Currency::Malformed => {
                let upper = written.trim().to_uppercase();
                let hint = match currency::read(&upper) {
                    Currency::Known(_) => tr!(lang, "écrivez `{upper}`", "write `{upper}`"),
                    _ => tr!(
                        lang,
                        "un code ISO 4217 de trois majuscules : XOF (ou FCFA), EUR, USD, CHF",
                        "a three-letter ISO 4217 code: XOF (or FCFA), EUR, USD, CHF"
                    ),
                };
                (
                    tr!(
                        lang,
                        "devise `{written}` illisible dans `{key}`",
                        "unreadable currency `{written}` in `{key}`"
                    ),
                    hint,
                )
            }
        };
        self.report(Code::UnknownCurrency, node.pos, msg, Some(help));
        None
    }

    fn declare_plan_id(&mut self, node: &Node<'_>) -> Option<String> {
        self.id(node, "id")
    }

    fn policy(&mut self, node: Option<&Node<'_>>) -> Option<ReminderPolicy> {
        let default_schedule = CronSpec::parse("0 8 * * MON-FRI").ok()?;
        let default_digest = CronSpec::parse("0 8 * * MON").ok();
        let mut p = ReminderPolicy {
            schedule: default_schedule,
            before: vec![14, 3],
            on_deadline: true,
            overdue_every: 7,
            escalate_after: 14,
            digest: default_digest,
            on_start: false,
        };
        let Some(node) = node.filter(|n| !n.is_null()) else {
            return Some(p);
        };
        let f = self.fields(node, "`reminders`", POLICY_KEYS)?;
        let before_errors = self.error_count();
        // Each key is read even when another one is wrong: a bad cron hides nothing beside it.
        if let Some(n) = f.get("schedule") {
            if let Some(c) = self.cron(n, "schedule") {
                p.schedule = c;
            }
        }
        if let Some(n) = f.get("digest") {
            match n.as_scalar() {
                Some(s)
                    if s.trim().eq_ignore_ascii_case("off")
                        || !s.trim().is_empty() && columns::yes_no(s) == Some(false) =>
                {
                    p.digest = None
                }
                _ => {
                    if let Some(c) = self.cron(n, "digest") {
                        p.digest = Some(c);
                    }
                }
            }
        }
        let o = self.policy_fields(&f);
        if let Some(v) = o.before {
            p.before = v;
        }
        p.on_deadline = o.on_deadline.unwrap_or(p.on_deadline);
        p.on_start = o.on_start.unwrap_or(p.on_start);
        p.overdue_every = o.overdue_every.unwrap_or(p.overdue_every);
        p.escalate_after = o.escalate_after.unwrap_or(p.escalate_after);
        (self.error_count() == before_errors).then_some(p)
    }

    fn policy_fields(&mut self, f: &Fields<'_, '_>) -> ReminderOverride {
        let mut o = ReminderOverride::default();
        if let Some(n) = f.get("before") {
            o.before = Some(self.one_or_many(n, "before", |v, n| v.duration(n, "before")));
        }
        if let Some(n) = f.get("on_deadline") {
            o.on_deadline = self.boolean(n, "on_deadline");
        }
        if let Some(n) = f.get("on_start") {
            o.on_start = self.boolean(n, "on_start");
        }
        if let Some(n) = f.get("overdue_every") {
            o.overdue_every = self.duration(n, "overdue_every");
            if o.overdue_every == Some(0) {
                let msg = tr!(
                    self.lang,
                    "`overdue_every` doit être d'au moins un jour",
                    "`overdue_every` must be at least one day"
                );
                self.report(Code::InvalidDuration, n.pos, msg, None);
            }
        }
        if let Some(n) = f.get("escalate_after") {
            o.escalate_after = self.duration(n, "escalate_after");
        }
        o
    }

    fn calendar(&mut self, node: Option<&Node<'_>>) -> Option<Calendar> {
        let mut cal = Calendar {
            weekend: vec![Weekday::Sat, Weekday::Sun],
            holidays: Vec::new(),
        };
        let Some(node) = node.filter(|n| !n.is_null()) else {
            return Some(cal);
        };
        let lang = self.lang;
        let f = self.fields(node, "`calendar`", CALENDAR_KEYS)?;
        if let Some(n) = f.get("weekend") {
            cal.weekend = self.one_or_many(n, "weekend", |v, n| {
                let text = v.text(n, "weekend")?;
                match weekday(&text) {
                    Some(d) => Some(d),
                    None => {
                        let msg = tr!(
                            lang,
                            "jour inconnu `{text}` dans `weekend`",
                            "unknown day `{text}` in `weekend`"
                        );
                        v.report(
                            Code::InvalidValue,
                            n.pos,
                            msg,
                            Some(tr!(
                                lang,
                                "LUN, MAR, MER, JEU, VEN, SAM, DIM (ou MON, TUE, WED, THU, FRI, SAT, SUN)",
                                "MON, TUE, WED, THU, FRI, SAT, SUN (or LUN, MAR, MER, JEU, VEN, SAM, DIM)"
                            )),
                        );
                        None
                    }
                }
            });
        }
        if let Some(n) = f.get("holidays") {
            for item in self.list(n, "holidays") {
                if let Some(h) = self.holiday(item) {
                    cal.holidays.push(h);
                }
            }
        }
        Some(cal)
    }

    fn holiday(&mut self, node: &Node<'_>) -> Option<Holiday> {
        let lang = self.lang;
        if let Kind::Scalar { .. } = node.kind {
            let (d, form) = self.date(node, "holidays")?;
            return self.day_only(node, &d, form).then_some(Holiday {
                from: d.date,
                to: d.date,
                label: None,
            });
        }
        let f = self.fields(
            node,
            &*tr!(lang, "un jour férié", "a holiday"),
            HOLIDAY_KEYS,
        )?;
        let from_node = self.require(&f, "from", &*tr!(lang, "un jour férié", "a holiday"));
        let from = from_node.and_then(|n| self.date(n, "from"));
        let from_ok = match (from_node, &from) {
            (Some(n), Some((d, form))) => self.day_only(n, d, *form),
            _ => false,
        };
        let to_node = f.get("to").filter(|n| !n.is_null());
        let to = to_node.and_then(|n| self.date(n, "to"));
        let to_ok = match (to_node, &to) {
            (Some(n), Some((d, form))) => self.day_only(n, d, *form),
            (Some(_), None) => false,
            (None, _) => true,
        };
        let label = self.opt_text(&f, "label");
        let (Some((from, _)), true, true) = (from, from_ok, to_ok) else {
            return None;
        };
        let to = match (to_node, to) {
            (Some(n), Some((to, _))) => {
                if to.date < from.date {
                    let msg = tr!(
                        lang,
                        "le jour férié finit ({}) avant de commencer ({})",
                        "the holiday ends ({}) before it starts ({})",
                        to.label,
                        from.label
                    );
                    self.report(Code::InvalidPeriod, n.pos, msg, None);
                    return None;
                }
                to.date
            }
            _ => from.date,
        };
        Some(Holiday {
            from: from.date,
            to,
            label,
        })
    }

    fn day_only(&mut self, node: &Node<'_>, d: &DateSpec, form: DateForm) -> bool {
        if form == DateForm::Day {
            return true;
        }
        let msg = tr!(
            self.lang,
            "un jour férié est un jour précis, pas `{}`",
            "a holiday is one precise day, not `{}`",
            d.label
        );
        self.report(Code::InvalidDate, node.pos, msg, Some("2025-09-22".into()));
        false
    }

    fn owner(&mut self, node: &Node<'_>) -> Option<Owner> {
        let lang = self.lang;
        let what0 = || tr!(lang, "un responsable (owners)", "an owner");
        let f = self.fields(node, &what0, OWNER_KEYS)?;
        let id_node = self.require(&f, "id", &what0);
        let id = id_node.and_then(|n| self.declare(n, Entity::Owner));
        let what = || {
            id.as_ref()
                .map(|i| tr!(lang, "le responsable `{i}`", "owner `{i}`"))
                .unwrap_or_else(what0)
        };
        let name = self.required_text(&f, "name", &what);
        let short = self.opt_text(&f, "short");
        if let (Some(i), Some(_)) = (&id, f.get("email")) {
            self.email_written.insert(i.clone());
        }
        let emails = match f.get("email") {
            Some(n) => self.one_or_many(n, "email", |v, n| {
                let text = v.text(n, "email")?;
                if values::is_valid_email(&text) {
                    return Some(text.trim().to_string());
                }
                let msg = tr!(
                    lang,
                    "adresse e-mail invalide `{text}`",
                    "invalid e-mail address `{text}`"
                );
                let help = tr!(
                    lang,
                    "une adresse comme `point.focal@example.ml`",
                    "an address such as `focal.point@example.ml`"
                );
                v.report(Code::InvalidEmail, n.pos, msg, Some(help));
                None
            }),
            None => Vec::new(),
        };
        let language = f
            .get("language")
            .filter(|n| !n.is_null())
            .and_then(|n| self.language(n));
        let parent_node = f.get("parent").filter(|n| !n.is_null());
        let parent = parent_node.and_then(|n| self.reference(n, RefRole::Parent));
        if let (Some(me), Some(p), Some(n)) =
            (id_node.and_then(|n| n.as_scalar()), &parent, parent_node)
        {
            self.parents.push((me.to_string(), p.clone(), n.pos));
        }
        let renamed_from = self.renamed_from(&f);
        Some(Owner {
            id: id?,
            name: name?,
            short,
            emails,
            language,
            parent,
            renamed_from,
        })
    }

    fn priority(&mut self, node: &Node<'_>, index: usize) -> Option<Priority> {
        let lang = self.lang;
        let what0 = || tr!(lang, "une priorité", "a priority");
        let f = self.fields(node, &what0, PRIORITY_KEYS)?;
        let id_node = self.require(&f, "id", &what0);
        let id = id_node.and_then(|n| self.declare(n, Entity::Priority));
        let what = || {
            id.as_ref()
                .map(|i| tr!(lang, "la priorité `{i}`", "priority `{i}`"))
                .unwrap_or_else(what0)
        };
        let title = self.required_text(&f, "title", &what);
        let lead = f
            .get("lead")
            .filter(|n| !n.is_null())
            .and_then(|n| self.reference(n, RefRole::Lead));
        let aligned_with = match f.get("aligned_with") {
            Some(n) => self.one_or_many(n, "aligned_with", |v, n| v.text(n, "aligned_with")),
            None => Vec::new(),
        };
        let mut indicators = Vec::new();
        if let Some(n) = f.get("indicators") {
            for item in self.list(n, "indicators") {
                if let Some(i) = self.indicator(item) {
                    indicators.push(i);
                }
            }
        }
        let mut tasks = self
            .streamed
            .get_mut(index)
            .map(std::mem::take)
            .unwrap_or_default();
        let mut task_nodes = self.streamed_items.get(index).copied().unwrap_or(0);
        if let Some(n) = f.get("tasks") {
            // Task items the streaming parser did not hand over (a plan whose root is unusual).
            let items = self.list(n, "tasks");
            task_nodes += items.len();
            for item in items {
                if let Some(t) = self.task(item) {
                    tasks.push(t);
                }
            }
        }
        if task_nodes == 0 {
            if let Some(i) = &id {
                let msg = tr!(
                    lang,
                    "la priorité `{i}` n'a aucune tâche",
                    "priority `{i}` has no tasks"
                );
                let help = tr!(
                    lang,
                    "ajoutez des tâches sous `tasks:` ou retirez la priorité",
                    "add tasks under `tasks:` or remove the priority"
                );
                self.report(
                    Code::EmptyPriority,
                    id_node.map(|n| n.pos).unwrap_or(f.pos),
                    msg,
                    Some(help),
                );
            }
        }
        let renamed_from = self.renamed_from(&f);
        Some(Priority {
            id: id?,
            title: title?,
            lead,
            aligned_with,
            indicators,
            tasks,
            renamed_from,
        })
    }

    fn indicator(&mut self, node: &Node<'_>) -> Option<Indicator> {
        let lang = self.lang;
        let what0 = || tr!(lang, "un indicateur", "an indicator");
        let f = self.fields(node, &what0, INDICATOR_KEYS)?;
        let id = self
            .require(&f, "id", &what0)
            .and_then(|n| self.declare(n, Entity::Indicator));
        let what = || {
            id.as_ref()
                .map(|i| tr!(lang, "l'indicateur `{i}`", "indicator `{i}`"))
                .unwrap_or_else(what0)
        };
        let title = self.required_text(&f, "title", &what);
        let unit = self.opt_text(&f, "unit");
        let baseline = f
            .get("baseline")
            .filter(|n| !n.is_null())
            .and_then(|n| self.number(n, "baseline"));
        let target = f
            .get("target")
            .filter(|n| !n.is_null())
            .and_then(|n| self.number(n, "target"));
        let due_node = f.get("due").filter(|n| !n.is_null());
        let due = due_node.map(|n| {
            let d = self.date(n, "due").map(|(d, _)| d);
            if let Some(d) = &d {
                self.dated.push(Dated {
                    pos: n.pos,
                    date: d.date,
                    label: d.label.clone(),
                    precise_day: false,
                    repeat: None,
                });
            }
            d
        });
        let renamed_from = self.renamed_from(&f);
        let due = match due {
            Some(d) => Some(d?),
            None => None,
        };
        Some(Indicator {
            id: id?,
            title: title?,
            unit,
            baseline,
            target,
            due,
            renamed_from,
        })
    }

    /// Deadlines outside the plan period, and task deadlines on non-working days.
    fn check_dated(&mut self, period: Option<(NaiveDate, NaiveDate)>, calendar: Option<&Calendar>) {
        let lang = self.lang;
        for d in std::mem::take(&mut self.dated) {
            let (pos, date, label) = (d.pos, d.date, written_date(&d.label, d.date));
            if let Some((start, end)) = period {
                if date < start || date > end {
                    let msg = tr!(
                        lang,
                        "l'échéance {label} est hors de la période du plan ({start} – {end})",
                        "deadline {label} is outside the plan period ({start} – {end})"
                    );
                    // A recurring task's occurrences begin at the first one inside the period.
                    let first = d
                        .repeat
                        .filter(|_| date < start)
                        .and_then(|r| recurrence(date, r, start, end).next());
                    let help = first.map(|f| {
                        tr!(
                            lang,
                            "la tâche se répète : ses occurrences commencent au {f}, la première dans la période",
                            "the task repeats: its occurrences begin on {f}, the first one inside the period"
                        )
                    });
                    self.report(Code::DeadlineOutsidePeriod, pos, msg, help);
                }
            }
            if let Some(cal) = calendar.filter(|_| d.precise_day) {
                if !cal.is_working_day(date) {
                    let msg = tr!(
                        lang,
                        "l'échéance {label} tombe un jour non ouvré (week-end ou férié)",
                        "deadline {label} falls on a non-working day (weekend or holiday)"
                    );
                    let help = tr!(
                        lang,
                        "aucun rappel n'est envoyé ce jour-là ; préférez le jour ouvré précédent",
                        "no reminder is sent that day; prefer the previous working day"
                    );
                    self.report(Code::DeadlineOnNonWorkingDay, pos, msg, Some(help));
                }
            }
        }
    }

    /// Currencies written on resources that cannot be converted to the plan's.
    fn check_currencies(&mut self, plan_currency: &str, rates: &BTreeMap<String, f64>) {
        let lang = self.lang;
        for (node_pos, written) in std::mem::take(&mut self.currencies) {
            let pos = node_pos;
            if self.bad_currencies.contains(written.trim()) {
                continue;
            }
            let c = match currency::read(&written) {
                Currency::Known(code) => code,
                _ => written.trim().to_string(),
            };
            if rate(plan_currency, &c, rates).is_some() || self.bad_currencies.contains(&c) {
                continue;
            }
            let msg = tr!(
                lang,
                "devise `{c}` inconnue : ce n'est ni la devise du plan ({plan_currency}) ni l'euro, et elle n'a pas de taux dans `plan.exchange_rates`",
                "unknown currency `{c}`: it is neither the plan's ({plan_currency}) nor EUR, and has no rate in `plan.exchange_rates`"
            );
            let help = if matches!(currency::read(&c), Currency::Known(_)) {
                tr!(
                    lang,
                    "ajoutez `exchange_rates: {{ {c}: <taux> }}` dans `plan`",
                    "add `exchange_rates: {{ {c}: <rate> }}` under `plan`"
                )
            } else {
                tr!(
                    lang,
                    "un code ISO 4217 de trois majuscules : XOF (ou FCFA), EUR, USD, CHF",
                    "a three-letter ISO 4217 code: XOF (or FCFA), EUR, USD, CHF"
                )
            };
            self.report(Code::UnknownCurrency, pos, msg, Some(help));
        }
    }

    fn task(&mut self, node: &Node<'_>) -> Option<Task> {
        let lang = self.lang;
        let what0 = || tr!(lang, "une tâche", "a task");
        let f = self.fields(node, &what0, TASK_KEYS)?;
        let id = self
            .require(&f, "id", &what0)
            .and_then(|n| self.declare(n, Entity::Task));
        let what = || {
            id.as_ref()
                .map(|i| tr!(lang, "la tâche `{i}`", "task `{i}`"))
                .unwrap_or_else(what0)
        };
        let title = self.required_text(&f, "title", &what);
        let description = self.opt_text(&f, "description");
        let owners_node = self.require(&f, "owner", &what);
        let owners = owners_node.map(|n| {
            self.one_or_many(n, "owner", |v, n| {
                let id = v.reference(n, RefRole::Owner)?;
                match v.owner_uses.get_mut(&id) {
                    Some(entry) => entry.1 += 1,
                    None => {
                        v.owner_uses.insert(id.clone(), (n.pos, 1));
                    }
                }
                Some(id)
            })
        });
        let no_owner = match owners_node.map(|n| &n.kind) {
            Some(Kind::Seq(items)) => items
                .iter()
                .all(|i| !i.is_null() && i.as_scalar().is_some_and(|t| t.trim().is_empty())),
            Some(Kind::Scalar { text, .. }) => text.trim().is_empty(),
            _ => false,
        };
        if let (true, Some(n)) = (no_owner, owners_node) {
            let what = what();
            let de_what = de(&what);
            let msg = tr!(
                lang,
                "`owner` {de_what} ne nomme personne : il doit nommer au moins un responsable",
                "`owner` of {what} names nobody: it must name at least one owner",
            );
            let help = tr!(
                lang,
                "`owner: mmeia`, ou une liste `owner: [mmeia, dgme]` pour une tâche co-pilotée",
                "`owner: mmeia`, or a list `owner: [mmeia, dgme]` for a co-led task"
            );
            self.report(Code::MissingField, n.pos, msg, Some(help));
        }
        let owners = owners.filter(|o| !no_owner || !o.is_empty());
        let partners = match f.get("partners") {
            Some(n) => self.one_or_many(n, "partners", |v, n| v.reference(n, RefRole::Partner)),
            None => Vec::new(),
        };
        let deadline_node = self.require(&f, "deadline", &what);
        let deadline = deadline_node.and_then(|n| {
            if n.as_scalar().is_some_and(values::is_continuous) {
                return Some(Deadline::Continuous);
            }
            let (d, form) = self.date(n, "deadline")?;
            self.dated.push(Dated {
                pos: n.pos,
                date: d.date,
                label: d.label.clone(),
                precise_day: form == DateForm::Day,
                repeat: None,
            });
            Some(Deadline::Date(d))
        });
        let dated_index = matches!(deadline, Some(Deadline::Date(_))).then(|| self.dated.len() - 1);
        let start = match f.get("start").filter(|n| !n.is_null()) {
            Some(n) => self.date(n, "start").map(|(d, form)| {
                let day = first_day(&d, form);
                if let Some(Deadline::Date(dl)) = &deadline {
                    if day > dl.date {
                        let msg = tr!(
                            lang,
                            "la tâche commence ({}) après son échéance ({})",
                            "the task starts ({}) after its deadline ({})",
                            d.label,
                            dl.label
                        );
                        self.report(Code::InvalidPeriod, n.pos, msg, None);
                    }
                }
                DateSpec {
                    date: day,
                    label: d.label,
                }
            }),
            None => None,
        };
        let repeat = match f.get("repeat").filter(|n| !n.is_null()) {
            Some(n) => {
                let r = self.choice(
                    n,
                    "repeat",
                    &[
                        ("monthly", Repeat::Monthly),
                        ("quarterly", Repeat::Quarterly),
                        ("semiannual", Repeat::Semiannual),
                        ("yearly", Repeat::Yearly),
                    ],
                );
                if r.is_some() && deadline == Some(Deadline::Continuous) {
                    let msg = tr!(
                        lang,
                        "une tâche `continu` ne peut pas se répéter",
                        "a `continu` task cannot repeat"
                    );
                    let help = tr!(
                        lang,
                        "donnez l'échéance de la première occurrence, par exemple `T1 2025`",
                        "give the first occurrence's deadline, for example `T1 2025`"
                    );
                    self.report(Code::InvalidValue, n.pos, msg, Some(help));
                }
                r
            }
            None => None,
        };
        if let Some(i) = dated_index {
            self.dated[i].repeat = repeat;
        }
        let until = match f.get("until").filter(|n| !n.is_null()) {
            Some(n) => self.date(n, "until").and_then(|(u, _)| {
                let repeat_written = f.get("repeat").is_some_and(|r| !r.is_null());
                if repeat.is_none() && repeat_written {
                    // The bad `repeat` is reported already.
                    return None;
                }
                if repeat.is_none() {
                    let msg = tr!(
                        lang,
                        "`until` termine une répétition, mais cette tâche ne se répète pas",
                        "`until` ends a repetition, but this task does not repeat"
                    );
                    let help = tr!(
                        lang,
                        "ajoutez `repeat:` (monthly, quarterly, semiannual, yearly) ou retirez `until`",
                        "add `repeat:` (monthly, quarterly, semiannual, yearly) or remove `until`"
                    );
                    self.report(Code::InvalidValue, n.pos, msg, Some(help));
                    return None;
                }
                if let Some(Deadline::Date(first)) = &deadline {
                    if u.date < first.date {
                        let msg = tr!(
                            lang,
                            "la répétition finit ({}) avant sa première échéance ({})",
                            "the repetition ends ({}) before its first deadline ({})",
                            u.label,
                            first.label
                        );
                        self.report(Code::InvalidPeriod, n.pos, msg, None);
                        return None;
                    }
                }
                Some(u)
            }),
            None => None,
        };
        let mut dep_entries: Vec<(String, Pos)> = Vec::new();
        let depends_on = match f.get("depends_on") {
            Some(n) => self.one_or_many(n, "depends_on", |v, n| {
                let dep = v.reference(n, RefRole::DependsOn)?;
                dep_entries.push((dep.clone(), n.pos));
                Some(dep)
            }),
            None => Vec::new(),
        };
        if let Some(i) = &id {
            self.graph.push((i.clone(), dep_entries));
        }
        let milestone = f
            .get("milestone")
            .filter(|n| !n.is_null())
            .and_then(|n| self.boolean(n, "milestone"))
            .unwrap_or(false);
        let renamed_from = self.renamed_from(&f);
        let reminders = match f.get("reminders").filter(|n| !n.is_null()) {
            Some(n)
                if n.as_scalar().is_some_and(|s| {
                    s.trim().eq_ignore_ascii_case("off")
                        || !s.trim().is_empty() && columns::yes_no(s) == Some(false)
                }) =>
            {
                Some(ReminderOverride {
                    off: true,
                    ..Default::default()
                })
            }
            // `reminders: oui`: the plan's reminders, as when the key is left out.
            Some(n)
                if n.as_scalar().is_some_and(|s| {
                    s.trim().eq_ignore_ascii_case("on") || columns::yes_no(s) == Some(true)
                }) =>
            {
                None
            }
            Some(n) if matches!(n.kind, Kind::Scalar { .. }) => {
                let msg = tr!(
                    lang,
                    "`reminders` d'une tâche : `off` ou une table de réglages",
                    "a task's `reminders`: `off` or a mapping of settings"
                );
                self.report(
                    Code::InvalidValue,
                    n.pos,
                    msg,
                    Some(OVERRIDE_KEYS.join(", ")),
                );
                None
            }
            Some(n) => self
                .fields(n, "`reminders`", OVERRIDE_KEYS)
                .map(|rf| self.policy_fields(&rf)),
            None => None,
        };
        let mut resources = Vec::new();
        if let Some(n) = f.get("resources") {
            for item in self.list(n, "resources") {
                if let Some(r) = self.resource(item) {
                    resources.push(r);
                }
            }
        }
        Some(Task {
            id: id?,
            title: title?,
            description,
            owners: owners?,
            partners,
            start,
            deadline: deadline?,
            repeat,
            until,
            depends_on,
            milestone,
            renamed_from,
            reminders,
            resources,
        })
    }

    fn resource(&mut self, node: &Node<'_>) -> Option<Resource> {
        let lang = self.lang;
        let what0 = || tr!(lang, "une ressource", "a resource");
        let f = self.fields(node, &what0, RESOURCE_KEYS)?;
        let kind = self.require(&f, "kind", &what0).and_then(|n| {
            self.choice(
                n,
                "kind",
                &[
                    ("budget", ResourceKind::Budget),
                    ("staff", ResourceKind::Staff),
                    ("equipment", ResourceKind::Equipment),
                    ("other", ResourceKind::Other),
                ],
            )
        });
        let amount = if kind == Some(ResourceKind::Budget) {
            self.require(
                &f,
                "amount",
                &*tr!(lang, "une ressource `budget`", "a `budget` resource"),
            )
            .and_then(|n| self.amount(n, "amount"))
        } else {
            f.get("amount")
                .filter(|n| !n.is_null())
                .and_then(|n| self.amount(n, "amount"))
        };
        // Empty means "the plan's currency", filled in by `convert_amounts` once it is known.
        let currency = match f.get("currency").filter(|n| !n.is_null()) {
            None => Some(String::new()),
            Some(n) => self.text(n, "currency").map(|c| {
                self.currencies.push((n.pos, c.clone()));
                match currency::read(&c) {
                    Currency::Known(code) => code,
                    _ => c.trim().to_string(),
                }
            }),
        };
        // An id names an owner or one of the plan's `funders`; any other text (`"Budget
        // national"`, `BID`) is the name of a funder that is not an owner.
        let funder = f.get("funder").filter(|n| !n.is_null()).and_then(|n| {
            match n.as_scalar().map(str::trim) {
                Some(name) if !name.is_empty() && !values::is_valid_id(name) => {
                    self.funder_names.push((name.to_string(), n.pos));
                    Some(name.to_string())
                }
                _ => self.reference(n, RefRole::Funder),
            }
        });
        let status = match f.get("status").filter(|n| !n.is_null()) {
            Some(n) => self.choice(
                n,
                "status",
                &[
                    ("secured", FundingStatus::Secured),
                    ("pledged", FundingStatus::Pledged),
                    ("needed", FundingStatus::Needed),
                ],
            ),
            // A named funder without a status is taken as secured; no funder is the gap.
            None if funder.is_some() => Some(FundingStatus::Secured),
            None => Some(FundingStatus::Needed),
        };
        let quantity = f
            .get("quantity")
            .filter(|n| !n.is_null())
            .and_then(|n| self.amount(n, "quantity"));
        let unit = self.opt_text(&f, "unit");
        let label = self.opt_text(&f, "label");
        let currency = currency?;
        Some(Resource {
            kind: kind?,
            amount,
            currency,
            amount_in_plan_currency: None,
            funder,
            status: status?,
            quantity,
            unit,
            label,
        })
    }

    // ---- cross-references ---------------------------------------------------------------------

    fn check_references(&mut self, owners: &[Owner], funders: &[Funder]) {
        let refs = std::mem::take(&mut self.refs);
        let lang = self.lang;
        for r in &refs {
            let want = r.role.target();
            match self.ids.get(&r.id) {
                Some((found, _)) if r.role.accepts(*found) => {}
                found => {
                    let key = r.role.key();
                    let id = &r.id;
                    let msg = match found {
                        Some((other, _)) => tr!(
                            lang,
                            "`{key}` désigne `{id}`, qui est {} et non {}",
                            "`{key}` names `{id}`, which is {} and not {}",
                            other.name(lang),
                            want.name(lang)
                        ),
                        None => tr!(
                            lang,
                            "`{key}` désigne `{id}`, qui n'existe pas dans le plan",
                            "`{key}` names `{id}`, which does not exist in the plan"
                        ),
                    };
                    let mut known: Vec<&str> = match want {
                        Entity::Owner => owners.iter().map(|o| o.id.as_str()).collect(),
                        _ => {
                            let mut t: Vec<&str> = self
                                .ids
                                .iter()
                                .filter(|(_, (e, _))| *e == want)
                                .map(|(k, _)| k.as_str())
                                .collect();
                            t.sort_unstable();
                            t
                        }
                    };
                    let near = match want {
                        Entity::Owner => owner_guess(id, owners, false).map(|o| {
                            // Found by its sigle, name or initials: say whose they are.
                            let by_name = columns::normalize(id) != columns::normalize(&o.id)
                                && owner_guess(id, owners, true).is_some();
                            if by_name {
                                format!("`{}` ({})", o.id, o.display())
                            } else {
                                format!("`{}`", o.id)
                            }
                        }),
                        _ => closest(id, &known).map(|n| format!("`{n}`")),
                    };
                    let funder = matches!(r.role, RefRole::Funder);
                    if funder {
                        known.extend(funders.iter().map(|f| f.id.as_str()));
                    }
                    let mut help = reference_help(near, &known, want, lang);
                    if funder {
                        help.push_str(&tr!(
                            lang,
                            " ; un bailleur qui n'est pas un responsable se déclare sous `funders:` ou s'écrit par son nom : `funder: \"Budget national\"`",
                            "; a funder that is not an owner is declared under `funders:` or written by its name: `funder: \"Budget national\"`"
                        ));
                    }
                    self.report(Code::UnknownReference, r.pos, msg, Some(help));
                }
            }
        }
    }

    /// A former id (`renamed_from`) still in use would make the rename ambiguous.
    fn check_former_ids(&mut self) {
        let former = std::mem::take(&mut self.former_ids);
        for (id, pos) in &former {
            if let Some((entity, at)) = self.ids.get(id).copied() {
                let place = if at.sheet == 0 {
                    tr!(self.lang, "ligne {}", "at line {}", at.line)
                } else {
                    let cell = self.place(at);
                    tr!(self.lang, "{cell}", "at {cell}")
                };
                let msg = tr!(
                    self.lang,
                    "`renamed_from: {id}` désigne un identifiant encore utilisé par {}",
                    "`renamed_from: {id}` names an id still used by {}",
                    entity.name(self.lang)
                );
                let help = tr!(
                    self.lang,
                    "`{id}` est déclaré {place} ; un ancien identifiant ne doit plus figurer dans le plan",
                    "`{id}` is declared {place}; a former id must no longer appear in the plan",
                );
                self.report(Code::DuplicateId, *pos, msg, Some(help));
            }
        }
    }

    /// Finds every dependency loop (iterative depth-first search over task indices: plans have
    /// 100,000 tasks), and every task due before a task it depends on.
    fn check_dependencies(&mut self, graph: &[(String, Vec<(String, Pos)>)], tasks: &[&Task]) {
        const NEW: u8 = 0;
        const OPEN: u8 = 1;
        const DONE: u8 = 2;
        let index: HashMap<&str, usize> = graph
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (id.as_str(), i))
            .collect();
        let mut mark = vec![NEW; graph.len()];
        let mut cycles: Vec<(Vec<usize>, Pos)> = Vec::new();
        for root in 0..graph.len() {
            if mark[root] != NEW {
                continue;
            }
            // (task index, index of the next dependency to visit)
            let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
            mark[root] = OPEN;
            while let Some(&(node, next)) = stack.last() {
                let deps = &graph[node].1;
                if next >= deps.len() {
                    mark[node] = DONE;
                    stack.pop();
                    continue;
                }
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                let (dep_id, dep_pos) = &deps[next];
                let Some(&dep) = index.get(dep_id.as_str()) else {
                    continue;
                };
                match mark[dep] {
                    NEW => {
                        mark[dep] = OPEN;
                        stack.push((dep, 0));
                    }
                    OPEN => {
                        let from = stack.iter().position(|(n, _)| *n == dep).unwrap_or(0);
                        let mut cycle: Vec<usize> = stack[from..].iter().map(|(n, _)| *n).collect();
                        cycle.push(dep);
                        // Reported at the `depends_on` entry that closes the loop.
                        cycles.push((cycle, *dep_pos));
                    }
                    _ => {}
                }
            }
        }
        let lang = self.lang;
        for (cycle, pos) in cycles {
            let path = cycle
                .iter()
                .map(|i| graph[*i].0.as_str())
                .collect::<Vec<_>>()
                .join(" → ");
            let msg = tr!(
                lang,
                "dépendance circulaire : {path}",
                "dependency cycle: {path}"
            );
            let help = tr!(
                lang,
                "aucune de ces tâches ne peut commencer ; retirez l'une de ces dépendances",
                "none of these tasks can ever start; remove one of these dependencies"
            );
            self.report(Code::DependencyCycle, pos, msg, Some(help));
        }

        let by_id: HashMap<&str, &Task> = tasks.iter().map(|t| (t.id.as_str(), *t)).collect();
        for (id, deps) in graph {
            let Some(task) = by_id.get(id.as_str()) else {
                continue;
            };
            let Some(due) = task.deadline.date() else {
                continue;
            };
            for (dep, pos) in deps {
                let Some(other) = by_id.get(dep.as_str()) else {
                    continue;
                };
                if other.deadline.date().is_some_and(|d| due < d) {
                    let (label, dep_label) = (task.deadline.label(), other.deadline.label());
                    let msg = tr!(
                        lang,
                        "la tâche `{id}` est due ({label}) avant `{dep}` dont elle dépend ({dep_label})",
                        "task `{id}` is due ({label}) before `{dep}`, which it depends on ({dep_label})"
                    );
                    self.report(Code::DeadlineBeforeDependency, *pos, msg, None);
                }
            }
        }
    }

    /// Owners' `parent` links that loop (`a → b → a`): an escalation would climb for ever. Each
    /// loop is reported once, at the `parent` that closes it in file order.
    fn check_parents(&mut self) {
        let links = std::mem::take(&mut self.parents);
        let parent_of: HashMap<&str, (&str, Pos)> = links
            .iter()
            .map(|(me, p, pos)| (me.as_str(), (p.as_str(), *pos)))
            .collect();
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        let lang = self.lang;
        for (start, _, _) in &links {
            let mut path: Vec<&str> = Vec::new();
            let mut at = start.as_str();
            while !seen.contains(at) {
                seen.insert(at);
                path.push(at);
                let Some((next, pos)) = parent_of.get(at).copied() else {
                    break;
                };
                if let Some(from) = path.iter().position(|p| *p == next) {
                    let mut cycle = path[from..].to_vec();
                    cycle.push(next);
                    let names = cycle.join(" → ");
                    let msg = tr!(
                        lang,
                        "boucle de responsables parents : {names}",
                        "loop of parent owners: {names}"
                    );
                    let help = tr!(
                        lang,
                        "une escalade remonterait ces `parent` sans fin ; retirez l'un d'eux",
                        "an escalation would climb these `parent` links for ever; remove one of them"
                    );
                    self.report(Code::DependencyCycle, pos, msg, Some(help));
                    break;
                }
                at = next;
            }
        }
    }

    fn check_owner_emails(&mut self, owners: &[Owner]) {
        let mut missing: Vec<(Pos, String, usize)> = owners
            .iter()
            .filter(|o| o.emails.is_empty() && !self.email_written.contains(&o.id))
            .filter_map(|o| {
                self.owner_uses
                    .get(&o.id)
                    .map(|(pos, n)| (*pos, o.id.clone(), *n))
            })
            .collect();
        missing.sort_by_key(|(p, _, _)| (p.line, p.col));
        for (pos, id, n) in missing {
            let msg = if n == 1 {
                tr!(
                    self.lang,
                    "le responsable `{id}` n'a pas d'e-mail : sa tâche ne recevra aucun rappel",
                    "owner `{id}` has no e-mail: its task will get no reminder"
                )
            } else {
                tr!(
                    self.lang,
                    "le responsable `{id}` n'a pas d'e-mail : ses {n} tâches ne recevront aucun rappel",
                    "owner `{id}` has no e-mail: its {n} tasks will get no reminder"
                )
            };
            let help = tr!(
                self.lang,
                "ajoutez `email:` au responsable `{id}`",
                "add `email:` to owner `{id}`"
            );
            self.report(Code::OwnerWithoutEmail, pos, msg, Some(help));
        }
    }
}

/// The `plan` section as far as it could be read; the plan is built only when nothing is missing.
struct Header {
    id: Option<String>,
    title: Option<String>,
    period: Option<(NaiveDate, NaiveDate)>,
    timezone: Option<chrono_tz::Tz>,
    currency: String,
    language: Option<Lang>,
    secretariat: Option<String>,
    rates: BTreeMap<String, f64>,
}

/// Fills each resource's currency (the plan's when not written) and its amount in the plan's
/// currency, once the plan's currency and rates are known.
fn convert_amounts(
    priorities: &mut [Priority],
    plan_currency: &str,
    rates: &BTreeMap<String, f64>,
) {
    let resources = priorities
        .iter_mut()
        .flat_map(|p| p.tasks.iter_mut())
        .flat_map(|t| t.resources.iter_mut());
    for r in resources {
        if r.currency.is_empty() {
            r.currency = plan_currency.to_string();
        }
        r.amount_in_plan_currency = r
            .amount
            .and_then(|a| rate(plan_currency, &r.currency, rates).map(|x| a * x));
    }
}

/// A resource funded by one of the plan's `funders` keeps that funder's name: the store and the
/// reports know owners by id and other funders by name.
fn name_funders(priorities: &mut [Priority], funders: &[Funder]) {
    if funders.is_empty() {
        return;
    }
    let names: HashMap<&str, &str> = funders
        .iter()
        .map(|f| (f.id.as_str(), f.name.as_str()))
        .collect();
    let resources = priorities
        .iter_mut()
        .flat_map(|p| p.tasks.iter_mut())
        .flat_map(|t| t.resources.iter_mut());
    for r in resources {
        if let Some(name) = r.funder.as_deref().and_then(|f| names.get(f)) {
            r.funder = Some(name.to_string());
        }
    }
}

/// For a start date: a month, quarter or semester starts on its first day.
fn first_day(d: &DateSpec, form: DateForm) -> NaiveDate {
    let months_back = match form {
        DateForm::Day => return d.date,
        DateForm::Month => 0,
        DateForm::Quarter => 2,
        DateForm::Semester => 5,
    };
    let month0 = d.date.month0() - months_back;
    NaiveDate::from_ymd_opt(d.date.year(), month0 + 1, 1).unwrap_or(d.date)
}

fn weekday(text: &str) -> Option<Weekday> {
    match text.trim().to_ascii_uppercase().as_str() {
        "MON" | "LUN" => Some(Weekday::Mon),
        "TUE" | "MAR" => Some(Weekday::Tue),
        "WED" | "MER" => Some(Weekday::Wed),
        "THU" | "JEU" => Some(Weekday::Thu),
        "FRI" | "VEN" => Some(Weekday::Fri),
        "SAT" | "SAM" => Some(Weekday::Sat),
        "SUN" | "DIM" => Some(Weekday::Sun),
        _ => None,
    }
}

fn closest<'k>(word: &str, candidates: &[&'k str]) -> Option<&'k str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The known key an unknown one was most likely meant to be: an alias (`titre` for `title`) or
/// a close spelling (`dealine` for `deadline`).
fn meant_key<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    let lower = key.to_lowercase();
    let alias = KEY_ALIASES
        .iter()
        .find(|(a, k)| *a == lower && known.contains(k))
        .and_then(|(_, k)| known.iter().find(|c| *c == k).copied());
    alias.or_else(|| closest(&lower, known))
}

fn suggest_key(key: &str, known: &[&str], lang: Lang) -> String {
    match meant_key(key, known) {
        Some(k) => tr!(lang, "vouliez-vous dire `{k}` ?", "did you mean `{k}`?"),
        None if known.is_empty() => tr!(
            lang,
            "aucune clé n'est attendue ici",
            "no key is expected here"
        ),
        None => tr!(
            lang,
            "clés possibles : {}",
            "known keys: {}",
            known.join(", ")
        ),
    }
}

/// The owner an unknown owner reference most likely means: one whose id, sigle or name is the
/// text in other letters (`ANPE`, `Anpe`), or whose name's initials it is, else (unless
/// `exact_only`) the one whose id or sigle is closest in spelling.
fn owner_guess<'o>(text: &str, owners: &'o [Owner], exact_only: bool) -> Option<&'o Owner> {
    let t = columns::normalize(text);
    if t.is_empty() {
        return None;
    }
    let exact = owners.iter().find(|o| {
        columns::normalize(&o.id) == t
            || o.short
                .as_deref()
                .is_some_and(|s| columns::normalize(s) == t)
            || columns::normalize(&o.name) == t
            || initials(&o.name).contains(&t)
    });
    if exact.is_some() || exact_only {
        return exact;
    }
    owners
        .iter()
        .filter_map(|o| {
            std::iter::once(o.id.as_str())
                .chain(o.short.as_deref())
                .filter_map(|c| {
                    let c = columns::normalize(c);
                    let d = strsim::damerau_levenshtein(&t, &c);
                    // Not every two-letter id for any two letters (`bm` is not `ue`).
                    (d <= 2.max(c.len() / 3) && d < c.len()).then_some(d)
                })
                .min()
                .map(|d| (d, o))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, o)| o)
}

/// The initials a name's sigle is most often made of (folded): of every word, of the words of
/// two letters or more (`Agence nationale pour l'emploi`: `anpe`), of the words that are not
/// articles or prepositions (`anpe`... or `ane`).
fn initials(name: &str) -> [String; 3] {
    const SMALL: &[&str] = &[
        "de", "des", "du", "la", "le", "les", "et", "pour", "en", "au", "aux", "of", "the", "and",
        "for",
    ];
    let folded = crate::text::fold(name);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let of = |keep: &dyn Fn(&str) -> bool| -> String {
        words
            .iter()
            .filter(|w| keep(w))
            .filter_map(|w| w.chars().next())
            .collect()
    };
    [
        of(&|_| true),
        of(&|w| w.chars().count() >= 2),
        of(&|w| w.chars().count() >= 2 && !SMALL.contains(&w)),
    ]
}

fn reference_help(near: Option<String>, known: &[&str], want: Entity, lang: Lang) -> String {
    let shown: Vec<&str> = known.iter().take(12).copied().collect();
    let more = if known.len() > shown.len() {
        ", …"
    } else {
        ""
    };
    let list = match want {
        Entity::Owner => tr!(
            lang,
            "responsables connus : {}{more}",
            "known owners: {}{more}",
            shown.join(", ")
        ),
        _ => tr!(
            lang,
            "tâches connues : {}{more}",
            "known tasks: {}{more}",
            shown.join(", ")
        ),
    };
    match near {
        Some(n) => tr!(
            lang,
            "vouliez-vous dire {n} ? {list}",
            "did you mean {n}? {list}"
        ),
        None => list,
    }
}

/// A suggested valid id for an invalid one (`Axe 1` -> `axe-1`).
fn id_fix(text: &str) -> Option<String> {
    let fixed: String = text
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '.' | '_' | '-' => c,
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            _ => '-',
        })
        .collect();
    let fixed = fixed
        .trim_start_matches(['-', '.', '_'])
        .chars()
        .take(values::MAX_ID_LEN)
        .collect::<String>();
    (values::is_valid_id(&fixed) && fixed != text).then_some(fixed)
}

/// The two readings of `12.500`: thousands (`12 500`, English `12,500`) and a decimal number
/// (`12,5`, English `12.5`), each written as a reader of `lang` writes numbers.
fn amount_readings(text: &str, lang: Lang) -> (String, String) {
    let (int, frac) = text.split_once(['.', ',']).unwrap_or((text, ""));
    let (sep, point) = match lang {
        Lang::Fr => ('\u{a0}', ','),
        Lang::En => (',', '.'),
    };
    let digits: Vec<char> = format!("{int}{frac}")
        .trim_start_matches('0')
        .chars()
        .collect();
    let mut thousands = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            thousands.push(sep);
        }
        thousands.push(*c);
    }
    if thousands.is_empty() {
        thousands.push('0');
    }
    let frac = frac.trim_end_matches('0');
    let decimal = if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}{point}{frac}")
    };
    (thousands, decimal)
}

/// A character an author may not see, named for a diagnostic: `le caractère « – » (U+2013)`.
fn char_name(c: char, lang: Lang) -> String {
    let code = format!("U+{:04X}", c as u32);
    let invisible = c.is_control()
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}');
    let shown = if invisible {
        String::new()
    } else {
        format!(" « {c} »")
    };
    let name = match (c, lang) {
        ('\u{200b}', Lang::Fr) => Some("une espace sans largeur".to_string()),
        ('\u{200b}', Lang::En) => Some("a zero-width space".to_string()),
        ('\u{feff}', Lang::Fr) => Some("une marque d'ordre des octets invisible".to_string()),
        ('\u{feff}', Lang::En) => Some("an invisible byte order mark".to_string()),
        ('\u{2010}'..='\u{2015}' | '\u{2212}', Lang::Fr) => {
            Some(format!("un tiret{shown} qui n'est pas `-`"))
        }
        ('\u{2010}'..='\u{2015}' | '\u{2212}', Lang::En) => {
            Some(format!("a dash{shown} that is not `-`"))
        }
        _ => None,
    };
    match (name, lang) {
        (Some(n), _) => format!("{n} ({code})"),
        (None, Lang::Fr) if invisible => format!("un caractère invisible ({code})"),
        (None, Lang::En) if invisible => format!("an invisible character ({code})"),
        (None, Lang::Fr) => format!("le caractère{shown} ({code}), qui n'a pas sa place ici"),
        (None, Lang::En) => format!("the character{shown} ({code}), which does not belong here"),
    }
}

/// A date as the author wrote it, with the day it means only when that differs: `T3 2025
/// (2025-09-30)`, but `2025-09-30` once.
fn written_date(label: &str, date: NaiveDate) -> String {
    let day = date.format("%Y-%m-%d").to_string();
    if label == day {
        format!("`{label}`")
    } else {
        format!("`{label}` ({day})")
    }
}

/// A YAML node's kind in words, for "must be text, not a list".
fn kind_word(node: &Node<'_>, lang: Lang) -> &'static str {
    match (&node.kind, lang) {
        (Kind::Scalar { .. }, Lang::Fr) if node.is_null() => "une valeur vide",
        (Kind::Scalar { .. }, Lang::En) if node.is_null() => "an empty value",
        (Kind::Scalar { .. }, Lang::Fr) => "un texte",
        (Kind::Scalar { .. }, Lang::En) => "a text",
        (Kind::Seq(_), Lang::Fr) => "une liste",
        (Kind::Seq(_), Lang::En) => "a list",
        (Kind::Map(_), Lang::Fr) => "une table",
        (Kind::Map(_), Lang::En) => "a mapping",
    }
}

/// French `de` before a phrase: `du fichier`, `d'une tâche`, `de la tâche`, `des tâches`.
fn de(phrase: &str) -> String {
    for (article, contracted) in [
        ("le ", "du "),
        ("les ", "des "),
        ("une ", "d'une "),
        ("un ", "d'un "),
    ] {
        if let Some(rest) = phrase.strip_prefix(article) {
            return format!("{contracted}{rest}");
        }
    }
    if phrase.starts_with(['a', 'e', 'é', 'i', 'o', 'u']) {
        return format!("d'{phrase}");
    }
    format!("de {phrase}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "version: 1
plan:
  id: p
  title: Plan
  period: { start: 2025-01-01, end: 2025-12-31 }
owners:
  - { id: st, name: Secrétariat, email: st@example.ml }
priorities:
  - id: axe-1
    title: Axe
    tasks:
      - { id: t1, title: Tâche, owner: st, deadline: T3 2025 }
";

    fn codes(src: &str) -> Vec<(String, u32, u32)> {
        check_source(src, "t.yaml", Lang::En)
            .diagnostics
            .into_iter()
            .map(|d| (d.code.to_string(), d.line, d.column))
            .collect()
    }

    fn plan_of(src: &str) -> Plan {
        let checked = check_source(src, "t.yaml", Lang::Fr);
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        checked.plan.expect("a plan")
    }

    #[test]
    fn workbook_words_and_french_dates_are_read_in_yaml() {
        // The values a workbook takes: a day-first date, French labels, oui/non.
        let src = BASE.replace(
            "{ id: t1, title: Tâche, owner: st, deadline: T3 2025 }",
            "{ id: t1, title: Tâche, owner: st, deadline: 31/03/2025, milestone: oui, repeat: Mensuelle, reminders: non,\n          resources: [{ kind: personnel, quantity: 2 }, { kind: budget, amount: 5, funder: st, status: acquis }, { kind: Équipement, status: à rechercher }] }",
        );
        let plan = plan_of(&src);
        let t = &plan.priorities[0].tasks[0];
        assert_eq!(t.deadline.label(), "2025-03-31");
        assert_eq!(t.deadline.date(), NaiveDate::from_ymd_opt(2025, 3, 31));
        assert!(t.milestone);
        assert_eq!(t.repeat, Some(Repeat::Monthly));
        assert!(t.reminders.as_ref().is_some_and(|r| r.off));
        assert_eq!(t.resources[0].kind, ResourceKind::Staff);
        assert_eq!(t.resources[1].status, FundingStatus::Secured);
        assert_eq!(t.resources[2].kind, ResourceKind::Equipment);
        assert_eq!(t.resources[2].status, FundingStatus::Needed);
        // A word no reader takes is still refused, its French label in the help.
        let src = BASE.replace(
            "deadline: T3 2025 }",
            "deadline: T3 2025, repeat: parfois }",
        );
        let got = check_source(&src, "t.yaml", Lang::Fr).diagnostics;
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0]
                .help
                .as_deref()
                .is_some_and(|h| h.contains("monthly (mensuelle)")),
            "{got:?}"
        );
    }

    #[test]
    fn non_breaking_spaces_in_dates_are_read_and_odd_characters_named() {
        let src = BASE.replace("deadline: T3 2025 }", "deadline: \"T3\u{a0}2025\" }");
        let plan = plan_of(&src);
        assert_eq!(plan.priorities[0].tasks[0].deadline.label(), "T3 2025");
        let src = BASE.replace("deadline: T3 2025 }", "deadline: \"T3\u{200b}2025\" }");
        let got = check_source(&src, "t.yaml", Lang::Fr).diagnostics;
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].message.contains("espace sans largeur (U+200B)"),
            "{got:?}"
        );
        let got = check_source(&src, "t.yaml", Lang::En).diagnostics;
        assert!(
            got[0].message.contains("zero-width space (U+200B)"),
            "{got:?}"
        );
        let src = BASE.replace("deadline: T3 2025 }", "deadline: T3–2025 }");
        let got = check_source(&src, "t.yaml", Lang::Fr).diagnostics;
        assert!(
            got[0]
                .message
                .contains("un tiret «\u{a0}–\u{a0}» qui n'est pas `-` (U+2013)"),
            "{got:?}"
        );
    }

    #[test]
    fn amounts_as_people_write_them() {
        let src = BASE.replace(
            "deadline: T3 2025 }",
            "deadline: T3 2025, resources: [{ kind: budget, amount: 1,5 million }, { kind: budget, amount: \"350 000,50\" }, { kind: budget, amount: 2 milliards }] }",
        );
        let plan = plan_of(&src);
        let amounts: Vec<Option<f64>> = plan.priorities[0].tasks[0]
            .resources
            .iter()
            .map(|r| r.amount)
            .collect();
        assert_eq!(amounts, [Some(1_500_000.0), Some(350_000.5), Some(2e9)]);
        // In a block mapping too.
        let src = BASE
            .replace(
                "deadline: T3 2025 }",
                "deadline: T3 2025,\n          resources: [{ kind: budget, amount: 3 }] }",
            )
            .replace("amount: 3", "amount: 1,25 million, quantity: 2,5");
        let plan = plan_of(&src);
        let r = &plan.priorities[0].tasks[0].resources[0];
        assert_eq!((r.amount, r.quantity), (Some(1_250_000.0), Some(2.5)));
    }

    #[test]
    fn funders_that_are_not_owners() {
        let src = BASE
            .replace(
                "priorities:",
                "funders:\n  - { id: bn, name: Budget national }\npriorities:",
            )
            .replace(
                "deadline: T3 2025 }",
                "deadline: T3 2025, resources: [{ kind: budget, amount: 5, funder: bn }, { kind: budget, amount: 7, funder: Banque mondiale, status: promis }, { kind: budget, amount: 1, funder: st }] }",
            );
        let plan = plan_of(&src);
        let funders: Vec<Option<&str>> = plan.priorities[0].tasks[0]
            .resources
            .iter()
            .map(|r| r.funder.as_deref())
            .collect();
        assert_eq!(
            funders,
            [Some("Budget national"), Some("Banque mondiale"), Some("st")]
        );
        assert_eq!(plan.owners.len(), 1);
        assert_eq!(plan.funders[0].name, "Budget national");
        // An unknown id is still a typo; an owner's sigle written as a name is said.
        let src = BASE.replace("{ id: st, name: Secrétariat,", "{ id: st, name: Secrétariat, short: STC,").replace(
            "deadline: T3 2025 }",
            "deadline: T3 2025, resources: [{ kind: budget, amount: 5, funder: bnn }, { kind: budget, amount: 5, funder: STC }] }",
        );
        let got = check_source(&src, "t.yaml", Lang::Fr).diagnostics;
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.iter().all(|d| d.code == Code::UnknownReference));
        assert!(
            got[0]
                .help
                .as_deref()
                .is_some_and(|h| h.contains("funders:")),
            "{got:?}"
        );
        assert!(
            got[1]
                .help
                .as_deref()
                .is_some_and(|h| h.contains("funder: st")),
            "{got:?}"
        );
    }

    #[test]
    fn an_owner_written_as_its_sigle_is_suggested() {
        let src = BASE
            .replace(
                "owners:\n",
                "owners:\n  - { id: anpe-mali, name: Agence nationale pour l'emploi, email: a@example.ml }\n  - { id: dgme, name: Direction générale, short: DGME, email: d@example.ml }\n",
            )
            .replace("owner: st, deadline: T3 2025 }", "owner: ANPE, deadline: T3 2025 }\n      - { id: t2, title: Deux, owner: DGME, deadline: T3 2025 }");
        let got = check_source(&src, "t.yaml", Lang::Fr).diagnostics;
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            got[0]
                .help
                .as_deref()
                .is_some_and(|h| h
                    .starts_with("vouliez-vous dire `anpe-mali` (Agence nationale pour l'emploi)")),
            "{got:?}"
        );
        assert!(
            got[1]
                .help
                .as_deref()
                .is_some_and(|h| h.starts_with("vouliez-vous dire `dgme`")),
            "{got:?}"
        );
        assert!(initials("Agence nationale pour l'emploi").contains(&"anpe".to_string()));
    }

    #[test]
    fn semiannual_repetition_until_a_date() {
        let src = BASE
            .replace(
                "deadline: T3 2025 }",
                "deadline: S1 2025, repeat: semiannual, until: 2026-06-30 }",
            )
            .replace("end: 2025-12-31", "end: 2027-12-31");
        let plan = plan_of(&src);
        let t = &plan.priorities[0].tasks[0];
        assert_eq!(t.repeat, Some(Repeat::Semiannual));
        assert_eq!(t.occurrences(plan.start, plan.end).len(), 3);
        let src = BASE.replace(
            "deadline: T3 2025 }",
            "deadline: T3 2025, until: 2025-12-31 }",
        );
        assert_eq!(codes(&src), [("invalid-value".to_string(), 12, 70)]);
        let src = BASE.replace(
            "deadline: T3 2025 }",
            "deadline: T3 2025, repeat: monthly, until: 2025-01-31 }",
        );
        assert_eq!(codes(&src)[0].0, "invalid-period");
    }

    #[test]
    fn an_owner_loop_is_a_dependency_cycle() {
        // docs/plan-format.md says so: the owners' `parent` links are checked for loops.
        let src = BASE.replace(
            "{ id: st, name: Secrétariat, email: st@example.ml }",
            "{ id: st, name: Secrétariat, email: st@example.ml, parent: b }\n  - { id: b, name: B, parent: st }",
        );
        let got = check_source(&src, "t.yaml", Lang::Fr).diagnostics;
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].code, Code::DependencyCycle);
        assert!(got[0].message.contains("st → b → st"), "{got:?}");
    }

    #[test]
    fn base_is_valid() {
        let checked = check_source(BASE, "t.yaml", Lang::Fr);
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        assert_eq!(checked.plan.map(|p| p.tasks().count()), Some(1));
    }

    #[test]
    fn duplicate_is_reported_at_the_later_use_even_when_tasks_are_read_first() {
        // The task is handed over while parsing, before the owners; the owner comes first in the
        // file, so the task's id is the duplicate.
        let src = BASE.replace(
            "{ id: st, name",
            "{ id: t1, name: Homonyme, email: h@example.ml }\n  - { id: st, name",
        );
        assert_eq!(codes(&src), [("duplicate-id".to_string(), 13, 15)]);
    }

    #[test]
    fn a_misspelt_required_key_is_said_once() {
        // `dealine` is taken for `deadline`: one unknown key with its suggestion, no missing
        // `deadline` besides it.
        let src = BASE.replace("deadline: T3 2025 }", "dealine: T3 2025 }");
        let got = check_source(&src, "t.yaml", Lang::Fr).diagnostics;
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].code.to_string(), "unknown-field");
        assert_eq!(
            got[0].help.as_deref(),
            Some("vouliez-vous dire `deadline`\u{a0}?")
        );
        // A key far from any known one leaves the required key missing.
        let src = BASE.replace("deadline: T3 2025 }", "calendrier: T3 2025 }");
        let codes: Vec<_> = codes(&src).into_iter().map(|c| c.0).collect();
        assert_eq!(codes, ["missing-field", "unknown-field"]);
    }

    #[test]
    fn a_former_id_still_in_use_is_refused() {
        let src = BASE.replace(
            "deadline: T3 2025 }",
            "deadline: T3 2025, renamed_from: axe-1 }",
        );
        assert_eq!(
            codes(&src).first().map(|c| c.0.as_str()),
            Some("duplicate-id")
        );
    }

    #[test]
    fn owners_declared_after_the_priorities_still_resolve() {
        let (head, owners) = BASE.split_at(BASE.find("owners:").unwrap_or(0));
        let (owners, prios) = owners.split_at(owners.find("priorities:").unwrap_or(0));
        let reordered = format!("{head}{prios}{owners}");
        assert!(codes(&reordered).is_empty(), "{:?}", codes(&reordered));
    }

    #[test]
    fn currencies_and_periods_are_judged_after_the_whole_file() {
        let src = BASE.replace(
            "deadline: T3 2025 }",
            "deadline: T1 2026, resources: [{ kind: budget, amount: 10, currency: USD }] }",
        );
        let got: Vec<String> = codes(&src).into_iter().map(|c| c.0).collect();
        assert_eq!(got, ["deadline-outside-period", "unknown-currency"]);
        let with_rate = src.replace("period: {", "exchange_rates: { USD: 600 }\n  period: {");
        let plan = check_source(&with_rate.replace("T1 2026", "T3 2025"), "t.yaml", Lang::En).plan;
        let amount =
            plan.and_then(|p| p.priorities[0].tasks[0].resources[0].amount_in_plan_currency);
        assert_eq!(amount, Some(6000.0));
    }

    /// (code, line, column, message) of every diagnostic.
    fn diags(src: &str, lang: Lang) -> Vec<(String, u32, u32, String)> {
        check_source(src, "t.yaml", lang)
            .diagnostics
            .into_iter()
            .map(|d| (d.code.to_string(), d.line, d.column, d.message))
            .collect()
    }

    fn one(code: &str, line: u32, col: u32, msg: &str) -> Vec<(String, u32, u32, String)> {
        vec![(code.to_string(), line, col, msg.to_string())]
    }

    #[test]
    fn a_bad_cron_hides_no_other_reminder_setting() {
        let src = BASE.replace(
            "owners:",
            "reminders:\n  schedule: \"0 8 * *\"\n  before: [3x]\n  digest: nope\n  overdue_every: 7\nowners:",
        );
        let got: Vec<(String, u32)> = diags(&src, Lang::En)
            .into_iter()
            .map(|d| (d.0, d.1))
            .collect();
        let want = [
            ("invalid-cron", 7),
            ("invalid-duration", 8),
            ("invalid-cron", 9),
            ("invalid-duration", 10),
        ];
        let want: Vec<(String, u32)> = want.iter().map(|(c, l)| (c.to_string(), *l)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn an_invalid_rate_is_reported_once() {
        let src = BASE
            .replace("period: {", "exchange_rates: { USD: beaucoup }\n  period: {")
            .replace(
                "deadline: T3 2025 }",
                "deadline: T3 2025, resources: [{ kind: budget, amount: 10, currency: USD }, { kind: budget, amount: 5, currency: USD }] }",
            );
        let got = diags(&src, Lang::En);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0.as_str(), got[0].1), ("invalid-amount", 5));
    }

    #[test]
    fn an_owner_with_an_invalid_id_is_still_known_by_it() {
        let src = BASE
            .replace("{ id: st, name: Secrétariat", "{ id: St, name: Secrétariat")
            .replace("owner: st,", "owner: St,");
        assert_eq!(
            diags(&src, Lang::Fr),
            one("invalid-id", 7, 11, "identifiant invalide `St`")
        );
    }

    #[test]
    fn blank_required_texts_and_empty_owner_lists_are_refused() {
        let src = BASE.replace("title: Tâche", "title: \"  \"");
        assert_eq!(
            diags(&src, Lang::Fr),
            one(
                "missing-field",
                12,
                26,
                "`title` de la tâche `t1` est vide\u{a0}: un texte est obligatoire"
            )
        );
        assert_eq!(
            diags(&src, Lang::En),
            one(
                "missing-field",
                12,
                26,
                "`title` of task `t1` is empty: a text is required"
            )
        );
        let src = BASE.replace("title: Plan", "title: ''");
        assert_eq!(diags(&src, Lang::En)[0].0, "missing-field");
        let src = BASE.replace("owner: st,", "owner: [],");
        assert_eq!(
            diags(&src, Lang::Fr),
            one(
                "missing-field",
                12,
                40,
                "`owner` de la tâche `t1` ne nomme personne\u{a0}: il doit nommer au moins un responsable"
            )
        );
    }

    #[test]
    fn plan_currency_is_a_current_iso_code_and_fcfa_is_xof() {
        let src = BASE.replace("period: {", "currency: ZZZ\n  period: {");
        assert_eq!(
            diags(&src, Lang::En),
            one(
                "unknown-currency",
                5,
                13,
                "unknown currency `ZZZ` in `currency`: not a current ISO 4217 code"
            )
        );
        let src = BASE
            .replace("period: {", "currency: F CFA\n  exchange_rates: { usd: 600, cfa: 1 }\n  period: {")
            .replace(
                "deadline: T3 2025 }",
                "deadline: T3 2025, resources: [{ kind: budget, amount: 10, currency: fcfa }, { kind: budget, amount: 1, currency: EUR }] }",
            );
        let got = diags(&src, Lang::Fr);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            (got[0].0.as_str(), got[0].1, got[0].2),
            ("unknown-currency", 6, 21)
        );
        let src = src.replace("usd: 600, ", "");
        let plan = check_source(&src, "t.yaml", Lang::Fr).plan.expect("valid");
        assert_eq!(plan.currency, "XOF");
        let r = &plan.priorities[0].tasks[0].resources;
        assert_eq!(
            (r[0].currency.as_str(), r[0].amount_in_plan_currency),
            ("XOF", Some(10.0))
        );
        assert_eq!(r[1].amount_in_plan_currency, Some(EUR_XOF));
    }

    #[test]
    fn parent_loops_are_named() {
        let src = BASE.replace(
            "  - { id: st, name: Secrétariat, email: st@example.ml }",
            "  - { id: st, name: Secrétariat, email: st@example.ml, parent: b }\n  - { id: b, name: B, parent: c }\n  - { id: c, name: C, parent: st }\n  - { id: d, name: D, parent: d }",
        );
        assert_eq!(
            diags(&src, Lang::Fr),
            [
                (
                    "dependency-cycle".to_string(),
                    9,
                    31,
                    "boucle de responsables parents\u{a0}: st → b → c → st".to_string()
                ),
                (
                    "dependency-cycle".to_string(),
                    10,
                    31,
                    "boucle de responsables parents\u{a0}: d → d".to_string()
                ),
            ]
        );
    }

    #[test]
    fn a_recurring_task_before_the_period_begins_inside_it() {
        let src = BASE.replace(
            "deadline: T3 2025 }",
            "deadline: 1900-01-31, repeat: monthly }",
        );
        let checked = check_source(&src, "t.yaml", Lang::En);
        let d = &checked.diagnostics;
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, Code::DeadlineOutsidePeriod);
        assert_eq!(
            d[0].message,
            "deadline `1900-01-31` is outside the plan period (2025-01-01 – 2025-12-31)"
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some("the task repeats: its occurrences begin on 2025-01-31, the first one inside the period")
        );
        let plan = checked.plan.expect("a warning only");
        let task = &plan.priorities[0].tasks[0];
        assert_eq!(task.occurrences(plan.start, plan.end).len(), 12);
    }

    #[test]
    fn ambiguous_amounts_quote_both_readings() {
        let src = BASE.replace(
            "deadline: T3 2025 }",
            "deadline: T3 2025, resources: [{ kind: budget, amount: 12.500 }, { kind: budget, amount: 12.500.000 }] }",
        );
        let fr = diags(&src, Lang::Fr);
        assert_eq!(fr[0].0, "ambiguous-amount");
        assert_eq!(
            fr[0].3,
            "montant ambigu `12.500`\u{a0}: 12\u{a0}500 ou 12,5\u{a0}?"
        );
        assert_eq!(fr[1].0, "invalid-amount");
        assert_eq!(fr.len(), 2);
        let en = diags(&src, Lang::En);
        assert_eq!(en[0].3, "ambiguous amount `12.500`: 12,500 or 12.5?");
        assert_eq!(
            amount_readings("6.000", Lang::Fr),
            ("6\u{a0}000".to_string(), "6".to_string())
        );
        assert_eq!(
            amount_readings("1.050", Lang::En),
            ("1,050".to_string(), "1.05".to_string())
        );
    }

    #[test]
    fn french_wording() {
        assert_eq!(de("le fichier"), "du fichier");
        assert_eq!(de("une tâche"), "d'une tâche");
        assert_eq!(de("la tâche `t1`"), "de la tâche `t1`");
        assert_eq!(
            french_typography("clé `a: b` : vouliez-vous dire `x` ?"),
            "clé `a: b`\u{a0}: vouliez-vous dire `x`\u{a0}?"
        );
        let src = format!(
            "{}priorities: 3\n",
            &BASE[..BASE.find("priorities:").unwrap_or(0)]
        );
        let got = diags(&src, Lang::Fr);
        assert!(
            got.iter()
                .any(|d| d.3 == "`priorities` doit être une liste (`- ...`), pas un texte"),
            "{got:?}"
        );
        let src = BASE.replace("    title: Axe\n", "");
        assert_eq!(
            diags(&src, Lang::Fr),
            one(
                "missing-field",
                9,
                5,
                "clé obligatoire `title` absente de la priorité `axe-1`"
            )
        );
        let src = BASE.replace("deadline: T3 2025 }", "deadline: 2026-03-31 }");
        assert_eq!(
            diags(&src, Lang::Fr)[0].3,
            "l'échéance `2026-03-31` est hors de la période du plan (2025-01-01 – 2025-12-31)"
        );
    }
}
