//! The timeline screen's chronogramme view (key `c`): the engine's `chronogram` model in
//! characters. Months are columns of five characters (a character is about six days; month names
//! are cut to four letters); a bar is `█` done, `▓` late, `▒` under way, `░` upcoming; `◆` is a milestone on its deadline; today's
//! column is marked `▼` above the months and `│` where no bar crosses it. Each priority opens with
//! a line giving its red / amber / green rating in words. It scrolls vertically (↑ ↓ PgUp PgDn
//! g G) and horizontally (← →, a month at a time); ids are never cut, titles take the room left
//! at 120 columns and more.
//!
//! `Chrono` is the view's state, kept in `State::chronogram` while the view is shown: the model
//! is built when the view opens and on each reload, not at each frame.

use super::widgets::clip;
use cnrm_engine::chronogram::{self, Chronogram, Level, Phase};
use cnrm_engine::records::Snapshot;
use cnrm_engine::Lang;
use crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// Characters per month.
const CW: usize = 5;

/// The chronogramme view's state: the model and where it is scrolled to.
#[derive(Debug, Clone)]
pub struct Chrono {
    pub model: Chronogram,
    /// The first line shown (group lines and task lines counted together).
    pub top: usize,
    /// The first month shown.
    pub left: usize,
}

impl Chrono {
    /// The view of a snapshot, scrolled to the earliest late bar's month (or a month before
    /// today), so that the overdue tasks are in sight.
    pub fn new(d: &Snapshot) -> Chrono {
        let model = chronogram::build(d);
        let late_start = model
            .rows()
            .filter(|r| r.phase == Phase::Late)
            .map(|r| r.start)
            .min();
        let left = match late_start {
            Some(day) => model.offset(day) as usize,
            None => (model.offset(model.today) as usize).saturating_sub(1),
        };
        Chrono {
            model,
            top: 0,
            left,
        }
    }

    /// The same view on new data, scrolled where it was.
    pub fn refresh(&mut self, d: &Snapshot) {
        self.model = chronogram::build(d);
        self.top = self.top.min(self.lines().saturating_sub(1));
        self.left = self.left.min(self.model.months.len().saturating_sub(1));
    }

    fn lines(&self) -> usize {
        self.model.groups.iter().map(|g| g.rows.len() + 1).sum()
    }

    /// Scrolls on an arrow, page or home/end key; false for any other key.
    pub fn key(&mut self, code: KeyCode) -> bool {
        let last_line = self.lines().saturating_sub(1);
        let last_month = self.model.months.len().saturating_sub(1);
        match code {
            KeyCode::Down | KeyCode::Char('j') => self.top = (self.top + 1).min(last_line),
            KeyCode::Up | KeyCode::Char('k') => self.top = self.top.saturating_sub(1),
            KeyCode::PageDown => self.top = (self.top + 10).min(last_line),
            KeyCode::PageUp => self.top = self.top.saturating_sub(10),
            KeyCode::Home | KeyCode::Char('g') => self.top = 0,
            KeyCode::End | KeyCode::Char('G') => self.top = last_line,
            KeyCode::Right | KeyCode::Char('l') => self.left = (self.left + 1).min(last_month),
            KeyCode::Left | KeyCode::Char('h') => self.left = self.left.saturating_sub(1),
            _ => return false,
        }
        true
    }
}

fn phase_char(p: Phase) -> (char, Style) {
    match p {
        Phase::Done => ('█', Style::new().fg(Color::Green)),
        Phase::Late => ('▓', Style::new().fg(Color::Red)),
        Phase::UnderWay => ('▒', Style::new().fg(Color::Cyan)),
        Phase::Upcoming => ('░', Style::new().fg(Color::Gray)),
    }
}

fn level_style(l: Level) -> Style {
    match l {
        Level::Red => Style::new().fg(Color::Red).bold(),
        Level::Amber => Style::new().fg(Color::Yellow).bold(),
        Level::Green => Style::new().fg(Color::Green).bold(),
    }
}

fn pad(s: &str, width: usize) -> String {
    let s = clip(s, width);
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

pub fn draw(f: &mut Frame, area: Rect, c: &Chrono, lang: Lang) {
    let m = &c.model;
    let inner_w = area.width.saturating_sub(2) as usize;
    let inner_h = area.height.saturating_sub(2) as usize;
    let id_w = m
        .rows()
        .map(|r| r.id.chars().count())
        .max()
        .unwrap_or(4)
        .min(inner_w / 2);
    let title_w = if inner_w >= 120 { 34 } else { 0 };
    let label_w = id_w + if title_w > 0 { title_w + 1 } else { 0 };
    let shown = ((inner_w.saturating_sub(label_w + 1)) / CW).max(1);
    let left = c.left.min(m.months.len().saturating_sub(shown));
    let months = &m.months[left..(left + shown).min(m.months.len())];
    let cols = months.len() * CW;
    // Today's character column, if shown.
    let today_col = m.today_offset().and_then(|t| {
        let col = ((t - left as f64) * CW as f64).floor();
        (col >= 0.0 && (col as usize) < cols).then_some(col as usize)
    });

    let mut lines: Vec<Line> = Vec::new();
    // Years (and today's ▼), then month names.
    let mut years = vec![' '; cols];
    for (i, month) in months.iter().enumerate() {
        if month.month == 1 || i == 0 {
            for (k, ch) in month.year.to_string().chars().take(CW).enumerate() {
                years[i * CW + k] = ch;
            }
        }
    }
    let mut head = vec![Span::raw(" ".repeat(label_w + 1))];
    match today_col {
        Some(t) => {
            head.push(Span::raw(years[..t].iter().collect::<String>()));
            head.push(Span::styled("▼", Style::new().fg(Color::Red).bold()));
            head.push(Span::raw(years[t + 1..].iter().collect::<String>()));
        }
        None => head.push(Span::raw(years.iter().collect::<String>())),
    }
    lines.push(Line::from(head));
    // `janv`, `sept`: the first four letters (a full stop would not fit).
    let names: String = months
        .iter()
        .map(|mo| {
            let name: String = mo.name(lang).chars().take(CW - 1).collect();
            format!("{name:<CW$}")
        })
        .collect();
    lines.push(Line::from(vec![
        Span::raw(" ".repeat(label_w + 1)),
        Span::styled(names, Style::new().bold()),
    ]));

    let body_h = inner_h.saturating_sub(3);
    let mut body: Vec<Line> = Vec::new();
    for g in &m.groups {
        let rating = g.rating();
        body.push(Line::from(vec![
            Span::styled(format!("{} {} ", g.priority, g.title), Style::new().bold()),
            Span::styled(
                format!("● {}", rating.level.label(lang)),
                level_style(rating.level),
            ),
            Span::raw(format!(" · {}", rating.reason(lang))),
        ]));
        for r in &g.rows {
            let (from, to) = m.span(r);
            let milestone_col = (r.milestone && r.deadline.is_some()).then(|| {
                let x = (to - left as f64) * CW as f64 - 0.01;
                x.floor()
            });
            let (bar, style) = phase_char(r.phase);
            let mut spans = vec![Span::styled(
                pad(&r.id, id_w),
                if r.phase == Phase::Late {
                    Style::new().fg(Color::Red)
                } else {
                    Style::new()
                },
            )];
            if title_w > 0 {
                spans.push(Span::raw(format!(" {}", pad(&r.title, title_w))));
            }
            spans.push(Span::raw(" "));
            for col in 0..cols {
                let a = left as f64 + col as f64 / CW as f64;
                let b = a + 1.0 / CW as f64;
                if milestone_col == Some(col as f64) {
                    spans.push(Span::styled("◆", Style::new().bold()));
                } else if from < b && to > a {
                    spans.push(Span::styled(bar.to_string(), style));
                } else if Some(col) == today_col {
                    spans.push(Span::styled("│", Style::new().fg(Color::Red)));
                } else if col % CW == 0 {
                    spans.push(Span::styled("·", Style::new().dim()));
                } else {
                    spans.push(Span::raw(" "));
                }
            }
            body.push(Line::from(spans));
        }
    }
    let top = c.top.min(body.len().saturating_sub(1));
    lines.extend(body.into_iter().skip(top).take(body_h));
    while lines.len() < inner_h.saturating_sub(1) {
        lines.push(Line::from(""));
    }
    let legend = match lang {
        Lang::Fr => "█ fait ▓ en retard ▒ en cours ░ à venir ◆ jalon │ aujourd'hui · ←→↑↓ défiler",
        Lang::En => "█ done ▓ late ▒ under way ░ upcoming ◆ milestone │ today · ←→↑↓ scroll",
    };
    lines.push(Line::from(Span::styled(
        clip(legend, inner_w),
        Style::new().dim(),
    )));
    let first = months.first().map(|mo| mo.label(lang)).unwrap_or_default();
    let last = months.last().map(|mo| mo.label(lang)).unwrap_or_default();
    let title = match lang {
        Lang::Fr => format!(" Chronogramme · {first} – {last} (c : liste) "),
        Lang::En => format!(" Chronogramme · {first} – {last} (c: list) "),
    };
    f.render_widget(
        Paragraph::new(lines).block(
            Block::new()
                .borders(Borders::ALL)
                .title(clip(&title, inner_w)),
        ),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::state::{update, Action, Screen, State};
    use crossterm::event::{KeyEvent, KeyModifiers};
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    fn state(lang: Lang) -> State {
        let mut d = crate::ui::tests::fixture();
        d.dates.period = Some((
            chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("day"),
            chrono::NaiveDate::from_ymd_opt(2026, 12, 31).expect("day"),
        ));
        let mut s = State::new(lang);
        update(&mut s, Action::Loaded(Box::new(d)));
        for k in [KeyCode::Char('4'), KeyCode::Char('c')] {
            update(&mut s, Action::Key(KeyEvent::new(k, KeyModifiers::NONE)));
        }
        s
    }

    fn render(s: &State, w: u16, h: u16) -> String {
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        t.draw(|f| crate::ui::view::draw(f, s)).expect("draw");
        t.backend().to_string()
    }

    #[test]
    fn c_switches_between_the_list_and_the_chronogramme() {
        let mut s = state(Lang::Fr);
        assert_eq!(s.screen, Screen::Timeline);
        let c = s.chronogram.as_ref().expect("shown");
        // Scrolled to the month of the earliest late bar: axe-1.a2, from 01/09/2025.
        assert_eq!(c.left, 8);
        let screen = render(&s, 80, 24);
        assert!(screen.contains("Chronogramme") && screen.contains("axe-1.a2"));
        assert!(screen.contains('▓') && screen.contains('▼'), "{screen}");
        let key = |s: &mut State, k| update(s, Action::Key(KeyEvent::new(k, KeyModifiers::NONE)));
        key(&mut s, KeyCode::Right);
        key(&mut s, KeyCode::Down);
        let c = s.chronogram.as_ref().expect("shown");
        assert_eq!((c.left, c.top), (9, 1));
        key(&mut s, KeyCode::Char('c'));
        assert!(s.chronogram.is_none(), "back to the list");
        assert!(!render(&s, 80, 24).contains("Chronogramme"));
    }

    #[test]
    fn snapshots_at_both_sizes_in_both_languages() {
        for lang in [Lang::Fr, Lang::En] {
            let s = state(lang);
            for (w, h) in [(80, 24), (160, 48)] {
                insta::assert_snapshot!(format!("{lang}_{w}x{h}_chronogram"), render(&s, w, h));
            }
        }
    }
}
