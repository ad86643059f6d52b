//! Pieces every screen draws with: dates, status colours, bars, clipped text, boxed tables.

use cnrm_engine::workflow::Status;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;

pub use cnrm_engine::text::french_date;

pub fn status_style(s: Status, overdue: bool) -> Style {
    if overdue {
        return Style::new().fg(Color::Red).add_modifier(Modifier::BOLD);
    }
    match s {
        Status::Done => Style::new().fg(Color::Green),
        Status::Blocked => Style::new().fg(Color::Magenta),
        Status::Cancelled | Status::Suspended => Style::new().fg(Color::DarkGray),
        _ => Style::new(),
    }
}

pub fn bar(ratio: f64, width: usize) -> String {
    let filled = ((ratio.clamp(0.0, 1.0)) * width as f64).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

pub fn clip(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `text` cut into lines of at most `width` characters, at spaces where it can (a word longer
/// than the line is cut); its indentation kept on every line; an empty text is one empty line.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let body = text.trim_start_matches(' ');
    let indent = (text.len() - body.len()).min(width.saturating_sub(1) / 2);
    let pad = " ".repeat(indent);
    let width = width.saturating_sub(indent).max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in body.split(' ') {
        let mut word: Vec<char> = word.chars().collect();
        if len > 0 && len + 1 + word.len() <= width {
            line.push(' ');
            line.extend(&word);
            len += 1 + word.len();
            continue;
        }
        if len > 0 {
            lines.push(std::mem::take(&mut line));
        }
        while word.len() > width {
            lines.push(word.drain(..width).collect());
        }
        len = word.len();
        line = word.into_iter().collect();
    }
    lines.push(line);
    lines.into_iter().map(|l| format!("{pad}{l}")).collect()
}

pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// `1,52 Md`, `27,2 M`, `950 k` (English `1.52 bn`, `27.2 M`): three significant digits, rounded
/// to nearest; amounts under a thousand whole.
pub fn abbreviated(lang: cnrm_engine::Lang, value: f64) -> String {
    let units: [(f64, &str, &str); 3] = [(1e9, "Md", "bn"), (1e6, "M", "M"), (1e3, "k", "k")];
    let size = value.abs();
    // The largest unit the rounded figure reaches (999 950 is `1,00 M`, not `1000 k`).
    for (scale, fr, en) in units {
        let x = size / scale;
        let decimals = if x >= 99.95 {
            0
        } else if x >= 9.995 {
            1
        } else {
            2
        };
        let text = format!("{x:.decimals$}");
        let shown: f64 = text.parse().unwrap_or(x);
        if shown >= 1.0 {
            let sign = if value < 0.0 { "-" } else { "" };
            let (text, unit) = match lang {
                cnrm_engine::Lang::Fr => (text.replace('.', ","), fr),
                cnrm_engine::Lang::En => (text, en),
            };
            return format!("{sign}{text}\u{a0}{unit}");
        }
    }
    cnrm_engine::text::group_thousands(value)
}

/// The widest text of a column, in characters (its header included).
pub fn widest<'a>(header: &str, cells: impl IntoIterator<Item = &'a str>) -> u16 {
    cells
        .into_iter()
        .map(|c| c.chars().count())
        .chain([header.chars().count()])
        .max()
        .unwrap_or(0)
        .min(u16::MAX as usize) as u16
}

/// Column widths from content: `fixed` columns get their width (never cut), the one flexible
/// column the rest of `total` (after one space between columns), at least `flex_min`.
/// Returns `None` when the fixed columns do not fit: the caller shortens them (abbreviated
/// amounts) or drops one.
pub fn fit(total: u16, fixed: &[u16], flex_min: u16) -> Option<u16> {
    let spacing = fixed.len() as u16;
    let used: u32 = fixed.iter().map(|w| u32::from(*w)).sum::<u32>() + u32::from(spacing);
    let rest = u32::from(total).checked_sub(used)?;
    (rest >= u32::from(flex_min)).then_some(rest as u16)
}

/// A cell aligned to the right (amounts, counts).
pub fn right<'a>(text: String) -> ratatui::widgets::Cell<'a> {
    ratatui::widgets::Cell::from(Line::from(text).alignment(ratatui::layout::Alignment::Right))
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrapping_cuts_at_spaces_and_keeps_the_indentation() {
        assert_eq!(wrap("un deux trois", 7), ["un deux", "trois"]);
        assert_eq!(
            wrap("   échéance : 31/12", 12),
            ["   échéance", "   : 31/12"]
        );
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 10), [""]);
    }
}
