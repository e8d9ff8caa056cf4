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
//! (`feature`, `unix`, `debug_assertions`, …) cannot be known at expansion
//! time: the block is checked in every build they can make ([`builds`]: up
//! to four such predicates, every combination of their values), and a
//! finding that only some builds have is gated by the predicate that
//! selects them. So a clobber behind `#[cfg(feature = "x")]` does not hide
//! a write from the build without it, a `cli` behind `#[cfg(unix)]` is no
//! error in the build without it, and alternatives (`#[cfg(unix)]` and
//! `#[cfg(not(unix))]` pieces) are each checked with the rest of the block.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
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

/// The builds of a block whose arguments depend on more than the
/// architecture (see [`builds`]).
pub(crate) struct Builds {
    /// The predicates they depend on (`feature = "a"`), as tokens.
    atoms: Vec<TokenStream>,
    /// One per distinct set of arguments.
    pub(crate) builds: Vec<Build>,
}

/// One build: the arguments it has, and the values of the atoms that
/// select it (bit `i` of each is atom `i`).
pub(crate) struct Build {
    pub(crate) args: AsmArgs,
    pub(crate) values: Vec<u32>,
}

impl Builds {
    /// The `cfg` predicate that holds exactly for `values`, written short:
    /// conjunctions of literals (`all(unix, not(feature = "a"))`), each as
    /// wide as it can be, joined by `any(..)` until they cover the values.
    pub(crate) fn condition(&self, values: &[u32]) -> TokenStream {
        let count = self.atoms.len();
        let all_values = 0..1u32 << count;
        // Every conjunction, as (atoms it names, their values), whose
        // values are all among `values`; the widest (fewest atoms) first.
        let mut implicants: Vec<(u32, u32)> = Vec::new();
        for code in 0..3u32.pow(count as u32) {
            let (mut mask, mut want, mut digits) = (0u32, 0u32, code);
            for index in 0..count {
                match digits % 3 {
                    1 => mask |= 1 << index,
                    2 => {
                        mask |= 1 << index;
                        want |= 1 << index;
                    }
                    _ => {}
                }
                digits /= 3;
            }
            if all_values
                .clone()
                .filter(|v| v & mask == want)
                .all(|v| values.contains(&v))
            {
                implicants.push((mask, want));
            }
        }
        implicants.sort_by_key(|(mask, _)| mask.count_ones());
        let mut uncovered: Vec<u32> = values.to_vec();
        let mut terms = Vec::new();
        for (mask, want) in implicants {
            if !uncovered.iter().any(|v| v & mask == want) {
                continue;
            }
            uncovered.retain(|v| v & mask != want);
            let literals = (0..count)
                .filter(|index| mask >> index & 1 == 1)
                .map(|index| {
                    let atom = &self.atoms[index];
                    if want >> index & 1 == 1 {
                        atom.clone()
                    } else {
                        quote!(not(#atom))
                    }
                })
                .collect();
            terms.push(one_of("all", literals));
            if uncovered.is_empty() {
                break;
            }
        }
        one_of("any", terms)
    }
}

/// The most undecided predicates a block is checked under every value of
/// (2⁴ builds); a block with more keeps one reading.
const MOST_ATOMS: usize = 4;

/// The most template lines, summed over the builds, checked when there are
/// more than two builds.
const MOST_BUILD_LINES: usize = 1024;

/// The builds of `args` (already [`for_arch`]) over every value of the
/// predicates its `cfg`s depend on besides the architecture (`feature =
/// "a"`, `unix`, `debug_assertions`): one per distinct set of arguments,
/// with the predicate that selects it. `None` when there is a single
/// build, more than [`MOST_ATOMS`] such predicates, more than two builds of
/// a long block (see [`MOST_BUILD_LINES`]), or a `cfg_attr` (its condition
/// is not a plain predicate); such blocks keep one reading.
pub(crate) fn builds(args: &AsmArgs, arch: TargetArch) -> Option<Builds> {
    // Most blocks have no attributes at all.
    if !has_attributes(args) {
        return None;
    }
    let attrs: Vec<&[Attribute]> = args
        .templates
        .iter()
        .map(|t| t.attrs.as_slice())
        .chain(args.operands.iter().map(|o| o.attrs.as_slice()))
        .chain(args.options.iter().map(|o| o.attrs.as_slice()))
        .chain(args.clobber_abis.iter().map(|c| c.attrs.as_slice()))
        .collect();
    // Each argument's `cfg` predicates.
    let mut conditions: Vec<Vec<Predicate>> = Vec::with_capacity(attrs.len());
    let mut atoms: Vec<(String, TokenStream)> = Vec::new();
    for list in &attrs {
        let mut predicates = Vec::new();
        for attr in list.iter() {
            let Meta::List(meta) = &attr.meta else {
                continue;
            };
            if meta.path.is_ident("cfg_attr") {
                return None;
            }
            if meta.path.is_ident("cfg") {
                // (rustc takes `cfg(p,)`, one predicate and a comma.)
                let mut parsed = meta
                    .parse_args_with(|input: ParseStream<'_>| {
                        Punctuated::<Predicate, Token![,]>::parse_terminated_with(input, predicate)
                    })
                    .ok()?
                    .into_iter();
                let (Some(predicate), None) = (parsed.next(), parsed.next()) else {
                    return None;
                };
                collect_atoms(&predicate, arch, &mut atoms);
                predicates.push(predicate);
            }
        }
        conditions.push(predicates);
    }
    if atoms.is_empty() || atoms.len() > MOST_ATOMS {
        return None;
    }
    // Every value of the atoms, grouped by the arguments it keeps.
    let mut groups: Vec<(Vec<bool>, Vec<u32>)> = Vec::new();
    for values in 0u32..1 << atoms.len() {
        let value = |text: &str| {
            let index = atoms.iter().position(|(known, _)| known == text)?;
            Some(values >> index & 1 == 1)
        };
        let kept: Vec<bool> = conditions
            .iter()
            .map(|predicates| {
                predicates
                    .iter()
                    .all(|p| evaluate_with(p, arch, &value) != Some(false))
            })
            .collect();
        match groups.iter_mut().find(|(known, _)| *known == kept) {
            Some((_, all)) => all.push(values),
            None => groups.push((kept, vec![values])),
        }
    }
    if groups.len() < 2 {
        return None;
    }
    // Each build is a whole check: beyond two builds, a long block is read
    // once (a compile-time cost bound).
    let lines: usize = args
        .templates
        .iter()
        .map(|template| match &template.piece {
            crate::parse::TemplatePiece::Text(text) => 1 + text.matches('\n').count(),
            crate::parse::TemplatePiece::Opaque(_) => 1,
        })
        .sum();
    if groups.len() > 2 && groups.len() * lines > MOST_BUILD_LINES {
        return None;
    }
    let builds = groups
        .into_iter()
        .map(|(kept, values)| {
            let mut flags = kept.iter().copied();
            let mut variant = args.clone();
            variant.templates.retain(|_| flags.next().unwrap_or(true));
            variant.operands.retain(|_| flags.next().unwrap_or(true));
            variant.options.retain(|_| flags.next().unwrap_or(true));
            variant
                .clobber_abis
                .retain(|_| flags.next().unwrap_or(true));
            Build {
                args: variant,
                values,
            }
        })
        .collect();
    Some(Builds {
        atoms: atoms.into_iter().map(|(_, tokens)| tokens).collect(),
        builds,
    })
}

/// Whether any argument has an attribute.
pub(crate) fn has_attributes(args: &AsmArgs) -> bool {
    args.templates.iter().any(|t| !t.attrs.is_empty())
        || args.operands.iter().any(|o| !o.attrs.is_empty())
        || args.options.iter().any(|o| !o.attrs.is_empty())
        || args.clobber_abis.iter().any(|c| !c.attrs.is_empty())
}

/// `name(a, b, ..)`, or `a` alone.
fn one_of(name: &str, mut terms: Vec<TokenStream>) -> TokenStream {
    if terms.len() == 1 {
        return terms.pop().unwrap_or_default();
    }
    let name = proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
    quote!(#name(#(#terms),*))
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
    evaluate_with(condition, arch, &|_| None)
}

/// [`evaluate`], with `atom` giving the value of the predicates that depend
/// on more than the architecture (`feature = "a"`, `unix`), by their text.
fn evaluate_with(
    condition: &Predicate,
    arch: TargetArch,
    atom: &dyn Fn(&str) -> Option<bool>,
) -> Option<bool> {
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
        Meta::List(list) if is_operator(list) => {
            let name = list.path.get_ident()?.to_string();
            let inner = operands(list)?;
            let values = inner.iter().map(|p| evaluate_with(p, arch, atom));
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
                _ if inner.len() == 1 => evaluate_with(&inner[0], arch, atom).map(|v| !v),
                _ => None,
            }
        }
        other => atom(&other.to_token_stream().to_string()),
    }
}

/// `any(..)`, `all(..)` or `not(..)`.
fn is_operator(list: &syn::MetaList) -> bool {
    list.path.is_ident("any") || list.path.is_ident("all") || list.path.is_ident("not")
}

/// The predicates inside `any(..)`, `all(..)` or `not(..)`.
fn operands(list: &syn::MetaList) -> Option<Punctuated<Predicate, Token![,]>> {
    list.parse_args_with(|input: ParseStream<'_>| {
        Punctuated::<Predicate, Token![,]>::parse_terminated_with(input, predicate)
    })
    .ok()
}

/// Adds to `atoms` the predicates of `condition` whose value depends on
/// more than the architecture, by their text, each once.
fn collect_atoms(condition: &Predicate, arch: TargetArch, atoms: &mut Vec<(String, TokenStream)>) {
    let Predicate::Meta(meta) = condition else {
        return;
    };
    // (A part decided on the architecture, `any(target_arch = "x86_64",
    // feature = "a")` on x86-64, needs no atoms.)
    if evaluate(condition, arch).is_some() {
        return;
    }
    match &**meta {
        Meta::List(list) if is_operator(list) => {
            for inner in operands(list).into_iter().flatten() {
                collect_atoms(&inner, arch, atoms);
            }
        }
        other => {
            if evaluate(condition, arch).is_none() {
                let text = other.to_token_stream().to_string();
                if !atoms.iter().any(|(known, _)| *known == text) {
                    atoms.push((text, other.to_token_stream()));
                }
            }
        }
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
    fn every_build_of_undecided_arguments() {
        use TargetArch::X86_64;
        // Per build: its templates and operands, and the `cfg` selecting it.
        let builds_of = |tokens: proc_macro2::TokenStream| {
            let args: AsmArgs = syn::parse2(tokens).unwrap();
            builds(&args, X86_64).map(|builds| {
                builds
                    .builds
                    .iter()
                    .map(|build| {
                        (
                            build.args.templates.len(),
                            build.args.operands.len(),
                            builds.condition(&build.values).to_string(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
        };
        // Decided ones only (or none): one reading.
        assert!(builds_of(quote!("nop", out("rax") _)).is_none());
        assert!(builds_of(quote!("nop", #[cfg(target_arch = "x86_64")] out("rax") _)).is_none());
        // One predicate: two builds.
        assert_eq!(
            builds_of(quote!("nop", #[cfg(not(unix))] out("rax") _)).unwrap(),
            [(1, 1, "not (unix)".to_owned()), (1, 0, "unix".to_owned())]
        );
        // Several arguments, several predicates on one, trailing commas
        // (which rustc takes); a predicate known on the architecture is no
        // condition, and builds with the same arguments are one.
        assert_eq!(
            builds_of(quote!(
                "nop",
                #[cfg(unix)] "pop rax",
                #[cfg(all(target_arch = "x86_64", windows,))] #[cfg(feature = "a",)] out("rax") _,
                #[cfg(target_arch = "x86_64")] out("rcx") _,
            ))
            .unwrap(),
            [
                (
                    1,
                    1,
                    "any (all (not (unix) , not (windows)) , all (not (unix) , not (feature = \"a\")))"
                        .to_owned()
                ),
                (
                    2,
                    1,
                    "any (all (unix , not (windows)) , all (unix , not (feature = \"a\")))"
                        .to_owned()
                ),
                (
                    1,
                    2,
                    "all (not (unix) , windows , feature = \"a\")".to_owned()
                ),
                (2, 2, "all (unix , windows , feature = \"a\")".to_owned()),
            ]
        );
        // Conditions that no conjunction says are listed.
        let args: AsmArgs =
            syn::parse2(quote!("nop", #[cfg(any(unix, windows))] out("rax") _)).unwrap();
        let both = builds(&args, X86_64).unwrap();
        assert_eq!(
            both.condition(&[1, 2]).to_string(),
            "any (all (unix , not (windows)) , all (not (unix) , windows))"
        );
        // A `cfg_attr`: one reading.
        assert!(
            builds_of(
                quote!("nop", #[cfg_attr(unix, cfg(test))] out("rax") _, #[cfg(test)] out("rcx") _)
            )
            .is_none()
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

    /// Whether a finding with `gates` is reported in the build where the
    /// atoms in `on` hold and every other one does not (on x86-64).
    fn fires(gates: &[String], on: &[&str]) -> bool {
        gates.iter().all(|gate| {
            let attr: Vec<Attribute> =
                syn::parse::Parser::parse_str(Attribute::parse_outer, gate).unwrap();
            let Meta::List(list) = &attr[0].meta else {
                panic!("{gate}")
            };
            let predicate = list.parse_args_with(predicate).unwrap();
            let value = |text: &str| Some(on.contains(&text));
            evaluate_with(&predicate, TargetArch::X86_64, &value) == Some(true)
        })
    }

    #[test]
    fn every_build_gets_its_findings_and_no_other() {
        // The same statement in two pieces under independent features: each
        // build with either has an error, the build with neither none.
        let found = gates(
            quote!(
                #[cfg(feature = "a")]
                "mov rcx, 1",
                #[cfg(feature = "b")]
                "mov rcx, 1",
                options(nomem, nostack)
            ),
            "undeclared_register_write",
        );
        let a = "feature = \"a\"";
        let b = "feature = \"b\"";
        for on in [vec![a], vec![b], vec![a, b]] {
            assert!(
                found.iter().any(|gates| fires(gates, &on)),
                "{on:?}: {found:?}"
            );
        }
        assert!(!found.iter().any(|gates| fires(gates, &[])), "{found:?}");
        // Alternatives with the same text: one error in either build (the
        // finding is about the options, so it is the same one: ungated).
        let found = gates(
            quote!(
                #[cfg(unix)]
                "cli",
                #[cfg(not(unix))]
                "cli",
                options(nomem, nostack)
            ),
            "memory_effect_in_nomem",
        );
        assert_eq!(found, [Vec::<String>::new()]);
        // Two findings alike in one build are not counted as two builds:
        // the `feature = "a"` build writes both outputs.
        let found = gates(
            quote!(
                "nop",
                #[cfg(feature = "a")] "mov {0}, 1",
                #[cfg(feature = "a")] "mov {1}, 1",
                lateout(reg) _x, lateout(reg) _y,
                options(nomem, nostack)
            ),
            "output_never_written",
        );
        assert!(!found.iter().any(|gates| fires(gates, &[a])), "{found:?}");
        assert!(found.iter().any(|gates| fires(gates, &[])), "{found:?}");
        // Parts decided on the architecture use no atoms: five features,
        // four of them in a part that holds on x86-64, still give builds.
        let args: AsmArgs = syn::parse2(quote!(
            "nop",
            #[cfg(feature = "e")] "cli",
            #[cfg(any(target_arch = "x86_64", feature = "a", feature = "b", feature = "c", feature = "d"))]
            out("rax") _,
            options(nomem, nostack)
        ))
        .unwrap();
        assert!(builds(&args, TargetArch::X86_64).is_some());
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
        // Independent features: where its piece is there.
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
            [["# [cfg (feature = \"a\")]"]]
        );
        // Alternatives around a statement every build has: that finding
        // holds everywhere, those of the alternatives each in its build.
        let alternatives = || {
            quote!(
                #[cfg(unix)]
                "mov eax, 1",
                #[cfg(not(unix))]
                "mov eax, 2",
                "cli",
                options(nomem, nostack)
            )
        };
        assert_eq!(
            gates(alternatives(), "memory_effect_in_nomem"),
            [Vec::<String>::new()]
        );
        assert_eq!(
            gates(alternatives(), "undeclared_register_write"),
            [["# [cfg (not (unix))]"], ["# [cfg (unix)]"]]
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
