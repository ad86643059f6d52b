//! The inbox screen's state and keys (no I/O): the members' replies received by e-mail, the one
//! under the cursor, and whether its original text is open. Loaded by the worker
//! (`Effect::LoadInbox`) when the screen is shown and on each refresh while it is.

use super::state::Effect;
use cnrm_engine::store::InboxRow;
use cnrm_engine::text::terminal_line;
use crossterm::event::{KeyCode, KeyEvent};

#[derive(Debug, Clone, Default)]
pub struct Inbox {
    /// Newest first, as the store lists them.
    pub rows: Vec<InboxRow>,
    pub selected: usize,
    /// The original text of the selected message is shown.
    pub open: bool,
    /// First line of the open text shown (scrolling).
    pub scroll: u16,
    pub loaded: bool,
}

impl Inbox {
    /// New rows from the store; the cursor stays on the same message.
    pub fn set_rows(&mut self, mut rows: Vec<InboxRow>) {
        let keep = self.selected_row().map(|r| r.id);
        for r in &mut rows {
            for text in [&mut r.from, &mut r.subject, &mut r.status] {
                *text = terminal_line(text);
            }
            for line in &mut r.not_understood {
                *line = terminal_line(line);
            }
            // The original text keeps its lines, each made readable on its own.
            r.text = r
                .text
                .lines()
                .map(terminal_line)
                .collect::<Vec<_>>()
                .join("\n");
        }
        self.rows = rows;
        self.loaded = true;
        self.selected = keep
            .and_then(|id| self.rows.iter().position(|r| r.id == id))
            .unwrap_or(0)
            .min(self.rows.len().saturating_sub(1));
        if self.rows.is_empty() {
            self.open = false;
        }
    }

    pub fn selected_row(&self) -> Option<&InboxRow> {
        self.rows.get(self.selected)
    }

    /// A key on the inbox screen: ↑↓ choose (or scroll the open text), Enter opens and closes the
    /// original text, Esc closes it.
    pub fn key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let last = self.rows.len().saturating_sub(1);
        match (key.code, self.open) {
            (KeyCode::Enter, _) if !self.rows.is_empty() => {
                self.open = !self.open;
                self.scroll = 0;
            }
            (KeyCode::Esc, true) => self.open = false,
            (KeyCode::Down | KeyCode::Char('j'), true) => {
                self.scroll = self.scroll.saturating_add(1)
            }
            (KeyCode::Up | KeyCode::Char('k'), true) => self.scroll = self.scroll.saturating_sub(1),
            (KeyCode::PageDown, true) => self.scroll = self.scroll.saturating_add(10),
            (KeyCode::PageUp, true) => self.scroll = self.scroll.saturating_sub(10),
            (KeyCode::Down | KeyCode::Char('j'), false) => {
                self.selected = (self.selected + 1).min(last)
            }
            (KeyCode::Up | KeyCode::Char('k'), false) => {
                self.selected = self.selected.saturating_sub(1)
            }
            (KeyCode::PageDown, false) => self.selected = (self.selected + 10).min(last),
            (KeyCode::PageUp, false) => self.selected = self.selected.saturating_sub(10),
            (KeyCode::Home | KeyCode::Char('g'), false) => self.selected = 0,
            (KeyCode::End | KeyCode::Char('G'), false) => self.selected = last,
            _ => {}
        }
        vec![]
    }
}
