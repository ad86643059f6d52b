//! Lists read as one aggregated value.
//!
//! sqlx hands rows one at a time from its SQLite thread, a wake-up each; a list of 100,000 tasks
//! is therefore concatenated by the database into one text: fields separated by U+001F, rows by
//! U+001E (control characters that YAML text, and so plan data, cannot contain). The separators
//! are bound as `$2` (fields) and `$3` (rows); `string_agg(x, sep ORDER BY ...)` reads the same in
//! PostgreSQL and SQLite (3.44 and later).

pub(super) const FIELD: &str = "\u{1f}";
pub(super) const ROW: &str = "\u{1e}";
const FIELD_CHAR: char = '\u{1f}';
const ROW_CHAR: char = '\u{1e}';

/// `string_agg(concat_ws($2, f1, f2, ...), $3 [ORDER BY order])`. Every field must be non-NULL
/// (`COALESCE` a nullable column): `concat_ws` skips a NULL, which would shift the fields after
/// it. One `concat_ws` builds a row in one piece, where `f1 || $2 || f2 ...` made a new copy of
/// the growing row at every operator.
pub(super) fn aggregate<S: AsRef<str>>(fields: &[S], order: Option<&str>) -> String {
    let joined = fields
        .iter()
        .map(|f| f.as_ref())
        .collect::<Vec<_>>()
        .join(", ");
    let row = format!("concat_ws(CAST($2 AS TEXT), {joined})");
    match order {
        Some(o) => format!("string_agg({row}, CAST($3 AS TEXT) ORDER BY {o})"),
        None => format!("string_agg({row}, CAST($3 AS TEXT))"),
    }
}

/// The rows of an aggregated value, each split into its fields.
pub(super) fn rows(all: Option<&str>) -> impl Iterator<Item = Vec<&str>> {
    all.unwrap_or("")
        .split(ROW_CHAR)
        .filter(|l| !l.is_empty())
        .map(|l| l.split(FIELD_CHAR).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn rows_and_fields() {
        let all = "a\u{1f}1\u{1e}b\u{1f}2";
        let got: Vec<Vec<&str>> = super::rows(Some(all)).collect();
        assert_eq!(got, [vec!["a", "1"], vec!["b", "2"]]);
        assert_eq!(super::rows(None).count(), 0);
        assert_eq!(
            super::aggregate(&["id", "title"], None),
            "string_agg(concat_ws(CAST($2 AS TEXT), id, title), CAST($3 AS TEXT))"
        );
    }
}
