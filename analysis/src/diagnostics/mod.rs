//! Stage 6: findings, and how they become `compile_error!`s.

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};

/// A range of source between two tokens. Stable proc macros cannot join
/// spans, but a `compile_error!` whose path carries `start` and whose braces
/// carry `end` underlines everything in between (the trick `syn::Error` uses).
#[derive(Clone, Copy, Debug)]
pub struct SpanRange {
    /// The first token's span.
    pub start: Span,
    /// The last token's span.
    pub end: Span,
}

impl SpanRange {
    /// A range of one token.
    pub fn single(span: Span) -> SpanRange {
        SpanRange {
            start: span,
            end: span,
        }
    }

    /// The range from the first to the last token of `tokens`.
    pub fn of(tokens: &impl ToTokens) -> SpanRange {
        let mut iter = tokens.to_token_stream().into_iter();
        let start = iter
            .next()
            .map_or_else(Span::call_site, |token| token.span());
        let end = iter.last().map_or(start, |token| token.span());
        SpanRange { start, end }
    }
}

/// The target modes a finding applies to. The macro runs on the host and
/// cannot know the target, so every finding is emitted under a `cfg` gate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TargetArch {
    /// `target_arch = "x86_64"`
    X86_64,
    /// `target_arch = "x86"`
    X86,
}

impl TargetArch {
    /// Every architecture the analysis runs for.
    pub const ALL: [TargetArch; 2] = [TargetArch::X86_64, TargetArch::X86];

    /// The processor mode the template is read in.
    pub fn bitness(self) -> crate::template::ast::Bitness {
        match self {
            TargetArch::X86_64 => crate::template::ast::Bitness::Bits64,
            TargetArch::X86 => crate::template::ast::Bitness::Bits32,
        }
    }

    /// The value of `target_arch` for this mode.
    pub fn cfg_value(self) -> &'static str {
        match self {
            TargetArch::X86_64 => "x86_64",
            TargetArch::X86 => "x86",
        }
    }
}

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Fails compilation.
    Error,
    /// Reported, compilation goes on.
    Warning,
}

/// One thing the analysis has to say about a block.
#[derive(Clone, Debug)]
pub struct Finding {
    /// The rule's name, as users write it in `allow(..)`.
    pub rule: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// Where it points.
    pub span: SpanRange,
    /// The fact, first line of the message.
    pub message: String,
    /// Further facts.
    pub notes: Vec<String>,
    /// What to change.
    pub help: Option<String>,
    /// The template statement concerned, as written, if any.
    pub statement: Option<String>,
    /// `#[cfg(..)]`/`#[cfg_attr(..)]` attributes of the argument the finding
    /// is about (an options group, a template piece): a proc macro cannot
    /// evaluate them, so the error carries them and exists only where the
    /// argument does.
    pub gates: Vec<TokenStream>,
}

impl Finding {
    /// The text shown to users: the fact, then notes, help and the rule name,
    /// aligned the way rustc renders multi-line `compile_error!` messages.
    pub fn render(&self) -> String {
        let mut text = self.message.clone();
        for note in &self.notes {
            text.push_str("\nnote: ");
            text.push_str(note);
        }
        if let Some(help) = &self.help {
            text.push_str("\nhelp: ");
            text.push_str(help);
        }
        text.push_str("\nnote: `checked_asm::");
        text.push_str(self.rule);
        text.push('`');
        text
    }

    /// `#[cfg(target_arch = "…")] ::core::compile_error! { "…" }`, spanned
    /// at the finding's range. Warnings are not rendered here.
    pub fn to_compile_error(&self, archs: &[TargetArch]) -> TokenStream {
        let cfg = cfg_attr(archs);
        let gates = &self.gates;
        let start = self.span.start;
        let end = self.span.end;
        let mut path = TokenStream::new();
        path.extend([
            punct(':', Spacing::Joint, start),
            punct(':', Spacing::Alone, start),
            TokenTree::Ident(Ident::new("core", start)),
            punct(':', Spacing::Joint, start),
            punct(':', Spacing::Alone, start),
            TokenTree::Ident(Ident::new("compile_error", start)),
            punct('!', Spacing::Alone, start),
        ]);
        let mut message = Literal::string(&self.render());
        message.set_span(end);
        let mut body = Group::new(Delimiter::Brace, TokenTree::Literal(message).into());
        body.set_span(end);
        path.extend([TokenTree::Group(body)]);
        quote!(#(#gates)* #cfg #path)
    }
}

impl Finding {
    /// A warning on stable Rust: a deprecated constant, used at the
    /// finding's span, whose deprecation note is the message. It works in
    /// statement and item position alike (`const _: () = { … };`).
    pub fn to_warning(&self) -> TokenStream {
        let note = self.render();
        let name = Ident::new("checked_asm_warning", self.span.start);
        quote! {
            const _: () = {
                #[deprecated(note = #note)]
                #[allow(non_upper_case_globals)]
                const checked_asm_warning: () = ();
                #name
            };
        }
    }
}

fn punct(ch: char, spacing: Spacing, span: Span) -> TokenTree {
    let mut punct = Punct::new(ch, spacing);
    punct.set_span(span);
    TokenTree::Punct(punct)
}

/// `#[cfg(target_arch = "x86_64")]`, or `#[cfg(any(..))]` for several,
/// nothing for none.
fn cfg_attr(archs: &[TargetArch]) -> TokenStream {
    let values = archs.iter().map(|arch| arch.cfg_value());
    if archs.is_empty() {
        TokenStream::new()
    } else if archs.len() == 1 {
        quote!(#[cfg(#(target_arch = #values)*)])
    } else {
        quote!(#[cfg(any(#(target_arch = #values),*))])
    }
}
