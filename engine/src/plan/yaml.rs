//! A YAML document as a tree in which every node knows where it was written.
//!
//! serde-based loaders give one error without position for semantic problems; plan authors need
//! the line and column of every offending key or value. This module builds such a tree in one pass
//! from `saphyr-parser`'s event stream (which reports marks), and does nothing else: what the keys
//! mean is the validator's business. Scalars keep the exact text the author wrote (so `6.000` is
//! still `6.000`, and a date is never turned into something else), and whether they were quoted.

use crate::lang::Lang;
use crate::tr;
use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use std::borrow::Cow;
use std::collections::HashMap;

/// A 1-based line and column (in characters), as editors and compilers show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
    /// In a workbook, the sheet (1-based, as the workbook reader numbers them); 0 in a YAML file.
    /// A workbook position's `line` is the row and `col` the column (1 = A).
    pub sheet: u16,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub pos: Pos,
    pub kind: Kind<'a>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind<'a> {
    /// A scalar as written; `plain` is false when it was quoted or a block scalar.
    Scalar {
        text: Cow<'a, str>,
        plain: bool,
    },
    Seq(Vec<Node<'a>>),
    Map(Vec<(Node<'a>, Node<'a>)>),
}

/// What is wrong in a document that is not YAML.
#[derive(Debug, Clone, PartialEq)]
pub enum SyntaxProblem {
    /// A tab in the indentation (YAML indents with spaces only).
    TabIndent,
    /// A line in a block list that does not start with `-`.
    MissingDash,
    /// A `:` followed by a space inside an unquoted value.
    ColonInValue,
    /// A quoted text whose closing quote never comes (the quote character).
    UnclosedQuote(char),
    /// A `[` or `{` never closed (the opening character).
    UnclosedBracket(char),
    /// A line indented so that it belongs to no mapping above.
    BadIndent,
    /// A key indented further than the key above it (`extra` spaces), so that YAML reads it as
    /// the rest of that key's value: the key, the key above and the column to align on.
    OverIndentedKey {
        key: String,
        above: String,
        extra: u32,
        align: u32,
    },
    /// A key written twice in one mapping, and where it was first written.
    DuplicateKey(String, Pos),
    /// `*name` with no `&name` before it.
    UnknownAlias,
    /// Aliases expanding to more than a million nodes.
    TooManyAliases,
    /// Anything else the parser refuses.
    Other,
}

/// A YAML syntax problem, with where it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub pos: Pos,
    pub problem: SyntaxProblem,
}

impl SyntaxError {
    /// One sentence saying what is wrong and where, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let (l, c) = (self.pos.line, self.pos.col);
        match &self.problem {
            SyntaxProblem::TabIndent => tr!(
                lang,
                "tabulation dans l'indentation ligne {l}, colonne {c}",
                "tab used for indentation at line {l}, column {c}"
            ),
            SyntaxProblem::MissingDash => tr!(
                lang,
                "élément de liste sans `-` ligne {l}, colonne {c}",
                "list item without `-` at line {l}, column {c}"
            ),
            SyntaxProblem::ColonInValue => tr!(
                lang,
                "`:` dans une valeur sans guillemets ligne {l}, colonne {c}",
                "`:` in an unquoted value at line {l}, column {c}"
            ),
            SyntaxProblem::UnclosedQuote(q) => tr!(
                lang,
                "le guillemet {q} ouvert ligne {l}, colonne {c} n'est jamais refermé",
                "the quote {q} opened at line {l}, column {c} is never closed"
            ),
            SyntaxProblem::UnclosedBracket(b) => tr!(
                lang,
                "le `{b}` ouvert ligne {l}, colonne {c} n'est jamais refermé",
                "the `{b}` opened at line {l}, column {c} is never closed"
            ),
            SyntaxProblem::BadIndent => tr!(
                lang,
                "indentation incohérente ligne {l}, colonne {c}",
                "inconsistent indentation at line {l}, column {c}"
            ),
            SyntaxProblem::OverIndentedKey {
                key, above, extra, ..
            } => {
                let spaces = match (lang, *extra) {
                    (Lang::Fr, 1) => "1 espace".to_string(),
                    (Lang::Fr, n) => format!("{n} espaces"),
                    (Lang::En, 1) => "one space".to_string(),
                    (Lang::En, n) => format!("{n} spaces"),
                };
                tr!(
                    lang,
                    "la clé `{key}` est indentée de {spaces} de trop ligne {l}, colonne {c} : YAML la lit comme la suite de la valeur de `{above}`",
                    "key `{key}` is indented by {spaces} too many at line {l}, column {c}: YAML reads it as the rest of the value of `{above}`"
                )
            }
            SyntaxProblem::DuplicateKey(key, first) => tr!(
                lang,
                "clé `{key}` en double ligne {l}, colonne {c} (déjà écrite ligne {})",
                "duplicate key `{key}` at line {l}, column {c} (already written at line {})",
                first.line
            ),
            SyntaxProblem::UnknownAlias => tr!(
                lang,
                "alias sans ancre ligne {l}, colonne {c}",
                "alias without an anchor at line {l}, column {c}"
            ),
            SyntaxProblem::TooManyAliases => tr!(
                lang,
                "les alias se déploient en plus d'un million d'éléments ligne {l}, colonne {c}",
                "aliases expand to more than a million nodes at line {l}, column {c}"
            ),
            SyntaxProblem::Other => tr!(
                lang,
                "syntaxe YAML invalide ligne {l}, colonne {c}",
                "invalid YAML syntax at line {l}, column {c}"
            ),
        }
    }

    /// What to write instead, in `lang`.
    pub fn help(&self, lang: Lang) -> String {
        match &self.problem {
            SyntaxProblem::TabIndent => tr!(
                lang,
                "indentez avec des espaces, jamais avec des tabulations",
                "indent with spaces, never with tabs"
            ),
            SyntaxProblem::MissingDash => tr!(
                lang,
                "dans une liste, chaque élément commence par `- `, aligné sur les autres",
                "in a list, every item starts with `- `, aligned with the others"
            ),
            SyntaxProblem::ColonInValue => tr!(
                lang,
                "mettez entre guillemets un texte qui contient `: `, par exemple `title: \"Axe 1 : coordination\"`",
                "quote a text that contains `: `, for example `title: \"Axis 1: coordination\"`"
            ),
            SyntaxProblem::UnclosedQuote(q) => tr!(
                lang,
                "refermez le texte par {q} sur la même ligne",
                "close the text with {q} on the same line"
            ),
            SyntaxProblem::UnclosedBracket(b) => {
                let close = if *b == '[' { ']' } else { '}' };
                tr!(
                    lang,
                    "ajoutez `{close}` après le dernier élément",
                    "add `{close}` after the last item"
                )
            }
            SyntaxProblem::BadIndent => tr!(
                lang,
                "alignez cette ligne, avec des espaces, sur les autres clés de la même table",
                "align this line, with spaces, with the other keys of the same mapping"
            ),
            SyntaxProblem::OverIndentedKey {
                key, above, align, ..
            } => tr!(
                lang,
                "alignez `{key}:` sur `{above}:` (colonne {align})",
                "align `{key}:` with `{above}:` (column {align})"
            ),
            // Every item of a plan's lists starts with `id`: a second `id` in one mapping is
            // most often a new item whose `-` was forgotten.
            SyntaxProblem::DuplicateKey(key, _) if key == "id" => tr!(
                lang,
                "si cette ligne commence un nouvel élément de la liste, écrivez `- id:` au niveau du `-` précédent ; sinon gardez une seule de ces deux clés",
                "if this line starts a new item of the list, write `- id:` at the level of the `-` above; otherwise keep only one of the two keys"
            ),
            SyntaxProblem::DuplicateKey(..) => tr!(
                lang,
                "gardez une seule de ces deux clés",
                "keep only one of the two keys"
            ),
            SyntaxProblem::UnknownAlias | SyntaxProblem::TooManyAliases => tr!(
                lang,
                "écrivez les valeurs en entier plutôt qu'avec des ancres (`&nom`) et des alias (`*nom`)",
                "write the values out instead of using anchors (`&name`) and aliases (`*name`)"
            ),
            SyntaxProblem::Other => tr!(
                lang,
                "vérifiez l'indentation (des espaces, jamais de tabulation), que chaque `[` ou `{{` est refermé, et mettez entre guillemets un texte qui contient `: ` ou ` #`",
                "check the indentation (spaces, never tabs), that every `[` or `{{` is closed, and quote text that contains `: ` or ` #`"
            ),
        }
    }
}

/// Beyond this many nodes created by aliases, the document is refused ("billion laughs").
const MAX_ALIAS_NODES: usize = 1_000_000;

impl<'a> Node<'a> {
    /// The scalar's text, if this node is a scalar.
    pub fn as_scalar(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// True for `~`, `null`, or an empty plain scalar: YAML's ways of writing nothing.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { text, plain: true } if matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// A short French/English-neutral word for what this node is, for "expected X, found Y".
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            Kind::Scalar { .. } if self.is_null() => "null",
            Kind::Scalar { .. } => "scalar",
            Kind::Seq(_) => "list",
            Kind::Map(_) => "map",
        }
    }

    fn count(&self) -> usize {
        match &self.kind {
            Kind::Scalar { .. } => 1,
            Kind::Seq(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            Kind::Map(pairs) => {
                1 + pairs
                    .iter()
                    .map(|(k, v)| k.count() + v.count())
                    .sum::<usize>()
            }
        }
    }
}

fn pos_of(span: &Span) -> Pos {
    Pos {
        line: span.start.line() as u32,
        col: span.start.col() as u32 + 1,
        sheet: 0,
    }
}

/// Below this many keys a mapping is searched for a duplicate key; from it on, the keys are
/// indexed, so that a mapping of any size is read in linear time.
const INDEX_KEYS_FROM: usize = 16;

/// The keys of a large mapping, each with its index in the mapping's pairs.
type KeyIndex = HashMap<String, usize>;

enum Frame<'a> {
    Seq(Pos, usize, Vec<Node<'a>>),
    Map(
        Pos,
        usize,
        Vec<(Node<'a>, Node<'a>)>,
        Option<Node<'a>>,
        Option<KeyIndex>,
    ),
}

/// The pair index of a key already in a mapping, if `key` is one.
fn find_key(
    pairs: &[(Node<'_>, Node<'_>)],
    index: &mut Option<KeyIndex>,
    key: &str,
) -> Option<usize> {
    if index.is_none() && pairs.len() >= INDEX_KEYS_FROM {
        let mut keys = KeyIndex::with_capacity(pairs.len() * 2);
        for (i, (k, _)) in pairs.iter().enumerate() {
            if let Some(text) = k.as_scalar() {
                keys.entry(text.to_string()).or_insert(i);
            }
        }
        *index = Some(keys);
    }
    match index {
        Some(keys) => keys.get(key).copied(),
        None => pairs.iter().position(|(k, _)| k.as_scalar() == Some(key)),
    }
}

/// True when `key` is the end of the number `value` cut at its decimal comma by a flow mapping:
/// `{ amount: 1,5 million }` is read by YAML as `amount: 1` and a key `5 million`. Both plain, on
/// one line, the comma right between them, the key starting with a digit (no key of the plan
/// format does).
fn cut_decimal(value: &Node<'_>, key: &Node<'_>) -> bool {
    match (&value.kind, &key.kind) {
        (
            Kind::Scalar {
                text: number,
                plain: true,
            },
            Kind::Scalar {
                text: rest,
                plain: true,
            },
        ) => {
            !number.is_empty()
                && number
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ' ' || c == '\u{a0}' || c == '\u{202f}')
                && rest.starts_with(|c: char| c.is_ascii_digit())
                && value.pos.line == key.pos.line
                && key.pos.col == value.pos.col + number.chars().count() as u32 + 1
        }
        _ => false,
    }
}

/// Joins back the numbers a flow mapping cut at their decimal comma ([`cut_decimal`]), when
/// the cut-off part was read as a key without value: `amount: 1,5 million` again.
fn join_decimal_commas(pairs: &mut Vec<(Node<'_>, Node<'_>)>) {
    let mut i = 1;
    while i < pairs.len() {
        if pairs[i].1.is_null() && cut_decimal(&pairs[i - 1].1, &pairs[i].0) {
            let (key, _) = pairs.remove(i);
            let value = &mut pairs[i - 1].1;
            if let (Kind::Scalar { text, .. }, Some(rest)) = (&mut value.kind, key.as_scalar()) {
                *text = Cow::Owned(format!("{text},{rest}"));
            }
        } else {
            i += 1;
        }
    }
}

/// Parses the first document of `src` into a positioned tree.
///
/// An empty document yields a null scalar. Duplicate keys in one mapping are a syntax error (YAML
/// forbids them, and silently keeping one of the two would lose what the author wrote).
pub fn parse(src: &str) -> Result<Node<'_>, SyntaxError> {
    parse_streaming(src, &mut |_, _| {})
}

/// True when the frames are exactly: root mapping at `priorities`, its list, a priority mapping
/// at `tasks`, and that list: the place where task items are completed.
fn at_task_item(stack: &[Frame<'_>]) -> Option<usize> {
    match stack {
        [Frame::Map(_, _, _, Some(k1), _), Frame::Seq(_, _, prios), Frame::Map(_, _, _, Some(k2), _), Frame::Seq(..)]
            if k1.as_scalar() == Some("priorities") && k2.as_scalar() == Some("tasks") =>
        {
            Some(prios.len())
        }
        _ => None,
    }
}

/// Like [`parse`], but every task item (`priorities[i].tasks[j]`) is handed to `on_task` with its
/// priority's index as soon as it is complete, instead of being kept in the tree. A plan of
/// 100,000 tasks is then never held whole in memory: the validator reads each task while it is
/// still hot in cache, and only the validated model stays.
pub fn parse_streaming<'a>(
    src: &'a str,
    on_task: &mut dyn FnMut(usize, Node<'a>),
) -> Result<Node<'a>, SyntaxError> {
    let mut parser = Parser::new_from_str(src);
    build(src, &mut || parser.next_event(), on_task)
}

type ParseItem<'a> = Result<(Event<'a>, Span), saphyr_parser::ScanError>;

/// Builds the tree from the parser's events, handing task items to `on_task`.
fn build<'a>(
    src: &'a str,
    next_event: &mut dyn FnMut() -> Option<ParseItem<'a>>,
    on_task: &mut dyn FnMut(usize, Node<'a>),
) -> Result<Node<'a>, SyntaxError> {
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut anchors: HashMap<usize, Node<'_>> = HashMap::new();
    let mut alias_nodes = 0usize;
    let mut root: Option<Node<'_>> = None;
    let mut last_pos = Pos {
        line: 1,
        col: 1,
        sheet: 0,
    };

    while let Some(item) = next_event() {
        let (event, span) = item.map_err(|e| scan_error(src, &stack, &e))?;
        let pos = pos_of(&span);
        last_pos = pos;
        let finished: Node<'_> = match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => continue,
            Event::DocumentEnd | Event::StreamEnd => break,
            Event::SequenceStart(anchor, _) => {
                stack.push(Frame::Seq(pos, anchor, Vec::new()));
                continue;
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Frame::Map(pos, anchor, Vec::new(), None, None));
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(p, anchor, items)) => {
                    let node = Node {
                        pos: p,
                        kind: Kind::Seq(items),
                    };
                    if anchor > 0 {
                        anchors.insert(anchor, node.clone());
                    }
                    node
                }
                _ => {
                    return Err(SyntaxError {
                        pos,
                        problem: SyntaxProblem::Other,
                    })
                }
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(p, anchor, mut pairs, _, _)) => {
                    join_decimal_commas(&mut pairs);
                    let node = Node {
                        pos: p,
                        kind: Kind::Map(pairs),
                    };
                    if anchor > 0 {
                        anchors.insert(anchor, node.clone());
                    }
                    node
                }
                _ => {
                    return Err(SyntaxError {
                        pos,
                        problem: SyntaxProblem::Other,
                    })
                }
            },
            Event::Scalar(text, style, anchor, _) => {
                let node = Node {
                    pos,
                    kind: Kind::Scalar {
                        text,
                        plain: style == ScalarStyle::Plain,
                    },
                };
                if anchor > 0 {
                    anchors.insert(anchor, node.clone());
                }
                node
            }
            Event::Alias(anchor) => match anchors.get(&anchor) {
                Some(target) => {
                    alias_nodes += target.count();
                    if alias_nodes > MAX_ALIAS_NODES {
                        return Err(SyntaxError {
                            pos,
                            problem: SyntaxProblem::TooManyAliases,
                        });
                    }
                    let mut node = target.clone();
                    node.pos = pos;
                    node
                }
                None => {
                    return Err(SyntaxError {
                        pos,
                        problem: SyntaxProblem::UnknownAlias,
                    })
                }
            },
        };
        match stack.last_mut() {
            None => {
                root = Some(finished);
            }
            Some(Frame::Seq(..)) => match at_task_item(&stack) {
                Some(priority) => on_task(priority, finished),
                None => {
                    if let Some(Frame::Seq(_, _, items)) = stack.last_mut() {
                        items.push(finished);
                    }
                }
            },
            Some(Frame::Map(_, _, pairs, pending, index)) => match pending.take() {
                None => {
                    let cut = pairs.last().is_some_and(|(_, v)| cut_decimal(v, &finished));
                    if let (Kind::Scalar { text, .. }, false) = (&finished.kind, cut) {
                        if let Some(first) = find_key(pairs, index, text) {
                            return Err(SyntaxError {
                                pos: finished.pos,
                                problem: SyntaxProblem::DuplicateKey(
                                    text.to_string(),
                                    pairs[first].0.pos,
                                ),
                            });
                        }
                        if let Some(keys) = index {
                            keys.insert(text.to_string(), pairs.len());
                        }
                    }
                    *pending = Some(finished);
                }
                Some(key) => pairs.push((key, finished)),
            },
        }
    }
    Ok(root.unwrap_or(Node {
        pos: last_pos,
        kind: Kind::Scalar {
            text: Cow::Borrowed(""),
            plain: true,
        },
    }))
}

/// The first tab in the leading whitespace of 1-based `line`, as a position.
fn leading_tab(src: &str, line: u32) -> Option<Pos> {
    let text = src.split('\n').nth((line as usize).checked_sub(1)?)?;
    let col = text
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .position(|c| c == '\t')?;
    Some(Pos {
        line,
        col: col as u32 + 1,
        sheet: 0,
    })
}

/// A block key (`name:` followed by a space or the end of the line) at the start of `line`, after
/// an optional `- `: its indentation in characters, the column of the key, and the key.
fn line_key(line: &str) -> Option<(usize, usize, &str)> {
    let indent = line.chars().take_while(|c| *c == ' ').count();
    let mut rest = &line[indent..];
    let mut col = indent;
    if let Some(after) = rest.strip_prefix('-') {
        let spaces = after.chars().take_while(|c| *c == ' ').count();
        if spaces == 0 {
            return None;
        }
        rest = &after[spaces..];
        col += 1 + spaces;
    }
    let end = rest.find(':')?;
    let key = &rest[..end];
    let after = &rest[end + 1..];
    let is_key = !key.is_empty()
        && key.starts_with(|c: char| c.is_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    (is_key && (after.is_empty() || after.starts_with(' '))).then_some((indent, col, key))
}

/// `title: X` then, one line down, ` deadline: T1 2025` indented further: YAML reads the second
/// line as the rest of `X` and then stops on its `:`. The key, where it is and how far to move it.
fn over_indented_key(src: &str, line: u32) -> Option<(Pos, SyntaxProblem)> {
    let lines: Vec<&str> = src.split('\n').collect();
    let at = (line as usize).checked_sub(1)?;
    let text = lines.get(at)?.trim_end_matches('\r');
    let (indent, col, key) = line_key(text)?;
    if col != indent {
        return None;
    }
    // The line above that holds something (not blank, not a comment).
    let above = lines[..at]
        .iter()
        .rev()
        .map(|l| l.trim_end_matches('\r'))
        .find(|l| {
            let t = l.trim_start();
            !t.is_empty() && !t.starts_with('#')
        })?;
    let (_, above_col, above_key) = line_key(above)?;
    // The key above has a value on its line (else a deeper line is its nested mapping).
    let value = above.split_once(':').map(|(_, v)| v.trim()).unwrap_or("");
    if value.is_empty() || value.starts_with(['|', '>', '#']) || indent <= above_col {
        return None;
    }
    Some((
        Pos {
            line,
            col: indent as u32 + 1,
            sheet: 0,
        },
        SyntaxProblem::OverIndentedKey {
            key: key.to_string(),
            above: above_key.to_string(),
            extra: (indent - above_col) as u32,
            align: above_col as u32 + 1,
        },
    ))
}

/// The character at a 1-based position, if there is one.
fn char_at(src: &str, pos: Pos) -> Option<char> {
    let text = src.split('\n').nth((pos.line as usize).checked_sub(1)?)?;
    text.chars().nth((pos.col as usize).checked_sub(1)?)
}

/// The parser's refusal as a problem of the plan author's, at the place to look at: the tab
/// itself, the bracket or quote left open.
fn scan_error(src: &str, stack: &[Frame<'_>], e: &saphyr_parser::ScanError) -> SyntaxError {
    let pos = Pos {
        line: e.marker().line() as u32,
        col: e.marker().col() as u32 + 1,
        sheet: 0,
    };
    let info = e.info();
    // The parser may stop on the line before a tab-indented one, or on the one after.
    let tab = [pos.line, pos.line + 1, pos.line.saturating_sub(1)]
        .into_iter()
        .find_map(|line| leading_tab(src, line));
    if let Some(tab) = tab.filter(|_| info.contains("tab") || !info.contains("quoted scalar")) {
        return SyntaxError {
            pos: tab,
            problem: SyntaxProblem::TabIndent,
        };
    }
    let open_flow = |want: char| {
        stack.iter().rev().find_map(|f| {
            let p = match f {
                Frame::Seq(p, ..) | Frame::Map(p, ..) => *p,
            };
            (char_at(src, p) == Some(want)).then_some(p)
        })
    };
    let (pos, problem) = if info.contains("did not find expected '-'") {
        (pos, SyntaxProblem::MissingDash)
    } else if info.contains("mapping values are not allowed") {
        match over_indented_key(src, pos.line) {
            Some((at, problem)) => (at, problem),
            None => (pos, SyntaxProblem::ColonInValue),
        }
    } else if info.contains("quoted scalar") {
        let quote = char_at(src, pos)
            .filter(|c| matches!(c, '"' | '\''))
            .unwrap_or('"');
        (pos, SyntaxProblem::UnclosedQuote(quote))
    } else if info.contains("flow sequence") {
        (
            open_flow('[').unwrap_or(pos),
            SyntaxProblem::UnclosedBracket('['),
        )
    } else if info.contains("flow mapping") {
        (
            open_flow('{').unwrap_or(pos),
            SyntaxProblem::UnclosedBracket('{'),
        )
    } else if info.contains("block mapping, did not find expected key") {
        (pos, SyntaxProblem::BadIndent)
    } else if let Some((open, b)) = open_flow('[')
        .map(|p| (p, '['))
        .or_else(|| open_flow('{').map(|p| (p, '{')))
    {
        // Any other refusal inside a flow collection: most often the `]` or `}` left out.
        (open, SyntaxProblem::UnclosedBracket(b))
    } else {
        (pos, SyntaxProblem::Other)
    };
    SyntaxError { pos, problem }
}

/// Byte offsets of the start of every line, to turn (line, column) into a byte span for display.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(src: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 0-based line holding byte `offset` (the last line past the end).
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1)
    }

    /// How many lines the text has (a last line without a line break counts).
    pub fn lines(&self) -> usize {
        self.starts.len()
    }

    /// The byte offset where 0-based `line` starts, or the end of the text past the last line.
    pub fn line_start(&self, src: &str, line: usize) -> usize {
        self.starts
            .get(line)
            .copied()
            .unwrap_or(src.len())
            .min(src.len())
    }

    /// The byte offset of a 1-based line and character column, clamped to the text.
    pub fn offset(&self, src: &str, pos: Pos) -> usize {
        let line = (pos.line.max(1) as usize - 1).min(self.starts.len() - 1);
        let start = self.starts[line];
        let end = self.starts.get(line + 1).copied().unwrap_or(src.len());
        let text = &src[start..end];
        let col = pos.col.max(1) as usize - 1;
        start
            + text
                .char_indices()
                .nth(col)
                .map(|(i, _)| i)
                .unwrap_or(text.len())
    }

    /// The length in bytes of the key or value that starts at `offset`, for the marker under it:
    /// a quoted string to its closing quote, anything else to the next `: `, `,`, `]`, `}`, ` #`
    /// or the end of the line.
    pub fn token_len(src: &str, offset: usize) -> usize {
        let rest = &src[offset.min(src.len())..];
        let line = rest.split('\n').next().unwrap_or("").trim_end();
        let mut chars = line.char_indices();
        let end = match chars.next() {
            Some((_, q @ ('"' | '\''))) => chars
                .find(|(_, c)| *c == q)
                .map(|(i, c)| i + c.len_utf8())
                .unwrap_or(line.len()),
            Some(_) => [
                line.find(": "),
                line.find(','),
                line.find(']'),
                line.find('}'),
                line.find(" #"),
            ]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(line.len())
            .min(line.strip_suffix(':').map(str::len).unwrap_or(line.len())),
            None => 0,
        };
        end.max(1).min(rest.len().max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_keys_and_values() {
        let src = "a: 1\nb:\n  - x\n  - { c: 'd' }\n";
        let root = parse(src).expect("valid");
        let Kind::Map(pairs) = &root.kind else {
            panic!("map expected")
        };
        assert_eq!(
            pairs[0].0.pos,
            Pos {
                line: 1,
                col: 1,
                sheet: 0
            }
        );
        assert_eq!(
            pairs[0].1.pos,
            Pos {
                line: 1,
                col: 4,
                sheet: 0
            }
        );
        let Kind::Seq(items) = &pairs[1].1.kind else {
            panic!("seq expected")
        };
        assert_eq!(
            items[0].pos,
            Pos {
                line: 3,
                col: 5,
                sheet: 0
            }
        );
        let Kind::Map(inner) = &items[1].kind else {
            panic!("map expected")
        };
        assert_eq!(
            inner[0].1.pos,
            Pos {
                line: 4,
                col: 10,
                sheet: 0
            }
        );
        assert!(matches!(
            &inner[0].1.kind,
            Kind::Scalar { plain: false, .. }
        ));
    }

    #[test]
    fn duplicate_key_is_an_error_at_the_second_key() {
        let err = parse("a: 1\nb: 2\na: 3\n").expect_err("duplicate");
        assert_eq!(
            err.pos,
            Pos {
                line: 3,
                col: 1,
                sheet: 0
            }
        );
        assert_eq!(
            err.problem,
            SyntaxProblem::DuplicateKey(
                "a".into(),
                Pos {
                    line: 1,
                    col: 1,
                    sheet: 0
                }
            )
        );
        assert_eq!(
            err.message(Lang::Fr),
            "clé `a` en double ligne 3, colonne 1 (déjà écrite ligne 1)"
        );
    }

    #[test]
    fn a_second_id_suggests_the_forgotten_dash() {
        let err = parse("- id: a\n  title: A\n  id: b\n").expect_err("duplicate");
        assert!(
            err.help(Lang::Fr).contains("écrivez `- id:`"),
            "{}",
            err.help(Lang::Fr)
        );
        assert!(err.help(Lang::En).contains("write `- id:`"));
        let err = parse("a: 1\na: 2\n").expect_err("duplicate");
        assert_eq!(err.help(Lang::En), "keep only one of the two keys");
    }

    #[test]
    fn a_key_indented_one_space_too_far_is_said_as_such() {
        let src = "tasks:\n  - id: a\n    title: X\n     deadline: T1 2025\n";
        let err = parse(src).expect_err("over-indented");
        assert_eq!(
            err.problem,
            SyntaxProblem::OverIndentedKey {
                key: "deadline".into(),
                above: "title".into(),
                extra: 1,
                align: 5
            }
        );
        assert_eq!((err.pos.line, err.pos.col), (4, 6));
        assert_eq!(
            err.message(Lang::Fr),
            "la clé `deadline` est indentée de 1 espace de trop ligne 4, colonne 6 : YAML la lit comme la suite de la valeur de `title`"
        );
        assert_eq!(
            err.help(Lang::En),
            "align `deadline:` with `title:` (column 5)"
        );
        // A colon in a value on its own line is still that.
        let err = parse("title: Axe 1: coordination\n").expect_err("colon");
        assert_eq!(err.problem, SyntaxProblem::ColonInValue);
    }

    #[test]
    fn a_decimal_comma_cut_by_a_flow_mapping_is_joined_back() {
        let root = parse("- { amount: 1,5 million, q: 2,5, b: 350 000,50 }\n- { a: 1, b: 2 }\n")
            .expect("valid");
        let Kind::Seq(items) = &root.kind else {
            panic!("seq expected")
        };
        let Kind::Map(pairs) = &items[0].kind else {
            panic!("map expected")
        };
        let texts: Vec<(&str, &str)> = pairs
            .iter()
            .filter_map(|(k, v)| Some((k.as_scalar()?, v.as_scalar()?)))
            .collect();
        assert_eq!(
            texts,
            [("amount", "1,5 million"), ("q", "2,5"), ("b", "350 000,50")]
        );
        // Entries separated by a comma and a space stay apart.
        let Kind::Map(pairs) = &items[1].kind else {
            panic!("map expected")
        };
        assert_eq!(pairs.len(), 2);
    }

    #[test]
    fn aliases_are_expanded_and_bounded() {
        let root = parse("a: &x [1, 2]\nb: *x\n").expect("valid");
        let Kind::Map(pairs) = &root.kind else {
            panic!("map expected")
        };
        assert!(matches!(&pairs[1].1.kind, Kind::Seq(v) if v.len() == 2));
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in 'b'..='k' {
            bomb.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = name;
        }
        assert!(parse(&bomb).is_err());
    }

    #[test]
    fn byte_offsets_account_for_accents() {
        let src = "titre: échéance\nx: y\n";
        let idx = LineIndex::new(src);
        assert_eq!(
            &src[idx.offset(
                src,
                Pos {
                    line: 1,
                    col: 8,
                    sheet: 0
                }
            )..][..2],
            "é"
        );
        assert_eq!(
            idx.offset(
                src,
                Pos {
                    line: 2,
                    col: 4,
                    sheet: 0
                }
            ),
            src.find('y').unwrap_or(0)
        );
    }
}
