//! Search: an index built from the parsed documents during `build`, split into small files a
//! query loads only as it needs them, for a script that works from `file://` with no network.
//!
//! - [`tokenize`]: how text becomes terms, the same for documents and queries.
//! - [`index`]: the index: scoring (BM25F impacts), records, each word's best pages with their
//!   snippets, and the encoding of the files.

pub mod index;
pub mod tokenize;
