//! Search: an index built from the parsed documents during `build`, split into small files a
//! query loads only as it needs them, for a script that works from `file://` with no network.
//!
//! - [`tokenize`]: how text becomes terms, the same for documents and queries.
//! - [`index`]: scoring and the files.

pub mod index;
pub mod tokenize;
