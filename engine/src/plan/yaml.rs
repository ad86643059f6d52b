//! A YAML document as a tree in which every node knows where it was written.
//!
//! serde-based loaders give one error without position for semantic problems; plan authors need
//! the line and column of every offending key or value. This module builds such a tree in one pass
//! from `saphyr-parser`'s event stream (which reports marks), and does nothing else: what the keys
//! mean is the validator's business. Scalars keep the exact text the author wrote (so `6.000` is
//! still `6.000`, and a date is never turned into something else), and whether they were quoted.

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use std::borrow::Cow;
use std::collections::HashMap;

/// A 1-based line and column (in characters), as editors and compilers show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
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

/// A YAML syntax problem, with where it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
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
    }
}

enum Frame<'a> {
    Seq(Pos, usize, Vec<Node<'a>>),
    Map(Pos, usize, Vec<(Node<'a>, Node<'a>)>, Option<Node<'a>>),
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
        [Frame::Map(_, _, _, Some(k1)), Frame::Seq(_, _, prios), Frame::Map(_, _, _, Some(k2)), Frame::Seq(..)]
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
    build(&mut || parser.next_event(), on_task)
}

type ParseItem<'a> = Result<(Event<'a>, Span), saphyr_parser::ScanError>;

/// Builds the tree from the parser's events, handing task items to `on_task`.
fn build<'a>(
    next_event: &mut dyn FnMut() -> Option<ParseItem<'a>>,
    on_task: &mut dyn FnMut(usize, Node<'a>),
) -> Result<Node<'a>, SyntaxError> {
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut anchors: HashMap<usize, Node<'_>> = HashMap::new();
    let mut alias_nodes = 0usize;
    let mut root: Option<Node<'_>> = None;
    let mut last_pos = Pos { line: 1, col: 1 };

    while let Some(item) = next_event() {
        let (event, span) = item.map_err(|e| SyntaxError {
            pos: Pos {
                line: e.marker().line() as u32,
                col: e.marker().col() as u32 + 1,
            },
            message: e.info().to_string(),
        })?;
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
                stack.push(Frame::Map(pos, anchor, Vec::new(), None));
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
                        message: "unbalanced sequence".into(),
                    })
                }
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(p, anchor, pairs, _)) => {
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
                        message: "unbalanced mapping".into(),
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
                            message: "aliases expand to too many nodes".into(),
                        });
                    }
                    let mut node = target.clone();
                    node.pos = pos;
                    node
                }
                None => {
                    return Err(SyntaxError {
                        pos,
                        message: "unknown alias".into(),
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
            Some(Frame::Map(_, _, pairs, pending)) => match pending.take() {
                None => {
                    if let Kind::Scalar { text, .. } = &finished.kind {
                        if pairs
                            .iter()
                            .any(|(k, _)| k.as_scalar() == Some(text.as_ref()))
                        {
                            return Err(SyntaxError {
                                pos: finished.pos,
                                message: format!("duplicate key `{text}`"),
                            });
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
        assert_eq!(pairs[0].0.pos, Pos { line: 1, col: 1 });
        assert_eq!(pairs[0].1.pos, Pos { line: 1, col: 4 });
        let Kind::Seq(items) = &pairs[1].1.kind else {
            panic!("seq expected")
        };
        assert_eq!(items[0].pos, Pos { line: 3, col: 5 });
        let Kind::Map(inner) = &items[1].kind else {
            panic!("map expected")
        };
        assert_eq!(inner[0].1.pos, Pos { line: 4, col: 10 });
        assert!(matches!(
            &inner[0].1.kind,
            Kind::Scalar { plain: false, .. }
        ));
    }

    #[test]
    fn duplicate_key_is_an_error_at_the_second_key() {
        let err = parse("a: 1\nb: 2\na: 3\n").expect_err("duplicate");
        assert_eq!(err.pos, Pos { line: 3, col: 1 });
        assert!(err.message.contains("duplicate key"));
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
        assert_eq!(&src[idx.offset(src, Pos { line: 1, col: 8 })..][..2], "é");
        assert_eq!(
            idx.offset(src, Pos { line: 2, col: 4 }),
            src.find('y').unwrap_or(0)
        );
    }
}
