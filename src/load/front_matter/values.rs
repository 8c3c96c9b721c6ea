//! Field values: a value together with where it was written ([`Spanned`]), and converting one
//! field's value to its type, reporting a wrong one at the field.

use std::path::Path;

use crate::dates::{Day, Interval};
use crate::diagnostic::{Diagnostic, Pos};
use crate::rules::Rule;
use crate::yaml::{scalar_text, AsText, Value};

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub pos: Pos,
}

pub(super) fn spanned_list(values: Vec<String>, pos: Pos) -> Vec<Spanned<String>> {
    values
        .into_iter()
        .map(|value| Spanned { value, pos })
        .collect()
}

pub(super) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// Converts one field's value, reporting a wrong type at the field.
pub(super) struct Field<'a> {
    pub(super) key: &'a str,
    pub(super) pos: Pos,
    pub(super) file: &'a Path,
    pub(super) diags: &'a mut Vec<Diagnostic>,
}

impl Field<'_> {
    pub(super) fn error(&mut self, rule: Rule, msg: String) {
        self.diags
            .push(Diagnostic::error(rule, self.file, msg).at(self.pos));
    }

    pub(super) fn warning(&mut self, rule: Rule, msg: String) {
        self.diags
            .push(Diagnostic::warning(rule, self.file, msg).at(self.pos));
    }

    pub(super) fn wrong_type(&mut self, expected: &str, v: &Value) {
        let msg = format!("`{}` must be {expected}, found {}", self.key, type_name(v));
        self.error(Rule::FrontMatterInvalid, msg);
    }

    pub(super) fn string(&mut self, v: Value) -> Option<String> {
        match &v {
            Value::Null => None,
            _ => match scalar_text(&v, AsText::StringsNumbersBooleans) {
                Some(s) if s.trim().is_empty() => None,
                Some(s) => Some(s.trim().to_string()),
                None => {
                    self.wrong_type("a single value", &v);
                    None
                }
            },
        }
    }

    /// A list of scalars; a single string is accepted as a list of one.
    pub(super) fn string_list(&mut self, v: Value) -> Vec<String> {
        match v {
            Value::Null => Vec::new(),
            Value::String(s) if !s.trim().is_empty() => vec![s.trim().to_string()],
            Value::String(_) => Vec::new(),
            Value::Sequence(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in &items {
                    match scalar_text(item, AsText::StringsNumbersBooleans) {
                        Some(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                        Some(_) => {}
                        None => {
                            self.wrong_type("a list of plain values", item);
                            return Vec::new();
                        }
                    }
                }
                out
            }
            other => {
                self.wrong_type("a list", &other);
                Vec::new()
            }
        }
    }

    pub(super) fn number(&mut self, v: Value) -> Option<f64> {
        let n = match &v {
            Value::Null => return None,
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        match n.filter(|n| n.is_finite()) {
            Some(n) => Some(n),
            None => {
                self.wrong_type("a number", &v);
                None
            }
        }
    }

    pub(super) fn date(&mut self, v: Value, rule: Rule) -> Option<Spanned<Day>> {
        let s = match &v {
            Value::Null => return None,
            Value::String(s) => s.trim().to_string(),
            _ => {
                let msg = format!(
                    "`{}` must be a date (YYYY-MM-DD), found {}",
                    self.key,
                    type_name(&v)
                );
                self.error(rule, msg);
                return None;
            }
        };
        // Tools such as Jekyll write a time after the date; the day is what a review needs.
        let day_part = match s.as_bytes().get(10) {
            Some(b'T' | b' ') => &s[..10],
            _ => s.as_str(),
        };
        match day_part.parse::<Day>() {
            Ok(day) => Some(Spanned {
                value: day,
                pos: self.pos,
            }),
            Err(m) => {
                let msg = format!("`{}`: {m}", self.key);
                self.error(rule, msg);
                None
            }
        }
    }

    pub(super) fn interval(&mut self, v: Value) -> Option<Spanned<Interval>> {
        let s = match &v {
            Value::Null => return None,
            Value::String(s) => s.clone(),
            _ => {
                let msg = format!(
                    "`{}` must be an interval such as `6 months`, found {}",
                    self.key,
                    type_name(&v)
                );
                self.error(Rule::ReviewDateInvalid, msg);
                return None;
            }
        };
        match s.parse::<Interval>() {
            Ok(i) => Some(Spanned {
                value: i,
                pos: self.pos,
            }),
            Err(m) => {
                let msg = format!("`{}`: {m}", self.key);
                self.error(Rule::ReviewDateInvalid, msg);
                None
            }
        }
    }
}
