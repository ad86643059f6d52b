//! Drawing: reads the state, draws, changes nothing. One module per screen; the title bar, the
//! tabs, the status line and the overlays (a form, the help) are drawn here.

pub mod chronogram;
mod dashboard;
mod history;
mod inbox;
mod indicators;
mod money;
mod outbox;
mod owners;
mod tasks;
mod timeline;
pub(crate) mod widgets;

use super::state::{Form, FormKind, Picker, PickerKind, Screen, State};
use super::text::{self, word};
use cnrm_engine::workflow::Status;
use cnrm_engine::Lang;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Tabs, Wrap};
use ratatui::Frame;
use widgets::{centered, clip, french_date};

/// How many lines `text` takes wrapped at `width` (a rough count: characters over width).
pub fn lines_needed(text: &str, width: u16) -> u16 {
    let w = usize::from(width.max(1));
    text.chars()
        .count()
        .div_ceil(w)
        .max(1)
        .min(usize::from(u16::MAX)) as u16
}

/// How many lines the status line needs to show `text` whole at `width` (at most 6).
fn status_height(text: &str, width: u16) -> u16 {
    let w = usize::from(width.max(1));
    text.chars().count().div_ceil(w).clamp(1, 6) as u16
}

/// The tab bar: full names with a space either side when they fit, else short names without
/// padding (the current one named whole), else numbers with the current screen named. Returns the titles and the padding.
fn tab_titles(lang: Lang, width: u16, current: Screen) -> (Vec<Line<'static>>, &'static str) {
    // `short`: short names, the current one whole when `current_whole`; `numbers`: only the
    // current screen named.
    let named = |short: bool, current_whole: bool, numbers: bool| -> Vec<String> {
        Screen::ALL
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let is_current = *s == current;
                if numbers && !is_current {
                    (i + 1).to_string()
                } else if !short || (is_current && current_whole) {
                    format!("{} {}", i + 1, text::screen(lang, *s))
                } else {
                    format!("{} {}", i + 1, text::screen_short(lang, *s))
                }
            })
            .collect()
    };
    let room =
        |t: &[String], pad: usize| t.iter().map(|t| t.chars().count() + 1 + pad).sum::<usize>();
    let width = usize::from(width);
    let (titles, pad) = [
        (named(false, true, false), 2),
        (named(true, true, false), 0),
        (named(true, false, false), 0),
    ]
    .into_iter()
    .find(|(t, pad)| room(t, *pad) <= width)
    .unwrap_or((named(true, true, true), 0));
    let padding = if pad == 2 { " " } else { "" };
    (titles.into_iter().map(Line::from).collect(), padding)
}

/// The key hints that fit in `width`: the first ones of the screen, always ending with help
/// and quit (`?` lists them all).
fn key_hints(lang: Lang, screen: Screen, width: u16) -> String {
    let items: Vec<&str> = text::keys(lang, screen).split(" · ").collect();
    let (head, tail) = items.split_at(items.len().saturating_sub(2));
    let tail = tail.join(" · ");
    let mut shown: Vec<&str> = Vec::new();
    for item in head {
        let len = shown.iter().map(|s| s.chars().count() + 3).sum::<usize>()
            + item.chars().count()
            + 3
            + tail.chars().count()
            + 1;
        if len > usize::from(width) {
            break;
        }
        shown.push(item);
    }
    shown.push(&tail);
    shown.join(" · ")
}

/// Draws the whole screen.
pub fn draw(f: &mut Frame, state: &State) {
    let area = f.area();
    let lang = state.lang;
    let status_text = match &state.status_line {
        Some((true, e)) => format!(" ✗ {e}"),
        Some((false, m)) => format!(" ✓ {m}"),
        None => String::new(),
    };
    let [title, tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(status_height(&status_text, area.width)),
    ])
    .areas(area);
    let header = match &state.data {
        Some(d) => {
            let counts = &state.figures.dashboard.total.counts;
            // The counts always show; the plan's title takes what is left.
            let tail = format!(
                " · {} · {} · {}",
                french_date(&d.today.to_string()),
                crate::strings::task_count(lang, counts.total as i64),
                crate::strings::overdue_count(lang, counts.overdue as i64)
            );
            let room = usize::from(area.width)
                .saturating_sub(" cnrm · ".chars().count() + tail.chars().count());
            format!(" cnrm · {}{tail}", clip(&d.plan_title, room.max(1)))
        }
        None if state.plans.as_ref().is_some_and(|p| p.is_empty()) => " cnrm".to_string(),
        None if !state.loading => " cnrm".to_string(),
        None => format!(" cnrm · {}", text::loading(lang)),
    };
    f.render_widget(
        Paragraph::new(clip(&header, area.width as usize)).style(Style::new().bold().reversed()),
        title,
    );
    let (tab_lines, pad) = tab_titles(lang, area.width, state.screen);
    f.render_widget(
        Tabs::new(tab_lines)
            .padding(pad, pad)
            .select(state.screen.index())
            .highlight_style(Style::new().bold().fg(Color::Yellow))
            .divider("│"),
        tabs,
    );
    match &state.data {
        None if state.plans.as_ref().is_some_and(|p| p.is_empty()) => {
            let [first, rest @ ..] = crate::strings::empty_database(lang);
            let mut lines = vec![Line::from(""), Line::from(first.bold()), Line::from("")];
            lines.extend(rest.into_iter().map(Line::from));
            f.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .block(Block::new().borders(Borders::ALL)),
                body,
            )
        }
        None if state.picker.is_some() => {}
        None => f.render_widget(Paragraph::new(text::loading(lang)), body),
        // An overview holds the dashboard only; the other screens wait for the whole plan.
        Some(_) if state.partial && state.screen != Screen::Dashboard => {
            f.render_widget(Paragraph::new(text::loading(lang)), body)
        }
        Some(d) => match state.screen {
            Screen::Dashboard => dashboard::draw(f, body, d, &state.figures, lang),
            Screen::Tasks => tasks::draw(f, body, d, state),
            Screen::Owners => owners::draw(f, body, d, state),
            Screen::Timeline => match &state.chronogram {
                Some(c) => chronogram::draw(f, body, c, lang),
                None => timeline::draw(f, body, d, state),
            },
            Screen::Money => money::draw(f, body, d, &state.figures, lang),
            Screen::Indicators => indicators::draw(f, body, d, state),
            Screen::Outbox => outbox::draw(f, body, d, state),
            Screen::History => history::draw(f, body, d, lang, state.history_offset),
            Screen::Inbox => inbox::draw(f, body, &state.inbox, lang),
        },
    }
    // An error or a result shows whole, on as many lines as it needs.
    let line = match &state.status_line {
        Some((true, _)) => Paragraph::new(status_text)
            .style(Style::new().fg(Color::Red).bold())
            .wrap(Wrap { trim: false }),
        // A result with a warning (a spending far above the budget) in yellow.
        Some((false, m)) if m.contains('⚠') => Paragraph::new(status_text)
            .style(Style::new().fg(Color::Yellow).bold())
            .wrap(Wrap { trim: false }),
        Some((false, _)) => Paragraph::new(status_text)
            .style(Style::new().fg(Color::Green))
            .wrap(Wrap { trim: false }),
        None if state.searching => Paragraph::new(Line::from(format!(
            " / {}▏  ({})",
            state.filters.search,
            word(
                lang,
                "Entrée garder · Échap effacer · Ctrl+U vider",
                "Enter keep · Esc clear · Ctrl+U empty"
            )
        ))),
        None => Paragraph::new(Line::from(Span::styled(
            format!(
                " {}",
                key_hints(lang, state.screen, area.width.saturating_sub(1))
            ),
            Style::new().dim(),
        ))),
    };
    f.render_widget(line, status);
    if let Some(form) = &state.form {
        draw_form(f, area, form, lang);
    }
    if let Some(picker) = &state.picker {
        draw_picker(f, area, picker, lang);
    }
    if state.help {
        draw_help(f, area, state);
    }
    neutralise(f.buffer_mut());
}

/// The one place where the screen's text is made safe for the terminal, once everything is
/// drawn: a control character, a bidirectional control or a zero-width character that a plan,
/// an e-mail or a person's entry carried into a cell is removed from it (a cell has no room for
/// a visible mark), so no text shows reversed and no escape sequence reaches the terminal.
pub(crate) fn neutralise(buffer: &mut ratatui::buffer::Buffer) {
    let unsafe_char = |c: char| c.is_control() || cnrm_engine::text::is_invisible(c);
    for cell in buffer.content.iter_mut() {
        if cell.symbol().contains(unsafe_char) {
            let clean: String = cell.symbol().chars().filter(|&c| !unsafe_char(c)).collect();
            cell.set_symbol(if clean.is_empty() { " " } else { &clean });
        }
    }
}

/// A picker: its query, the items it matches (ticks for statuses), the keys.
fn draw_picker(f: &mut Frame, area: Rect, picker: &Picker, lang: Lang) {
    let shown = picker.shown();
    let widest = picker
        .items
        .iter()
        .map(|(_, l)| l.chars().count())
        .max()
        .unwrap_or(0);
    let width = (widest as u16 + 8)
        .max(64)
        .min(area.width.saturating_sub(2).max(1));
    let list_h = (shown.len() as u16).clamp(1, area.height.saturating_sub(8).max(1));
    let r = centered(area, width, list_h + 5);
    f.render_widget(Clear, r);
    let block = Block::new()
        .borders(Borders::ALL)
        .title(text::picker_title(lang, picker.kind))
        .border_style(Style::new().fg(Color::Yellow));
    let inner = block.inner(r);
    f.render_widget(block, r);
    let [query, list, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(2),
    ])
    .areas(inner);
    f.render_widget(Paragraph::new(format!("> {}▏", picker.query)), query);
    let height = usize::from(list.height.max(1));
    let offset = (picker.selected + 1).saturating_sub(height);
    let room = usize::from(list.width).saturating_sub(4);
    let mut lines: Vec<Line> = shown
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(pos, i)| {
            let (value, label) = &picker.items[*i];
            let mark = if picker.kind == PickerKind::Status {
                if picker.ticked.contains(value) {
                    "[x] "
                } else {
                    "[ ] "
                }
            } else {
                "  "
            };
            let text = format!("{mark}{}", clip(label, room));
            if pos == picker.selected {
                Line::from(text).reversed()
            } else {
                Line::from(text)
            }
        })
        .collect();
    if shown.is_empty() {
        lines.push(Line::from(
            word(lang, "rien ne correspond", "nothing matches").dim(),
        ));
    }
    f.render_widget(Paragraph::new(lines), list);
    f.render_widget(
        Paragraph::new(text::picker_keys(lang, picker.kind).dim()).wrap(Wrap { trim: true }),
        keys,
    );
}

fn draw_form(f: &mut Frame, area: Rect, form: &Form, lang: Lang) {
    let fields = text::form_fields(lang, form.kind);
    let keys = text::form_keys(lang, form.kind);
    let width = 74.min(area.width);
    let inner_w = width.saturating_sub(2);
    let height = 4 + 2 * fields.len().max(1) as u16 + lines_needed(keys, inner_w);
    let r = centered(area, width, height);
    f.render_widget(Clear, r);
    let block = Block::new()
        .borders(Borders::ALL)
        .title(text::form_title(lang, form.kind, &form.target))
        .border_style(Style::new().fg(Color::Yellow));
    let mut lines = Vec::new();
    for (i, name) in fields.iter().enumerate() {
        let current = i == form.field;
        lines.push(Line::from(name.to_string()).dim());
        if form.kind == FormKind::Status && i == 0 {
            // The choice of status: the chosen one reversed, the field marked when current.
            let mut parts = vec![Span::raw(if current { "> " } else { "  " })];
            parts.extend(Status::ALL.iter().enumerate().map(|(k, s)| {
                let label = format!(" {} ", s.label(lang));
                if k == form.choice {
                    Span::styled(label, Style::new().reversed().bold())
                } else {
                    Span::raw(label)
                }
            }));
            lines.push(Line::from(parts));
            continue;
        }
        let value = form.inputs.get(i).map_or("", String::as_str);
        lines.push(if current {
            Line::from(format!("> {value}▏")).bold()
        } else {
            Line::from(format!("  {value}"))
        });
    }
    lines.push(Line::from(""));
    if let Some(why) = &form.error {
        lines.push(Line::from(Span::styled(
            format!("✗ {}", text::form_error(lang, why)),
            Style::new().fg(Color::Red),
        )));
    }
    lines.push(Line::from(keys.dim()));
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        r,
    );
}

/// The help's lines at a terminal `width` wide, and the help's width: every key with what it
/// does, the descriptions wrapped beside the keys.
fn help_lines(state: &State, width: u16) -> (Vec<Line<'static>>, u16) {
    let entries = text::help(state.lang, state.screen);
    let key_w = entries
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let widest = entries
        .iter()
        .map(|(_, v)| v.chars().count())
        .max()
        .unwrap_or(0);
    let width = ((key_w + widest + 2).min(usize::from(u16::MAX)) as u16).min(width);
    let desc_w = usize::from(width.saturating_sub(2))
        .saturating_sub(key_w)
        .max(8);
    let mut lines = Vec::new();
    for (k, v) in &entries {
        for (i, part) in widgets::wrap(v, desc_w).into_iter().enumerate() {
            let key = if i == 0 { *k } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!("{key:<key_w$}"), Style::new().bold()),
                Span::raw(part),
            ]));
        }
    }
    (lines, width)
}

/// How far the help scrolls at the terminal's size: its lines beyond the screen.
pub fn help_max_scroll(state: &State) -> usize {
    let (w, h) = state.size;
    let (lines, _) = help_lines(state, w);
    lines.len().saturating_sub(usize::from(h.saturating_sub(2)))
}

/// How far the open outbox message scrolls at the terminal's size.
pub fn outbox_max_scroll(state: &State) -> usize {
    let (w, h) = state.size;
    outbox::max_scroll(state, Rect::new(0, 0, w, h.saturating_sub(3)))
}

/// The help of the screen; longer than the screen, it scrolls (↑↓ PgUp PgDn) and its title
/// says which lines show.
fn draw_help(f: &mut Frame, area: Rect, state: &State) {
    let lang = state.lang;
    let (lines, width) = help_lines(state, area.width);
    let total = lines.len();
    let height = (total as u16 + 2).min(area.height);
    let shown = usize::from(height.saturating_sub(2));
    let offset = state.help_scroll.min(total.saturating_sub(shown));
    let title = if total > shown {
        format!(
            " ? {} · {}–{}/{total} · {} ",
            text::screen(lang, state.screen),
            offset + 1,
            offset + shown,
            word(lang, "↑↓ PgUp PgDn défiler", "↑↓ PgUp PgDn scroll")
        )
    } else {
        format!(" ? {} ", text::screen(lang, state.screen))
    };
    let r = centered(area, width, height);
    f.render_widget(Clear, r);
    let lines: Vec<Line> = lines.into_iter().skip(offset).take(shown).collect();
    f.render_widget(
        Paragraph::new(lines).block(Block::new().borders(Borders::ALL).title(title)),
        r,
    );
}

#[cfg(test)]
mod neutralise_tests {
    use ratatui::backend::TestBackend;
    use ratatui::widgets::Paragraph;
    use ratatui::Terminal;

    #[test]
    fn drawn_text_carries_no_bidirectional_zero_width_or_control_character() {
        let mut t = Terminal::new(TestBackend::new(30, 1)).expect("terminal");
        let title = "Former\u{202E}sreyalp\u{2066}x\u{200B}y\u{FEFF}\u{1b}[31m\u{9b}z";
        t.draw(|f| {
            f.render_widget(Paragraph::new(title), f.area());
            super::neutralise(f.buffer_mut());
        })
        .expect("draw");
        let shown: String = t
            .backend()
            .buffer()
            .content
            .iter()
            .map(|c| c.symbol())
            .collect();
        for c in shown.chars() {
            assert!(
                !c.is_control() && !cnrm_engine::text::is_invisible(c),
                "{c:?} in {shown:?}"
            );
        }
        assert!(shown.starts_with("Formersreyalpxy"), "{shown:?}");
    }
}
