//! The HTML report's pictures, as inline SVG: the chronogramme of each priority, budget bars per
//! priority and per funder, and the red / amber / green status of each priority.
//!
//! Every picture is 720 user units wide and scales to the page (180 mm on A4, 0.25 mm a unit, so
//! the 10.5-unit labels print at about 7.5 pt). Each has a `<title>` (read by screen readers and
//! shown as a tooltip), and says in words what its colours say: a legend, the phase of each bar
//! and the name of each measure are written beside them. Every text is escaped with
//! `text::html_escape`. Elements carry `data-*` attributes and classes (`task-bar`, `money-bar`, `milestone`,
//! `today`, `rating`) so that tests can count what is drawn.

use super::Report;
use crate::chronogram::{Chronogram, Group, Level, Phase, Row};
use crate::lang::Lang;
use crate::text::{french_date, group_thousands, html_escape as esc, unit};
use crate::tr;
use std::fmt::Write;

/// Width of every picture, in user units.
const W: f64 = 720.0;
/// The chronogramme's columns: labels, then the month grid, then the phase in words.
const LABEL_W: f64 = 236.0;
const GRID_X: f64 = 242.0;
const GRID_W: f64 = 378.0;
const PHASE_X: f64 = 626.0;
const HEAD_H: f64 = 34.0;
const ROW_H: f64 = 18.0;
/// At most this many rows in one picture: a longer priority continues in the next one, so that
/// each fits on an A4 page.
pub const ROWS_PER_CHART: usize = 40;

fn phase_colour(p: Phase) -> &'static str {
    match p {
        Phase::Done => "#15803d",
        Phase::Late => "#b91c1c",
        Phase::UnderWay => "#2563eb",
        Phase::Upcoming => "#9ca3af",
    }
}

pub fn level_colour(l: Level) -> &'static str {
    match l {
        Level::Red => "#dc2626",
        Level::Amber => "#f59e0b",
        Level::Green => "#16a34a",
    }
}

/// An estimate of the width of `s` in Arial at `size` units (the texts are cut to fit before the
/// browser lays them out; the Chromium test measures the real widths).
fn width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | 'í' | 'ì' | 'î' | 'ï' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => {
                0.28
            }
            'f' | 't' | 'r' | ' ' | '\u{a0}' | '(' | ')' | '-' | '/' | 'I' => 0.36,
            'm' | 'w' | 'M' | 'W' | '@' | '—' | 'Œ' | 'œ' | 'æ' => 0.9,
            c if c.is_uppercase() => 0.7,
            c if c.is_ascii_digit() => 0.56,
            _ => 0.56,
        })
        .sum::<f64>()
        * size
}

/// `s`, cut with `…` so that it fits in `room` units at `size`.
fn fit(s: &str, room: f64, size: f64) -> String {
    if width(s, size) <= room {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        let mut next = out.clone();
        next.push(c);
        if width(&next, size) + width("…", size) > room {
            break;
        }
        out = next;
    }
    format!("{}…", out.trim_end())
}

fn day(lang: Lang, d: chrono::NaiveDate) -> String {
    match lang {
        Lang::Fr => french_date(&d.to_string()),
        Lang::En => d.to_string(),
    }
}

/// A number with one decimal at most, for coordinates.
fn n(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// The opening tag and the title of a picture.
fn open(out: &mut String, height: f64, title: &str, class: &str) {
    let _ = write!(
        out,
        "<svg class=\"{class}\" viewBox=\"0 0 {} {}\" width=\"100%\" role=\"img\" font-family=\"Arial, Helvetica, sans-serif\"><title>{}</title>",
        n(W),
        n(height),
        esc(title)
    );
}

/// The phase of a bar in words, for the column right of the grid.
fn phase_words(r: &Row, lang: Lang) -> String {
    let mut s = r.phase.label(lang).to_string();
    match r.phase {
        Phase::Late => s.push_str(&tr!(lang, " ({}\u{a0}j)", " ({}\u{a0}d)", r.days_late)),
        Phase::UnderWay if r.progress > 0 => {
            let _ = write!(s, " {}\u{a0}%", r.progress);
        }
        _ => {}
    }
    if r.deadline.is_none() {
        s.push_str(&tr!(lang, ", continu", ", ongoing"));
    }
    s
}

/// A row's tooltip: id, title, dates, phase and status.
fn row_title(r: &Row, lang: Lang) -> String {
    let to = match r.deadline {
        Some(d) => day(lang, d),
        None => tr!(lang, "continu", "ongoing"),
    };
    tr!(
        lang,
        "{} — {}\u{a0}: du {} au {}{} · {} · statut {}",
        "{} — {}: {} to {}{} · {} · status {}",
        r.id,
        r.title,
        day(lang, r.start),
        to,
        if r.milestone {
            tr!(lang, " (jalon)", " (milestone)")
        } else {
            String::new()
        },
        phase_words(r, lang),
        r.status.label(lang)
    )
}

/// Every `step`-th month gets its name (the smallest step among 1, 2, 3, 6, 12 at which the names
/// do not overlap).
fn month_step(c: &Chronogram, lang: Lang) -> usize {
    let mw = GRID_W / c.months.len().max(1) as f64;
    let widest = c
        .months
        .iter()
        .map(|m| width(m.name(lang), 9.0))
        .fold(0.0, f64::max)
        + 4.0;
    [1, 2, 3, 6, 12]
        .into_iter()
        .find(|k| *k as f64 * mw >= widest)
        .unwrap_or(12)
}

/// The chronogramme of one priority's rows `rows` (at most [`ROWS_PER_CHART`]), `part` of
/// `parts` pictures of the group.
pub fn chronogram(
    c: &Chronogram,
    g: &Group,
    rows: &[Row],
    (part, parts): (usize, usize),
    lang: Lang,
) -> String {
    let months = c.months.len().max(1);
    let mw = GRID_W / months as f64;
    let grid_h = rows.len().max(1) as f64 * ROW_H;
    let bottom = HEAD_H + grid_h;
    let height = bottom + 20.0 + 22.0;
    let mut out = String::new();
    let mut title = tr!(
        lang,
        "Chronogramme de {} {} ({} tâches)",
        "Chronogramme of {} {} ({} tasks)",
        g.priority,
        g.title,
        g.rows.len()
    );
    if parts > 1 {
        title.push_str(&format!(" {part}/{parts}"));
    }
    open(&mut out, height, &title, "chronogram");
    // Stripes, then the month grid and its names.
    for i in (0..rows.len()).step_by(2) {
        let _ = write!(
            out,
            "<rect x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f3f4f6\"/>",
            n(HEAD_H + i as f64 * ROW_H),
            n(W),
            n(ROW_H)
        );
    }
    let step = month_step(c, lang);
    let mut last_year_label = f64::NEG_INFINITY;
    for (i, m) in c.months.iter().enumerate() {
        let x = GRID_X + i as f64 * mw;
        let year_start = m.month == 1;
        let _ = write!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/>",
            if year_start { 2.0 } else { 31.0 },
            n(bottom),
            if year_start { "#6b7280" } else { "#d1d5db" },
            if year_start { "1" } else { "0.6" },
            x = n(x)
        );
        // The first month is named with its year unless a January follows too closely.
        let room_before_january = c.months[i..]
            .iter()
            .position(|m| m.month == 1)
            .map_or(f64::INFINITY, |k| k as f64 * mw);
        let first_named = i == 0 && (year_start || room_before_january >= 30.0);
        if (year_start || first_named) && x - last_year_label >= 30.0 {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"12\" font-size=\"10\" font-weight=\"bold\" fill=\"#374151\">{}</text>",
                n(x + 2.0),
                m.year
            );
            last_year_label = x;
        }
        if (m.month as usize - 1).is_multiple_of(step) {
            let _ = write!(
                out,
                "<text class=\"month\" x=\"{}\" y=\"28\" font-size=\"9\" fill=\"#374151\">{}</text>",
                n(x + 1.5),
                esc(m.name(lang))
            );
        }
    }
    let _ = write!(
        out,
        "<line x1=\"{x}\" y1=\"2\" x2=\"{x}\" y2=\"{}\" stroke=\"#6b7280\" stroke-width=\"1\"/>",
        n(bottom),
        x = n(GRID_X + GRID_W)
    );
    // The bars.
    for (i, r) in rows.iter().enumerate() {
        let y = HEAD_H + i as f64 * ROW_H;
        let (from, to) = c.span(r);
        let x = GRID_X + from * mw;
        let w = ((to - from) * mw).max(2.0);
        let _ = write!(
            out,
            "<g data-task=\"{}\"><title>{}</title>",
            esc(&r.id),
            esc(&row_title(r, lang))
        );
        let id_w = width(&r.id, 10.5) + 4.0;
        let label_title = fit(&r.title, LABEL_W - 4.0 - id_w, 10.5);
        let _ = write!(
            out,
            "<text class=\"label\" x=\"4\" y=\"{}\" font-size=\"10.5\" fill=\"#111827\"><tspan font-weight=\"bold\">{}</tspan> {}</text>",
            n(y + 12.5),
            esc(&r.id),
            esc(&label_title)
        );
        let _ = write!(
            out,
            "<rect class=\"task-bar\" data-phase=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"10\" rx=\"2\" fill=\"{}\"/>",
            r.phase.key(),
            n(x),
            n(y + 4.0),
            n(w),
            phase_colour(r.phase)
        );
        if r.milestone {
            if let Some(d) = r.deadline {
                let mx = GRID_X
                    + d.succ_opt()
                        .map_or(months as f64, |next| c.offset(next))
                        .min(months as f64)
                        * mw;
                let cy = y + 9.0;
                let _ = write!(
                    out,
                    "<polygon class=\"milestone\" points=\"{},{} {},{} {},{} {},{}\" fill=\"#111827\" stroke=\"#ffffff\" stroke-width=\"1\"/>",
                    n(mx),
                    n(cy - 6.5),
                    n(mx + 6.5),
                    n(cy),
                    n(mx),
                    n(cy + 6.5),
                    n(mx - 6.5),
                    n(cy)
                );
            }
        }
        let _ = write!(
            out,
            "<text class=\"phase\" x=\"{}\" y=\"{}\" font-size=\"9.5\" fill=\"{}\">{}</text></g>",
            n(PHASE_X),
            n(y + 12.5),
            if r.phase == Phase::Late {
                "#b91c1c"
            } else {
                "#374151"
            },
            esc(&fit(&phase_words(r, lang), W - PHASE_X - 2.0, 9.5))
        );
    }
    if rows.is_empty() {
        let _ = write!(
            out,
            "<text x=\"4\" y=\"{}\" font-size=\"10.5\" fill=\"#6b7280\">{}</text>",
            n(HEAD_H + 12.5),
            esc(&tr!(lang, "aucune tâche", "no task"))
        );
    }
    // Today's line, over the bars.
    if let Some(t) = c.today_offset() {
        let x = GRID_X + t * mw;
        let label = tr!(lang, "aujourd'hui {}", "today {}", day(lang, c.today));
        let lw = width(&label, 9.0);
        let lx = (x - lw / 2.0).clamp(GRID_X - 40.0, W - lw);
        let _ = write!(
            out,
            "<line class=\"today\" x1=\"{x}\" y1=\"16\" x2=\"{x}\" y2=\"{}\" stroke=\"#dc2626\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\"/><text class=\"today-label\" x=\"{}\" y=\"{}\" font-size=\"9\" fill=\"#dc2626\">{}</text>",
            n(bottom + 2.0),
            n(lx),
            n(bottom + 13.0),
            esc(&label),
            x = n(x)
        );
    }
    legend(&mut out, bottom + 22.0, lang);
    out.push_str("</svg>");
    out
}

/// The colours and marks of a chronogramme, in words.
fn legend(out: &mut String, y: f64, lang: Lang) {
    let mut x = 4.0;
    for p in Phase::ALL {
        let label = p.label(lang);
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"9\" rx=\"2\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"9.5\" fill=\"#111827\">{}</text>",
            n(x),
            n(y + 2.0),
            phase_colour(p),
            n(x + 18.0),
            n(y + 10.0),
            esc(label)
        );
        x += 18.0 + width(label, 9.5) + 14.0;
    }
    let milestone = tr!(lang, "jalon (à l'échéance)", "milestone (on its deadline)");
    let _ = write!(
        out,
        "<polygon points=\"{},{} {},{} {},{} {},{}\" fill=\"#111827\"/><text x=\"{}\" y=\"{}\" font-size=\"9.5\" fill=\"#111827\">{}</text>",
        n(x + 6.0),
        n(y),
        n(x + 12.0),
        n(y + 6.5),
        n(x + 6.0),
        n(y + 13.0),
        n(x),
        n(y + 6.5),
        n(x + 17.0),
        n(y + 10.0),
        esc(&milestone)
    );
    x += 17.0 + width(&milestone, 9.5) + 14.0;
    let today = tr!(lang, "aujourd'hui", "today");
    let _ = write!(
        out,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#dc2626\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\"/><text x=\"{}\" y=\"{}\" font-size=\"9.5\" fill=\"#111827\">{}</text>",
        n(x + 5.0),
        n(y - 1.0),
        n(x + 5.0),
        n(y + 13.0),
        n(x + 11.0),
        n(y + 10.0),
        esc(&today)
    );
}

/// One block of bars: a label (id and title, or a funder), then one bar per measure.
struct Block {
    id: String,
    title: String,
    bars: Vec<(Measure, f64)>,
}

#[derive(Clone, Copy)]
enum Measure {
    Planned,
    Secured,
    Pledged,
    Gap,
    Spent,
}

impl Measure {
    fn label(self, lang: Lang) -> String {
        match self {
            Measure::Planned => tr!(lang, "Prévu", "Planned"),
            Measure::Secured => tr!(lang, "Acquis", "Secured"),
            Measure::Pledged => tr!(lang, "Promis", "Pledged"),
            Measure::Gap => tr!(lang, "À rechercher", "Gap"),
            Measure::Spent => tr!(lang, "Dépensé", "Spent"),
        }
    }

    fn key(self) -> &'static str {
        match self {
            Measure::Planned => "planned",
            Measure::Secured => "secured",
            Measure::Pledged => "pledged",
            Measure::Gap => "gap",
            Measure::Spent => "spent",
        }
    }

    fn colour(self) -> &'static str {
        match self {
            Measure::Planned => "#475569",
            Measure::Secured => "#15803d",
            Measure::Pledged => "#86c99a",
            Measure::Gap => "#d97706",
            Measure::Spent => "#1d4ed8",
        }
    }
}

const BAR_H: f64 = 10.0;
const BAR_GAP: f64 = 3.0;
const BLOCK_PAD: f64 = 10.0;
const NAME_W: f64 = 190.0;
const MEASURE_R: f64 = 272.0;
const BARS_X: f64 = 278.0;
const BARS_W: f64 = 330.0;

/// Horizontal bars, one block per line of a table, every amount written after its bar.
fn bars(blocks: &[Block], title: &str, class: &str, lang: Lang) -> String {
    let max = blocks
        .iter()
        .flat_map(|b| b.bars.iter().map(|(_, v)| *v))
        .fold(0.0, f64::max);
    let heights: Vec<f64> = blocks
        .iter()
        .map(|b| (b.bars.len().max(2) as f64) * (BAR_H + BAR_GAP) + BLOCK_PAD)
        .collect();
    let height = heights.iter().sum::<f64>() + 6.0;
    let mut out = String::new();
    open(&mut out, height, title, class);
    let mut y = 4.0;
    for (b, h) in blocks.iter().zip(&heights) {
        let _ = write!(out, "<g data-line=\"{}\">", esc(&b.id));
        let id_line = fit(&b.id, NAME_W, 10.5);
        let _ = write!(
            out,
            "<text class=\"label\" x=\"4\" y=\"{}\" font-size=\"10.5\" font-weight=\"bold\" fill=\"#111827\">{}</text>",
            n(y + 10.0),
            esc(&id_line)
        );
        if !b.title.is_empty() {
            let _ = write!(
                out,
                "<text class=\"label\" x=\"4\" y=\"{}\" font-size=\"10\" fill=\"#374151\">{}</text>",
                n(y + 23.0),
                esc(&fit(&b.title, NAME_W, 10.0))
            );
        }
        for (i, (m, v)) in b.bars.iter().enumerate() {
            let by = y + i as f64 * (BAR_H + BAR_GAP);
            let w = if max > 0.0 { v / max * BARS_W } else { 0.0 };
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"9.5\" text-anchor=\"end\" fill=\"#374151\">{}</text><rect class=\"money-bar\" data-measure=\"{}\" data-amount=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/><text class=\"amount\" x=\"{}\" y=\"{}\" font-size=\"9.5\" fill=\"#111827\">{}</text>",
                n(MEASURE_R),
                n(by + 8.5),
                esc(&m.label(lang)),
                m.key(),
                v.round(),
                n(BARS_X),
                n(by),
                n(w.max(if *v > 0.0 { 1.0 } else { 0.0 })),
                n(BAR_H),
                m.colour(),
                n(BARS_X + w + 4.0),
                n(by + 8.5),
                esc(&group_thousands(*v).replace(' ', "\u{a0}"))
            );
        }
        out.push_str("</g>");
        y += h;
        let _ = write!(
            out,
            "<line x1=\"0\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#e5e7eb\"/>",
            n(W),
            y = n(y - BLOCK_PAD / 2.0)
        );
    }
    out.push_str("</svg>");
    out
}

/// Budget bars per priority: planned, secured, pledged, gap and spent.
pub fn budget_by_priority(r: &Report) -> String {
    let l = r.language;
    let blocks: Vec<Block> = r
        .priorities
        .iter()
        .map(|p| Block {
            id: p.id.clone(),
            title: p.title.clone(),
            bars: vec![
                (Measure::Planned, p.money.planned),
                (Measure::Secured, p.money.secured),
                (Measure::Pledged, p.money.pledged),
                (Measure::Gap, p.money.needed),
                (Measure::Spent, p.money.spent),
            ],
        })
        .collect();
    bars(
        &blocks,
        &tr!(
            l,
            "Budget par priorité, en {}\u{a0}: prévu, acquis, promis, à rechercher et dépensé",
            "Budget by priority, in {}: planned, secured, pledged, gap and spent",
            unit(&r.currency)
        ),
        "budget-priorities",
        l,
    )
}

/// Budget bars per funder: planned, secured, pledged and spent; then the gap.
pub fn budget_by_funder(r: &Report) -> String {
    let l = r.language;
    let mut blocks: Vec<Block> = r
        .funders
        .iter()
        .map(|f| Block {
            id: f.name.clone(),
            title: String::new(),
            bars: vec![
                (Measure::Planned, f.planned),
                (Measure::Secured, f.secured),
                (Measure::Pledged, f.pledged),
                (Measure::Spent, f.spent),
            ],
        })
        .collect();
    blocks.push(Block {
        id: Measure::Gap.label(l),
        title: tr!(l, "sans bailleur", "no funder yet"),
        bars: vec![(Measure::Gap, r.gap)],
    });
    bars(
        &blocks,
        &tr!(
            l,
            "Budget par bailleur, en {}\u{a0}: prévu, acquis, promis et dépensé, puis le financement à rechercher",
            "Budget by funder, in {}: planned, secured, pledged and spent, then the financing gap",
            unit(&r.currency)
        ),
        "budget-funders",
        l,
    )
}

/// One badge per priority: a coloured disc, the level in words, the priority and why.
pub fn ratings(c: &Chronogram, lang: Lang) -> String {
    let row_h = 22.0;
    let height = c.groups.len().max(1) as f64 * row_h + 6.0;
    let mut out = String::new();
    open(
        &mut out,
        height,
        &tr!(
            lang,
            "Situation de chaque priorité (rouge, orange ou vert)",
            "Status of each priority (red, amber or green)"
        ),
        "ratings",
    );
    for (i, g) in c.groups.iter().enumerate() {
        let y = 4.0 + i as f64 * row_h;
        let rating = g.rating();
        let word = rating.level.label(lang);
        let _ = write!(
            out,
            "<g class=\"rating\" data-priority=\"{}\" data-level=\"{}\"><title>{}</title><circle cx=\"11\" cy=\"{}\" r=\"7\" fill=\"{}\" stroke=\"#111827\" stroke-width=\"0.6\"/><text x=\"24\" y=\"{}\" font-size=\"10.5\" font-weight=\"bold\" fill=\"#111827\">{}</text><text class=\"label\" x=\"80\" y=\"{}\" font-size=\"10.5\" fill=\"#111827\"><tspan font-weight=\"bold\">{}</tspan> {}</text><text class=\"reason\" x=\"330\" y=\"{}\" font-size=\"10\" fill=\"#374151\">{}</text></g>",
            esc(&g.priority),
            match rating.level {
                Level::Red => "red",
                Level::Amber => "amber",
                Level::Green => "green",
            },
            esc(&format!("{} {}{}{word} · {}", g.priority, g.title, super::colon(lang), rating.reason(lang))),
            n(y + 8.0),
            level_colour(rating.level),
            n(y + 12.0),
            esc(&capitalised(word)),
            n(y + 12.0),
            esc(&g.priority),
            esc(&fit(&g.title, 244.0 - width(&g.priority, 10.5) - 4.0, 10.5)),
            n(y + 12.0),
            esc(&fit(&rating.reason(lang), W - 332.0, 10.0))
        );
    }
    out.push_str("</svg>");
    out
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_cut_to_their_room() {
        assert_eq!(fit("court", 100.0, 10.0), "court");
        let long = "Organiser la table ronde de mobilisation des ressources du CNRM";
        let cut = fit(long, 120.0, 10.0);
        assert!(cut.ends_with('…') && width(&cut, 10.0) <= 120.0, "{cut}");
        assert!(width("MMMM", 10.0) > width("iiii", 10.0));
        assert_eq!(n(12.04), "12");
        assert_eq!(n(12.25), "12.3");
        assert_eq!(capitalised("écart"), "Écart");
    }
}
