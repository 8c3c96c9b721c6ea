//! Integration tests, one module per feature, all through the `HandbookTest` harness.

mod harness;

mod acknowledgements;
mod adopt;
mod build;
mod check;
mod cli;
mod codeowners;
mod compat;
mod crawl;
mod directory;
mod front_matter;
mod governance;
mod includes;
mod links;
mod markdown;
mod nav;
mod oncall;
mod output_safety;
mod properties;
mod report;
mod robustness;
mod rules;
mod safety;
mod schema;
mod search;
mod serve;
mod sources;
mod theme;
