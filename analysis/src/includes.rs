//! `include_str!("file.s")` templates, read from their files.
//!
//! A macro runs before the `include_str!` in its input is expanded, so the
//! template is not in the tokens. The file is, on disk, next to the source
//! that names it: the proc macro learns that source's path from the span
//! of the call (`Span::local_file`, stable since Rust 1.88) and reads the
//! file itself; `checked-asm audit` knows which file it is scanning. The
//! tokens handed to rustc still say `include_str!(..)`, so rustc reads the
//! file too and rebuilds the crate when it changes. When the file cannot be
//! found (a path built by other macros, an unreadable file, a caller that
//! cannot tell), the piece stays opaque and `opaque_template` says so.
//!
//! Known imprecision: for an `include_str!` written inside a `macro_rules!`
//! body that is expanded from another file, rustc resolves the path from
//! the file of the outermost call; stable Rust does not tell a proc macro
//! where that is, so the path is resolved from the file it is written in.
//! The two agree unless the macro and its caller live in different
//! directories.

use proc_macro2::Span;

use crate::parse::{AsmArgs, TemplatePiece};

/// Reads the file an `include_str!` call names: given the span of the call
/// and the path as written, the file's text, or `None`.
pub type ReadInclude<'a> = &'a dyn Fn(Span, &str) -> Option<String>;

/// A [`ReadInclude`] that reads nothing: every `include_str!` stays opaque.
pub fn no_includes(_: Span, _: &str) -> Option<String> {
    None
}

/// `args` with each `include_str!` piece whose file `read` finds replaced by
/// the file's text; `None` when there was none.
pub(crate) fn read_includes(args: &AsmArgs, read: ReadInclude<'_>) -> Option<AsmArgs> {
    // Nearly every block has no `include_str!`: nothing to build for it.
    if args
        .templates
        .iter()
        .all(|template| template.include.is_none())
    {
        return None;
    }
    let texts: Vec<Option<String>> = args
        .templates
        .iter()
        .map(|template| match (&template.piece, &template.include) {
            (TemplatePiece::Opaque(_), Some((path, site))) => read(*site, path),
            _ => None,
        })
        .collect();
    if texts.iter().all(Option::is_none) {
        return None;
    }
    let mut with_files = args.clone();
    for (template, text) in with_files.templates.iter_mut().zip(texts) {
        if let Some(text) = text {
            template.piece = TemplatePiece::Text(text);
        }
    }
    Some(with_files)
}
