//! Every label and sentence the command prints, in French and English.

use cnrm_engine::{tr, Lang};

pub fn unreadable(lang: Lang, file: &str, why: &str) -> String {
    tr!(
        lang,
        "impossible de lire `{file}` : {why}",
        "cannot read `{file}`: {why}"
    )
}

pub fn not_utf8(lang: Lang, file: &str) -> String {
    tr!(
        lang,
        "impossible de lire `{file}` : ce n'est pas un texte UTF-8 (enregistrez-le en UTF-8)",
        "cannot read `{file}`: it is not UTF-8 text (save it as UTF-8)"
    )
}

/// `plans/x.yaml : 2 erreurs, 1 avertissement`.
pub fn check_summary(lang: Lang, file: &str, errors: usize, warnings: usize) -> String {
    match (errors, warnings) {
        (0, 0) => tr!(
            lang,
            "{file} : valide, aucun problème",
            "{file}: valid, no problems"
        ),
        (0, w) => tr!(
            lang,
            "{file} : valide, {w} avertissement{}",
            "{file}: valid, {w} warning{}",
            plural(w)
        ),
        (e, w) => tr!(
            lang,
            "{file} : {e} erreur{}, {w} avertissement{} ; le plan est refusé",
            "{file}: {e} error{}, {w} warning{}; the plan is rejected",
            plural(e),
            plural(w)
        ),
    }
}

fn plural(n: usize) -> &'static str {
    if n > 1 {
        "s"
    } else {
        ""
    }
}

pub fn error_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "erreur",
        Lang::En => "error",
    }
}
