//! Links the `cnrm` binary as a position-dependent executable: a position-independent one has
//! its 47,000 relocated pointers (clap's, sqlx's and the other crates' tables) written at every
//! start, a page fault for each page they share; `cnrm --version` measured 2.5 ms of which about
//! 0.9 ms was this. Every command starts a new process, so every command paid it. The libraries
//! it loads are still placed at random addresses.
fn main() {
    println!("cargo:rustc-link-arg-bins=-no-pie");
}
