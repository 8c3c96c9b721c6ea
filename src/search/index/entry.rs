//! The unit the index is built from: one searchable page with the text sections of its body,
//! which every stage (scoring, records, heads) reads.

use crate::markdown::TextSection;
use crate::site::Page;

/// One searchable page.
pub(super) struct Entry<'a> {
    pub(super) page: &'a Page,
    pub(super) sections: &'a [TextSection],
}
