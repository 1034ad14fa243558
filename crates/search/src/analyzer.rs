//! `minbar-text`'s analysers as tantivy tokenizers.

use minbar_text::FieldKind;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::Index;

/// A tantivy tokenizer running one of `minbar-text`'s field analysers.
#[derive(Clone)]
pub struct MinbarTokenizer(pub FieldKind);

pub struct MinbarTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for MinbarTokenizer {
    type TokenStream<'a> = MinbarTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> MinbarTokenStream {
        let tokens = minbar_text::analyze_with_variants(text, self.0)
            .into_iter()
            .map(|t| Token {
                offset_from: t.start,
                offset_to: t.end,
                position: t.position,
                text: t.text,
                position_length: 1,
            })
            .collect();
        MinbarTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for MinbarTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// Register `minbar_name` and `minbar_text` on an index.
pub fn register(index: &Index) {
    let m = index.tokenizers();
    m.register(
        "minbar_name",
        TextAnalyzer::from(MinbarTokenizer(FieldKind::Name)),
    );
    m.register(
        "minbar_text",
        TextAnalyzer::from(MinbarTokenizer(FieldKind::Text)),
    );
}
