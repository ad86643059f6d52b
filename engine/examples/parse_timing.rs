//! Times the stages of `plan check` on one file (a development aid for the benchmark).
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: parse_timing FILE");
        return;
    };
    let Ok(src) = std::fs::read_to_string(&path) else {
        eprintln!("cannot read {path}");
        return;
    };
    let t = std::time::Instant::now();
    let tree = cnrm_engine::plan::yaml::parse(&src);
    let parsed = t.elapsed();
    let t = std::time::Instant::now();
    drop(tree);
    let dropped = t.elapsed();
    let t = std::time::Instant::now();
    let checked = cnrm_engine::plan::check_source(&src, "x", cnrm_engine::Lang::Fr);
    let total = t.elapsed();
    println!(
        "tree {parsed:?} (drop {dropped:?}); whole check {total:?}; {} diagnostics",
        checked.diagnostics.len()
    );
}
