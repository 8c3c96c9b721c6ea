//! The site model: every page, its URL, its place in the section tree, and how links resolve.
//!
//! Built from the loaded documents, it is what `render`, `check` and `search` read; they
//! never go back to the file system. Folders are sections; a section is a page with children,
//! whose text comes from its `_index.md`, `index.md` or `README.md` (or from `x.md` beside a
//! folder `x/` that has none). Sections without any of these get a generated page. Drafts stay in
//! the model, unpublished, so links to them can be reported.
//!
//! The model's types and the lookups its readers use (published pages, neighbours, ancestors,
//! hrefs) are `model.rs`; this file declares the parts and re-exports what the rest of the
//! crate names. Building it is `build.rs` (with `generated.rs` for the pages
//! made from data and `outputs.rs` for where files go); navigation order is `nav.rs`; the names
//! links may use are `link_index.rs` and what a link resolves to is `links.rs`; rendered bodies
//! and who links to whom are `bodies.rs`; review dates are `review.rs` and changes made since a
//! review `unreviewed.rs`; URLs are made only in `url.rs`. Unit tests build a site in memory
//! with `testing.rs`.

mod bodies;
mod build;
mod generated;
mod link_index;
mod links;
mod model;
mod nav;
pub mod oncall;
mod outputs;
pub mod reading;
mod rebuild;
pub mod review;
#[cfg(test)]
mod testing;
mod unreviewed;
pub mod url;

pub use model::{Bodies, Generated, LinkTarget, Page, PageId, Site, SiteOptions, HOME};
pub use rebuild::{Change, Inputs, Rebuilt};
