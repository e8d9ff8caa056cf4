//! Which `#[cfg]`-gated arguments exist on the architecture being checked.
//!
//! A block may give each architecture its own template pieces and operands:
//!
//! ```ignore
//! asm!(
//!     #[cfg(target_arch = "x86")] "pushad",
//!     #[cfg(target_arch = "x86_64")] "push rax",
//!     ...
//! )
//! ```
//!
//! Each architecture is analysed on its own (its findings go under its own
//! `cfg`), so for that analysis `target_arch` is known: arguments whose
//! `cfg` is false for it are dropped, as rustc drops them. Other predicates
//! (`feature`, `target_os`, …) cannot be known at expansion time: the block
//! is checked with every such argument present, and again with all of them
//! absent ([`without_undecided`]). What only the latter has is gated by the
//! predicate under which they are all absent, so that a clobber behind
//! `#[cfg(feature = "x")]` does not hide a write from the build without it;
//! what only the former has, by its negation (some are there), so that a
//! `cli` behind `#[cfg(unix)]` is no error in the build without it.
//! (Arguments that exclude each other, `#[cfg(unix)]` and
//! `#[cfg(not(unix))]`, are never all absent: their findings stay ungated
//! in effect.)

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;
use syn::parse::ParseStream;
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Lit, LitBool, Meta, Token};

use crate::diagnostics::TargetArch;
use crate::parse::AsmArgs;

/// `args` without the arguments that do not exist on `arch`, or `None`
/// when every argument exists there (the usual case: nothing is copied).
pub(crate) fn for_arch(args: &AsmArgs, arch: TargetArch) -> Option<AsmArgs> {
    let absent = |attrs: &[Attribute]| !exists_on(attrs, arch);
    let any_absent = args.templates.iter().any(|t| absent(&t.attrs))
        || args.operands.iter().any(|o| absent(&o.attrs))
        || args.options.iter().any(|o| absent(&o.attrs))
        || args.clobber_abis.iter().any(|c| absent(&c.attrs));
    if !any_absent {
        return None;
    }
    let mut kept = args.clone();
    kept.templates.retain(|t| !absent(&t.attrs));
    kept.operands.retain(|o| !absent(&o.attrs));
    kept.options.retain(|o| !absent(&o.attrs));
    kept.clobber_abis.retain(|c| !absent(&c.attrs));
    Some(kept)
}

/// `args` (already [`for_arch`]) without the arguments whose existence on
/// `arch` depends on something else, with the predicate under which rustc
/// builds exactly that block, `all(not(all(p, ..)), ..)` (one `not` per
/// removed argument over its `cfg` predicates), and its negation, under
/// which some of them are there. `None` when every argument
/// is decided, or when one is gated by a `cfg_attr` that is not (its
/// condition is not a plain predicate; such blocks keep one reading).
pub(crate) fn without_undecided(
    args: &AsmArgs,
    arch: TargetArch,
) -> Option<(AsmArgs, TokenStream, TokenStream)> {
    // Most blocks have no attributes at all.
    let has_attrs = args.templates.iter().any(|t| !t.attrs.is_empty())
        || args.operands.iter().any(|o| !o.attrs.is_empty())
        || args.options.iter().any(|o| !o.attrs.is_empty())
        || args.clobber_abis.iter().any(|c| !c.attrs.is_empty());
    if !has_attrs {
        return None;
    }
    // Per removed argument, its undecided predicates.
    let mut absent: Vec<Vec<TokenStream>> = Vec::new();
    let mut undecided = |attrs: &[Attribute]| -> Option<bool> {
        let mut predicates = Vec::new();
        for attr in attrs {
            let Meta::List(list) = &attr.meta else {
                continue;
            };
            if list.path.is_ident("cfg_attr") {
                return None;
            }
            if list.path.is_ident("cfg") {
                let known = list
                    .parse_args_with(predicate)
                    .ok()
                    .and_then(|p| evaluate(&p, arch));
                if known.is_none() {
                    predicates.push(without_trailing_comma(list.tokens.clone()));
                }
            }
        }
        let removed = !predicates.is_empty();
        if removed {
            absent.push(predicates);
        }
        Some(removed)
    };
    let templates: Vec<bool> = args
        .templates
        .iter()
        .map(|t| undecided(&t.attrs))
        .collect::<Option<_>>()?;
    let operands: Vec<bool> = args
        .operands
        .iter()
        .map(|o| undecided(&o.attrs))
        .collect::<Option<_>>()?;
    let options: Vec<bool> = args
        .options
        .iter()
        .map(|o| undecided(&o.attrs))
        .collect::<Option<_>>()?;
    let clobbers: Vec<bool> = args
        .clobber_abis
        .iter()
        .map(|c| undecided(&c.attrs))
        .collect::<Option<_>>()?;
    if absent.is_empty() {
        return None;
    }
    let mut variant = args.clone();
    retain_unless(&mut variant.templates, &templates);
    retain_unless(&mut variant.operands, &operands);
    retain_unless(&mut variant.options, &options);
    retain_unless(&mut variant.clobber_abis, &clobbers);
    // Written as simply as it can be: `not(p)` for one argument with one
    // predicate, the full form otherwise.
    let conditions: Vec<TokenStream> = absent
        .iter()
        .map(|predicates| match predicates.as_slice() {
            [one] => negated(one),
            all => quote!(not(all(#(#all),*))),
        })
        .collect();
    let condition = match conditions.as_slice() {
        [one] => one.clone(),
        all => quote!(all(#(#all),*)),
    };
    let some_present = negated(&condition);
    Some((variant, condition, some_present))
}

/// `not(p)`, or `q` when `p` is `not(q)`.
fn negated(predicate: &TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = predicate.clone().into_iter().collect();
    match trees.as_slice() {
        [TokenTree::Ident(not), TokenTree::Group(inner)]
            if not == "not" && inner.delimiter() == Delimiter::Parenthesis =>
        {
            without_trailing_comma(inner.stream())
        }
        _ => quote!(not(#predicate)),
    }
}

/// `p` for `p,` (rustc takes `cfg(p,)`; pasted into a list of predicates,
/// the comma would make `p, , q`).
fn without_trailing_comma(tokens: TokenStream) -> TokenStream {
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    if matches!(trees.last(), Some(TokenTree::Punct(p)) if p.as_char() == ',') {
        trees.pop();
    }
    trees.into_iter().collect()
}

/// Drops the items whose flag in `removed` is set.
fn retain_unless<T>(items: &mut Vec<T>, removed: &[bool]) {
    let mut flags = removed.iter();
    items.retain(|_| !flags.next().copied().unwrap_or(false));
}

/// Whether an argument with `attrs` exists on `arch`: false only when one
/// of its `#[cfg(..)]`s is known to be false there, directly or through a
/// `#[cfg_attr(predicate, cfg(..))]` whose predicate is known to hold.
fn exists_on(attrs: &[Attribute], arch: TargetArch) -> bool {
    attrs.iter().all(|attr| {
        let Meta::List(list) = &attr.meta else {
            return true;
        };
        if list.path.is_ident("cfg") {
            return cfg_may_hold(list, arch);
        }
        if list.path.is_ident("cfg_attr") {
            let Ok(parts) = list.parse_args_with(|input: ParseStream<'_>| {
                Punctuated::<Predicate, Token![,]>::parse_terminated_with(input, predicate)
            }) else {
                return true;
            };
            let mut parts = parts.into_iter();
            let Some(condition) = parts.next() else {
                return true;
            };
            if evaluate(&condition, arch) != Some(true) {
                return true;
            }
            // The attributes it adds: any `cfg(..)` among them counts.
            return parts.all(|added| {
                let Predicate::Meta(meta) = added else {
                    return true;
                };
                let Meta::List(inner) = *meta else {
                    return true;
                };
                !inner.path.is_ident("cfg") || cfg_may_hold(&inner, arch)
            });
        }
        true
    })
}

/// Whether `cfg(..)` may hold on `arch`: false only when known false.
fn cfg_may_hold(list: &syn::MetaList, arch: TargetArch) -> bool {
    match list.parse_args_with(predicate) {
        Ok(p) => evaluate(&p, arch) != Some(false),
        Err(_) => true,
    }
}

/// A `cfg` predicate: `true`/`false` (Rust 1.88+) or a meta item.
enum Predicate {
    Known(bool),
    Meta(Box<Meta>),
}

fn predicate(input: ParseStream<'_>) -> syn::Result<Predicate> {
    if input.peek(LitBool) {
        return Ok(Predicate::Known(input.parse::<LitBool>()?.value));
    }
    Ok(Predicate::Meta(Box::new(input.parse()?)))
}

/// A `cfg` predicate's value on `arch`, `None` when it depends on something
/// else.
fn evaluate(condition: &Predicate, arch: TargetArch) -> Option<bool> {
    let meta = match condition {
        Predicate::Known(value) => return Some(*value),
        Predicate::Meta(meta) => meta,
    };
    match &**meta {
        Meta::NameValue(pair) if pair.path.is_ident("target_arch") => match &pair.value {
            Expr::Lit(lit) => match &lit.lit {
                Lit::Str(value) => Some(value.value() == arch.cfg_value()),
                _ => None,
            },
            _ => None,
        },
        Meta::List(list) => {
            let name = list.path.get_ident()?.to_string();
            let inner = list
                .parse_args_with(|input: ParseStream<'_>| {
                    Punctuated::<Predicate, Token![,]>::parse_terminated_with(input, predicate)
                })
                .ok()?;
            let values = inner.iter().map(|p| evaluate(p, arch));
            match name.as_str() {
                // Three-valued logic: a known true (any) or false (all)
                // decides whatever the unknown ones are.
                "any" | "all" => {
                    let decisive = name == "any";
                    let mut unknown = false;
                    for value in values {
                        match value {
                            Some(v) if v == decisive => return Some(decisive),
                            Some(_) => {}
                            None => unknown = true,
                        }
                    }
                    (!unknown).then_some(!decisive)
                }
                "not" if inner.len() == 1 => evaluate(&inner[0], arch).map(|v| !v),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, arch: TargetArch) -> Option<bool> {
        evaluate(
            &syn::parse::Parser::parse_str(predicate, text).unwrap(),
            arch,
        )
    }

    #[test]
    fn predicates() {
        use TargetArch::{X86, X86_64};
        assert_eq!(value("target_arch = \"x86\"", X86), Some(true));
        assert_eq!(value("target_arch = \"x86\"", X86_64), Some(false));
        assert_eq!(value("not(target_arch = \"x86\")", X86_64), Some(true));
        assert_eq!(value("feature = \"a\"", X86), None);
        assert_eq!(value("not(feature = \"a\")", X86), None);
        assert_eq!(
            value("any(target_arch = \"x86\", feature = \"a\")", X86),
            Some(true)
        );
        assert_eq!(
            value("any(target_arch = \"x86\", feature = \"a\")", X86_64),
            None
        );
        assert_eq!(
            value("all(target_arch = \"x86\", feature = \"a\")", X86_64),
            Some(false)
        );
        assert_eq!(value("all(target_arch = \"x86_64\", unix)", X86_64), None);
        assert_eq!(value("any()", X86), Some(false));
        assert_eq!(value("all()", X86), Some(true));
        assert_eq!(value("false", X86), Some(false));
        assert_eq!(value("any(true, feature = \"a\")", X86), Some(true));
    }

    #[test]
    fn arguments_of_the_other_architecture_are_dropped() {
        let args: AsmArgs = syn::parse2(quote::quote!(
            #[cfg(target_arch = "x86")]
            "pushad",
            #[cfg(target_arch = "x86_64")]
            "push rax",
            #[cfg(feature = "extra")]
            "nop",
            #[cfg(target_arch = "x86")]
            in("eax") 1,
            out("rcx") _,
            #[cfg(not(target_arch = "x86"))]
            options(nostack),
            #[cfg(false)]
            out("rdx") _,
            #[cfg_attr(target_arch = "x86", cfg(any()))]
            out("rsi") _,
            #[cfg_attr(feature = "x", cfg(any()))]
            out("rdi") _,
        ))
        .unwrap();
        let x86_64 = for_arch(&args, TargetArch::X86_64).unwrap();
        assert_eq!(x86_64.templates.len(), 2);
        // `out("rcx")`, `out("rsi")` (its `cfg_attr` holds on x86 only) and
        // `out("rdi")` (unknown: kept); never `out("rdx")`.
        assert_eq!(x86_64.operands.len(), 3);
        assert_eq!(x86_64.options.len(), 1);
        let x86 = for_arch(&args, TargetArch::X86).unwrap();
        assert_eq!(x86.templates.len(), 2);
        // `in("eax")`, `out("rcx")` and `out("rdi")`.
        assert_eq!(x86.operands.len(), 3);
        assert_eq!(x86.options.len(), 0);
        // Nothing gated: nothing copied.
        let plain: AsmArgs = syn::parse2(quote::quote!("nop", out("rax") _)).unwrap();
        assert!(for_arch(&plain, TargetArch::X86).is_none());
    }

    #[test]
    fn undecided_arguments_are_left_out_under_their_condition() {
        use TargetArch::X86_64;
        let condition = |tokens: proc_macro2::TokenStream| {
            let args: AsmArgs = syn::parse2(tokens).unwrap();
            without_undecided(&args, X86_64).map(|(variant, condition, some_present)| {
                // The second condition is always the first's negation.
                let negation = some_present.to_string();
                let condition = condition.to_string();
                assert!(
                    negation == format!("not ({condition})")
                        || format!("not ({negation})") == condition,
                    "{condition} / {negation}"
                );
                (variant.templates.len(), variant.operands.len(), condition)
            })
        };
        // Decided ones only (or none): one reading.
        assert_eq!(condition(quote!("nop", out("rax") _)), None);
        assert_eq!(
            condition(quote!("nop", #[cfg(target_arch = "x86_64")] out("rax") _)),
            None
        );
        // One argument, one predicate; a `not` is taken off, not added.
        assert_eq!(
            condition(quote!("nop", #[cfg(feature = "a")] out("rax") _)),
            Some((1, 0, "not (feature = \"a\")".to_owned()))
        );
        assert_eq!(
            condition(quote!("nop", #[cfg(not(unix))] out("rax") _)),
            Some((1, 0, "unix".to_owned()))
        );
        // Several arguments (a piece too), several predicates on one; a
        // predicate known on the architecture is no condition.
        assert_eq!(
            condition(quote!(
                "nop",
                #[cfg(unix)] "pop rax",
                #[cfg(all(target_arch = "x86_64", windows))] #[cfg(test)] out("rax") _,
                #[cfg(target_arch = "x86_64")] out("rcx") _,
            )),
            Some((
                1,
                1,
                "all (not (unix) , not (all (all (target_arch = \"x86_64\" , windows) , test)))"
                    .to_owned()
            ))
        );
        // Trailing commas, which rustc takes, are not pasted on.
        assert_eq!(
            condition(quote!(
                "nop",
                #[cfg(feature = "a",)] #[cfg(unix)] out("rax") _,
                #[cfg(not(windows,))] out("rcx") _,
            )),
            Some((
                1,
                0,
                "all (not (all (feature = \"a\" , unix)) , windows)".to_owned()
            ))
        );
        // A `cfg_attr` that is not decided: no second reading.
        assert_eq!(
            condition(
                quote!("nop", #[cfg_attr(unix, cfg(test))] out("rax") _, #[cfg(test)] out("rcx") _)
            ),
            None
        );
    }

    /// The gates of each finding of `rule` in the macro's analysis.
    fn gates(input: proc_macro2::TokenStream, rule: &str) -> Vec<Vec<String>> {
        crate::analyse(crate::MacroKind::Asm, input, &crate::includes::no_includes)
            .findings
            .iter()
            .filter(|found| found.finding.rule == rule)
            .map(|found| {
                found
                    .finding
                    .gates
                    .iter()
                    .map(ToString::to_string)
                    .collect()
            })
            .collect()
    }

    #[test]
    fn findings_of_one_build_only_carry_its_cfg() {
        // What only the build without the clobber has: one finding, for
        // both architectures.
        assert_eq!(
            gates(
                quote!("mov rcx, 1", #[cfg(feature = "a")] out("rcx") _, options(nomem, nostack)),
                "undeclared_register_write"
            ),
            [["# [cfg (not (feature = \"a\"))]"]]
        );
        // What only the build with the piece has, under its `cfg`.
        assert_eq!(
            gates(
                quote!(
                    "nop",
                    #[cfg(feature = "a")]
                    "cli",
                    options(nomem, nostack)
                ),
                "memory_effect_in_nomem"
            ),
            [["# [cfg (feature = \"a\")]"]]
        );
        // Arguments that exclude each other are never all absent: the
        // finding holds wherever some are there, that is everywhere. And
        // independent ones: wherever any is there.
        assert_eq!(
            gates(
                quote!(
                    #[cfg(unix)]
                    "cli",
                    #[cfg(not(unix))]
                    "cli",
                    options(nomem, nostack)
                ),
                "memory_effect_in_nomem"
            ),
            [["# [cfg (not (all (not (unix) , unix)))]"]]
        );
        assert_eq!(
            gates(
                quote!(
                    #[cfg(feature = "a")]
                    "cli",
                    #[cfg(feature = "b")]
                    "nop",
                    options(nomem, nostack)
                ),
                "memory_effect_in_nomem"
            ),
            [["# [cfg (not (all (not (feature = \"a\") , not (feature = \"b\"))))]"]]
        );
        // A finding whose line moves when a gated piece goes is one per
        // build, each under its own gate.
        let mut moved: Vec<Vec<String>> = gates(
            quote!(
                #[cfg(feature = "a")]
                "nop",
                "cli",
                options(nomem, nostack)
            ),
            "memory_effect_in_nomem",
        );
        moved.sort();
        assert_eq!(
            moved,
            [
                ["# [cfg (feature = \"a\")]"],
                ["# [cfg (not (feature = \"a\"))]"]
            ]
        );
    }

    #[test]
    fn each_architecture_reports_its_own_arguments() {
        // The same words in two groups, one per architecture: two findings,
        // each under its own architecture's gate, not one merged.
        let analysis = crate::analyse(
            crate::MacroKind::Asm,
            quote::quote!(
                "cli",
                #[cfg(target_arch = "x86")]
                options(nomem),
                #[cfg(target_arch = "x86_64")]
                options(nomem),
            ),
            &crate::includes::no_includes,
        );
        let archs: Vec<_> = analysis
            .findings
            .iter()
            .filter(|found| found.finding.rule == "memory_effect_in_nomem")
            .map(|found| found.archs.clone())
            .collect();
        assert_eq!(archs.len(), 2, "{archs:?}");
    }
}
