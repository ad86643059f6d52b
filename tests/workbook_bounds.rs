//! Hostile workbooks (issue 28): each is built here, at test time, with the `zip` crate, and
//! checked by the real binary under a 1 GB address-space limit (`ulimit -v 1000000`). Each must
//! end in one sentence (the sheet and the limit named) and exit 2, or in located diagnostics and
//! exit 1: never a signal, a panic or an allocation failure.

use crate::common::{cnrm, root};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;
use zip::write::SimpleFileOptions;

/// An `.xlsx` as Excel lays it out, with one sheet (`Activités`) whose `<sheetData>` body is
/// written by `body` (streamed: a bomb is never whole in the test's memory either), and optional
/// shared strings.
fn xlsx(dir: &Path, name: &str, shared: Option<&str>, body: impl Fn(&mut dyn Write)) -> PathBuf {
    let path = dir.join(name);
    let file = std::fs::File::create(&path).expect("create");
    let mut z = zip::ZipWriter::new(file);
    let o = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts: [(&str, String); 4] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Activités" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>{}</Relationships>"#,
                if shared.is_some() {
                    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#
                } else {
                    ""
                }
            ),
        ),
    ];
    for (name, text) in parts {
        z.start_file(name, o).expect("part");
        z.write_all(text.as_bytes()).expect("write");
    }
    if let Some(sst) = shared {
        z.start_file("xl/sharedStrings.xml", o).expect("part");
        z.write_all(sst.as_bytes()).expect("write");
    }
    z.start_file("xl/worksheets/sheet1.xml", o).expect("part");
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#)
        .expect("write");
    body(&mut z);
    z.write_all(b"</sheetData></worksheet>").expect("write");
    z.finish().expect("zip");
    path
}

/// An `.ods` whose one table (`Activités`) holds `rows` (the XML of its rows).
fn ods(dir: &Path, name: &str, rows: &str) -> PathBuf {
    let path = dir.join(name);
    let file = std::fs::File::create(&path).expect("create");
    let mut z = zip::ZipWriter::new(file);
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("mimetype", stored).expect("part");
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .expect("write");
    let o = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    z.start_file("content.xml", o).expect("part");
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Activités">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    z.write_all(content.as_bytes()).expect("write");
    z.finish().expect("zip");
    path
}

/// `cnrm plan check FILE` under a 1 GB address-space limit (the environment as `cnrm()` sets it).
fn check_bounded(path: &Path) -> Output {
    let base = cnrm();
    let mut bash = std::process::Command::new("bash");
    bash.args([
        "-c",
        r#"ulimit -v 1000000; exec "$0" plan check --lang fr "$1""#,
        env!("CARGO_BIN_EXE_cnrm"),
    ])
    .arg(path)
    .current_dir(root());
    for (k, v) in base.get_envs() {
        match v {
            Some(v) => bash.env(k, v),
            None => bash.env_remove(k),
        };
    }
    bash.output().expect("bash starts")
}

/// The run ended by itself (no signal, no panic) with `code`, and stderr is one sentence holding
/// every one of `words`.
fn refused(out: &Output, code: i32, words: &[&str]) {
    use std::os::unix::process::ExitStatusExt;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.signal(), None, "killed by a signal: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("memory allocation"), "{err}");
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one sentence: {err}");
    for w in words {
        assert!(err.contains(w), "`{w}` missing from: {err}");
    }
}

#[test]
fn a_cell_at_the_last_cell_of_a_sheet_is_refused_naming_the_sheet_and_the_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let far = xlsx(dir.path(), "loin.xlsx", None, |w| {
        w.write_all(
            br#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#,
        )
        .expect("write");
    });
    refused(
        &check_bounded(&far),
        2,
        &["Activités", "XFD1048576", "100 000 lignes"],
    );
    let wide = xlsx(dir.path(), "large.xlsx", None, |w| {
        w.write_all(br#"<row r="1"><c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>"#)
            .expect("write");
    });
    refused(
        &check_bounded(&wide),
        2,
        &["Activités", "XFD1", "200 colonnes"],
    );
}

#[test]
fn an_eleven_digit_row_number_is_refused_not_allocated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = xlsx(dir.path(), "rangee.xlsx", None, |w| {
        w.write_all(br#"<row r="99999999999"><c r="A99999999999" t="inlineStr"><is><t>x</t></is></c></row>"#)
            .expect("write");
    });
    refused(
        &check_bounded(&path),
        2,
        &["Activités", "A99999999999", "100 000 lignes"],
    );
}

#[test]
fn a_gigabyte_cell_in_a_megabyte_zip_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let chunk = vec![b'a'; 1 << 20];
    let path = xlsx(dir.path(), "bombe.xlsx", None, |w| {
        w.write_all(br#"<row r="1"><c r="A1" t="inlineStr"><is><t>"#)
            .expect("write");
        for _ in 0..1024 {
            w.write_all(&chunk).expect("write");
        }
        w.write_all(b"</t></is></c></row>").expect("write");
    });
    assert!(std::fs::metadata(&path).expect("size").len() < 8 << 20);
    refused(&check_bounded(&path), 2, &["100 Mo"]);
}

#[test]
fn a_cell_longer_than_a_spreadsheet_cell_is_refused_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = xlsx(dir.path(), "long.xlsx", None, |w| {
        w.write_all(br#"<row r="1"><c r="C1" t="inlineStr"><is><t>"#)
            .expect("write");
        w.write_all(&vec![b'b'; 40 << 20]).expect("write");
        w.write_all(b"</t></is></c></row>").expect("write");
    });
    refused(&check_bounded(&path), 2, &["Activités", "C1", "32 767"]);
}

#[test]
fn a_gigabyte_of_whitespace_in_sheet_data_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let chunk = vec![b' '; 1 << 20];
    let path = xlsx(dir.path(), "blanc.xlsx", None, |w| {
        for _ in 0..1024 {
            w.write_all(&chunk).expect("write");
        }
    });
    refused(&check_bounded(&path), 2, &["100 Mo"]);
}

#[test]
fn a_shared_string_count_no_file_can_hold_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sst = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="99999999999999"><si><t>x</t></si></sst>"#;
    let path = xlsx(dir.path(), "sst.xlsx", Some(sst), |w| {
        w.write_all(br#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#)
            .expect("write");
    });
    refused(&check_bounded(&path), 2, &["illisible"]);
}

#[test]
fn an_ods_row_repeated_a_million_times_is_refused_in_one_sentence() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = ods(
        dir.path(),
        "repete.ods",
        r#"<table:table-row><table:table-cell office:value-type="string"><text:p>id</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#,
    );
    refused(&check_bounded(&path), 2, &["Activités", "100 000 lignes"]);
    // Within the rows, but a few hundred bytes claiming half a million cells: refused by the
    // cells its size allows.
    let path = ods(
        dir.path(),
        "cellules.ods",
        r#"<table:table-row table:number-rows-repeated="99999"><table:table-cell table:number-columns-repeated="5" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#,
    );
    refused(&check_bounded(&path), 2, &["Activités", "10 000 cellules"]);
    // Repeated columns the same way.
    let path = ods(
        dir.path(),
        "colonnes.ods",
        r#"<table:table-row><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#,
    );
    refused(&check_bounded(&path), 2, &["Activités", "200 colonnes"]);
    // A space element claiming a billion spaces is cut at a cell's limit.
    let path = ods(
        dir.path(),
        "espaces.ods",
        r#"<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="1000000000"/>b</text:p></table:table-cell></table:table-row>"#,
    );
    refused(&check_bounded(&path), 2, &["Activités", "A1", "32 767"]);
}

#[test]
fn empty_repeated_rows_cost_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    // LibreOffice ends every table with a million empty rows: they are skipped, not expanded.
    let path = ods(
        dir.path(),
        "vide.ods",
        r#"<table:table-row><table:table-cell office:value-type="string"><text:p>id</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
    );
    let out = check_bounded(&path);
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(out.status.signal(), None);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
