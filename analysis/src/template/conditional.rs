//! Conditional assembly: `.if`/`.ifne`/`.ifdef`/… `.elseif`, `.else`,
//! `.endif`.
//!
//! A branch whose condition is a known constant is read or left out as the
//! assembler would. A condition we cannot evaluate (`.ifne (3b-2b)-1`: a
//! difference of labels, known only once the code is laid out) leaves the
//! branch *unknown*: that is harmless when the branches hold nothing but
//! assembly-time assertions (`.error`, `.warning`, `.print`), which emit no
//! bytes and, if they fire, stop the build anyway; anything else in an
//! unknown branch cannot be read, because we cannot tell whether it exists.

use std::collections::HashSet;

use super::expr::{Context, Precedence, evaluate};
use super::lexer::{Tok, tokenize};

/// Whether statements are assembled, as far as conditions tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Activity {
    /// Assembled.
    Yes,
    /// Left out.
    No,
    /// Depends on a condition we cannot evaluate.
    Unknown,
}

impl Activity {
    fn known(value: bool) -> Activity {
        if value { Activity::Yes } else { Activity::No }
    }

    /// Both hold.
    fn and(self, other: Activity) -> Activity {
        match (self, other) {
            (Activity::No, _) | (_, Activity::No) => Activity::No,
            (Activity::Unknown, _) | (_, Activity::Unknown) => Activity::Unknown,
            _ => Activity::Yes,
        }
    }

    /// Either holds.
    fn or(self, other: Activity) -> Activity {
        match (self, other) {
            (Activity::Yes, _) | (_, Activity::Yes) => Activity::Yes,
            (Activity::No, Activity::No) => Activity::No,
            _ => Activity::Unknown,
        }
    }

    fn not(self) -> Activity {
        match self {
            Activity::Yes => Activity::No,
            Activity::No => Activity::Yes,
            Activity::Unknown => Activity::Unknown,
        }
    }
}

/// One open `.if`.
#[derive(Clone, Debug)]
struct Open {
    /// Whether the text around the `.if` is assembled.
    outer: Activity,
    /// Whether the current branch is assembled (given `outer`).
    branch: Activity,
    /// Whether an earlier branch, or the current one, was taken.
    taken: Activity,
    /// Whether `.else` was seen.
    in_else: bool,
    /// The `.if` statement, for messages.
    piece: usize,
    line: usize,
    source: String,
}

/// Where a conditional directive left the reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// Whether the text around the directive is assembled (the directive
    /// itself belongs to that text).
    pub(crate) outer: Activity,
    /// A problem with the directive, rustc style.
    pub(crate) error: Option<String>,
}

/// An `.if` left open at the end of the template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Unclosed {
    pub(crate) piece: usize,
    pub(crate) line: usize,
    pub(crate) source: String,
}

/// The open conditionals, innermost last.
#[derive(Clone, Debug, Default)]
pub(crate) struct Conditions {
    open: Vec<Open>,
}

/// Whether `word` (lower case) is a conditional-assembly directive.
pub(crate) fn is_conditional(word: &str) -> bool {
    matches!(word, ".else" | ".elseif" | ".endif") || word.starts_with(".if")
}

/// Whether a directive (lower case) emits nothing and only checks or
/// reports at assembly time, so that it may stand in an unknown branch.
pub(crate) fn is_assertion(word: &str) -> bool {
    matches!(word, ".error" | ".err" | ".warning" | ".print")
}

impl Conditions {
    /// Whether the statement being read is assembled.
    pub(crate) fn activity(&self) -> Activity {
        self.open
            .last()
            .map_or(Activity::Yes, |open| open.outer.and(open.branch))
    }

    /// Why the current statement may or may not be assembled, when that is
    /// unknown: names the innermost conditional we could not evaluate.
    pub(crate) fn unknown_reason(&self) -> String {
        let culprit = self
            .open
            .iter()
            .rev()
            .find(|open| open.branch == Activity::Unknown)
            .or(self.open.last());
        match culprit {
            Some(open) => format!(
                "cannot tell whether this is assembled: the condition of `{}` (line {}) is not a constant",
                open.source, open.line
            ),
            None => "cannot tell whether this is assembled".to_owned(),
        }
    }

    /// Reads conditional directive `word` (lower case) with arguments
    /// `args`. `defined` says whether a symbol is known to be defined at
    /// this point. The stack stays balanced even when the directive has an
    /// error (an unreadable condition makes the branch unknown).
    pub(crate) fn directive(
        &mut self,
        word: &str,
        args: &str,
        cx: Context<'_>,
        defined: &HashSet<String>,
        at: (usize, usize, &str),
    ) -> Outcome {
        let (piece, line, source) = at;
        match word {
            ".else" | ".elseif" | ".endif" => {
                let Some(open) = self.open.last_mut() else {
                    return Outcome {
                        outer: self.activity(),
                        error: Some(format!("`{word}` without a matching `.if`")),
                    };
                };
                let outer = open.outer;
                if word == ".endif" {
                    self.open.pop();
                    return Outcome { outer, error: None };
                }
                if open.in_else {
                    return Outcome {
                        outer,
                        error: Some(format!("`{word}` after `.else`")),
                    };
                }
                let mut error = None;
                if word == ".else" {
                    open.in_else = true;
                    open.branch = open.taken.not();
                    open.taken = Activity::Yes;
                } else {
                    let condition = if outer == Activity::No || open.taken == Activity::Yes {
                        Activity::No
                    } else {
                        condition(".if", args, cx, defined).unwrap_or_else(|reason| {
                            error = Some(reason);
                            Activity::Unknown
                        })
                    };
                    open.branch = open.taken.not().and(condition);
                    open.taken = open.taken.or(condition);
                }
                Outcome { outer, error }
            }
            _ => {
                let outer = self.activity();
                let mut error = None;
                let branch = if outer == Activity::No {
                    // Not even read by the assembler: nothing to evaluate.
                    Activity::No
                } else {
                    condition(word, args, cx, defined).unwrap_or_else(|reason| {
                        error = Some(reason);
                        Activity::Unknown
                    })
                };
                self.open.push(Open {
                    outer,
                    branch,
                    taken: branch,
                    in_else: false,
                    piece,
                    line,
                    source: source.to_owned(),
                });
                Outcome { outer, error }
            }
        }
    }

    /// The `.if`s still open at the end of the template.
    pub(crate) fn unclosed(&self) -> Vec<Unclosed> {
        self.open
            .iter()
            .map(|open| Unclosed {
                piece: open.piece,
                line: open.line,
                source: open.source.clone(),
            })
            .collect()
    }
}

/// Evaluates the condition of `.if`-family directive `word`.
fn condition(
    word: &str,
    args: &str,
    cx: Context<'_>,
    defined: &HashSet<String>,
) -> Result<Activity, String> {
    let args = args.trim();
    let compare = |test: fn(i128) -> bool| -> Result<Activity, String> {
        let toks = tokenize(args)?;
        if toks.is_empty() {
            return Err(format!("`{word}` needs an expression"));
        }
        Ok(match evaluate(&toks, cx, Precedence::Gnu)?.value() {
            Some(value) => Activity::known(test(value)),
            None => Activity::Unknown,
        })
    };
    match word {
        ".if" | ".ifne" => compare(|v| v != 0),
        ".ifeq" => compare(|v| v == 0),
        ".ifge" => compare(|v| v >= 0),
        ".ifgt" => compare(|v| v > 0),
        ".ifle" => compare(|v| v <= 0),
        ".iflt" => compare(|v| v < 0),
        ".ifdef" | ".ifndef" | ".ifnotdef" => {
            if args.is_empty() {
                return Err(format!("`{word}` needs a symbol"));
            }
            // Known only when defined above; a symbol not defined yet may
            // be defined elsewhere in the module (another block, Rust code).
            let here = if defined.contains(args) {
                Activity::Yes
            } else {
                Activity::Unknown
            };
            Ok(if word == ".ifdef" { here } else { here.not() })
        }
        ".ifb" => Ok(Activity::known(args.is_empty())),
        ".ifnb" => Ok(Activity::known(!args.is_empty())),
        ".ifc" | ".ifnc" => {
            let Some((left, right)) = args.split_once(',') else {
                return Err(format!("`{word}` expects two strings separated by `,`"));
            };
            let text = |s: &str| s.trim().trim_matches('\'').to_owned();
            let same = text(left) == text(right);
            Ok(Activity::known(same == (word == ".ifc")))
        }
        ".ifeqs" | ".ifnes" => {
            let toks = tokenize(args)?;
            let [Tok::Str(left), comma, Tok::Str(right)] = toks.as_slice() else {
                return Err(format!("`{word}` expects two string literals"));
            };
            if !comma.is(",") {
                return Err(format!("`{word}` expects two string literals"));
            }
            Ok(Activity::known((left == right) == (word == ".ifeqs")))
        }
        _ => Err(format!("the directive `{word}` is not supported")),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::template::ast::Syntax;

    /// Runs directives in order; returns the activity after each.
    fn run(lines: &[&str]) -> Vec<(Activity, Option<String>)> {
        let constants = HashMap::from([("N".to_owned(), 2)]);
        let cx = Context {
            syntax: Syntax::Att,
            substs: &[],
            constants: &constants,
        };
        let defined = HashSet::from(["N".to_owned()]);
        let mut conditions = Conditions::default();
        lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let (word, args) = line.split_once(' ').unwrap_or((line, ""));
                let outcome = conditions.directive(word, args, cx, &defined, (0, i + 1, line));
                (conditions.activity(), outcome.error)
            })
            .collect()
    }

    fn activities(lines: &[&str]) -> Vec<Activity> {
        run(lines).into_iter().map(|(a, _)| a).collect()
    }

    use Activity::{No, Unknown, Yes};

    #[test]
    fn constant_conditions() {
        assert_eq!(
            activities(&[".if N - 2", ".else", ".endif"]),
            [No, Yes, Yes]
        );
        assert_eq!(activities(&[".ifne N", ".endif"]), [Yes, Yes]);
        assert_eq!(activities(&[".ifeq N", ".endif"]), [No, Yes]);
        assert_eq!(activities(&[".ifgt N - 3", ".endif"]), [No, Yes]);
        assert_eq!(activities(&[".iflt N - 3", ".endif"]), [Yes, Yes]);
        assert_eq!(
            activities(&[".if 0", ".elseif 1", ".elseif 1", ".else", ".endif"]),
            [No, Yes, No, No, Yes]
        );
        assert_eq!(activities(&[".ifdef N", ".endif"]), [Yes, Yes]);
        assert_eq!(activities(&[".ifndef N", ".endif"]), [No, Yes]);
        assert_eq!(activities(&[".ifb", ".endif"]), [Yes, Yes]);
        assert_eq!(activities(&[".ifc a, a", ".endif"]), [Yes, Yes]);
        assert_eq!(activities(&[".ifnc a,'a'", ".endif"]), [No, Yes]);
        assert_eq!(activities(&[".ifeqs \"x\", \"y\"", ".endif"]), [No, Yes]);
    }

    #[test]
    fn unknown_conditions() {
        assert_eq!(
            activities(&[".ifne (3b-2b)-1", ".else", ".endif"]),
            [Unknown, Unknown, Yes]
        );
        assert_eq!(activities(&[".ifdef foo", ".endif"]), [Unknown, Yes]);
        // An unknown branch inside a skipped one is skipped.
        assert_eq!(
            activities(&[".if 0", ".ifne foo", ".endif", ".endif"]),
            [No, No, No, Yes]
        );
        // `.elseif` after an unknown branch.
        assert_eq!(
            activities(&[".if foo", ".elseif 1", ".else", ".endif"]),
            [Unknown, Unknown, No, Yes]
        );
    }

    #[test]
    fn unbalanced() {
        let out = run(&[".endif"]);
        assert!(out[0].1.as_deref().unwrap().contains("without a matching"));
        let out = run(&[".if 1", ".else", ".else"]);
        assert!(out[2].1.is_some());
        let out = run(&[".if", ".endif"]);
        assert!(out[0].1.is_some());
        assert_eq!(out[1].0, Yes);
    }
}
