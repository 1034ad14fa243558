//! `minbar-text`: text analysis for an Arabic-first platform.
//!
//! The pieces are small and composable, in the spirit of tantivy's tokenizer module:
//!
//! - [`arabic`]: normalisation and light stemming, matching Apache Lucene's
//!   `ArabicNormalizer` and `ArabicStemmer` in their strict modes and going further in the
//!   default ones (Persian letters, digits, hamza seats, stacked proclitics).
//! - [`turkish`]: Turkish lower-casing (İ/ı rules) and folding to ASCII.
//! - [`analyze`]: the two field kinds, *text* and *name*, producing [`Token`]s that carry
//!   byte offsets into the original string.
//!
//! No I/O happens here.

pub mod analyze;
pub mod arabic;
pub mod mentions;
pub mod turkish;

pub use analyze::{analyze, analyze_with_variants, name_key, FieldKind, Token};
