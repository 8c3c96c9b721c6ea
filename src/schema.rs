//! `handbook schema`: JSON Schemas (draft 2020-12) of handbook.yaml, front matter and the team
//! data, for editors (yaml-language-server, VS Code) to complete and check as people type.
//!
//! Each is made from what the loader itself reads: handbook.yaml from its `RawConfig` type
//! (derived), front matter from [`FIELDS`] and the handbook's own field aliases, the team data
//! from the team loader's field tables; rule names and kinds come from their lists. Tests feed
//! each shape's sample to the parsers, so a schema cannot accept what the loader refuses.

use serde_json::{json, Map, Value};

use crate::rules::Rule;

use crate::fields::{
    FieldAliases, Shape, ACKNOWLEDGEMENT_FIELDS, FIELDS, FOREIGN_FIELDS, PERSON_FIELDS,
    ROLE_FIELDS, ROTATION_FIELDS, TEAM_FIELDS,
};
use crate::model::{Kind, Status};

const DAY: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
const DATE: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ].*)?$";
/// A local time as a rota reads it: a day, perhaps with a time of day.
const LOCAL_TIME: &str = "^ *[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)? *$";
/// As `Interval::from_str` reads it: a count, then a unit in any case, with or without a space.
const INTERVAL: &str = "^ *[0-9]+ *([dD]([aA][yY][sS]?)?|[wW]([eE][eE][kK][sS]?)?|[mM]([oO][nN][tT][hH][sS]?)?|[yY]([eE][aA][rR][sS]?)?) *$";

impl Shape {
    /// The JSON Schema of a value of this shape. `null` is always allowed: an empty field is
    /// an unset one.
    pub fn schema(self) -> Value {
        let plain = json!({"type": ["string", "number", "boolean", "null"]});
        match self {
            Shape::Text => plain,
            Shape::List => json!({"anyOf": [plain, {"type": "array", "items": plain}]}),
            Shape::Strings => json!({"type": ["array", "null"], "items": plain}),
            Shape::Number => json!({"anyOf": [
                {"type": ["number", "null"]},
                {"type": "string", "pattern": "^ *-?[0-9]+(\\.[0-9]+)? *$"}
            ]}),
            Shape::Date => json!({"type": ["string", "null"], "pattern": DATE}),
            Shape::Day => json!({"type": ["string", "null"], "pattern": DAY}),
            Shape::Interval => json!({
                "type": ["string", "null"],
                "pattern": INTERVAL,
                "examples": ["30 days", "6 months", "1 year"]
            }),
            Shape::Kind => {
                let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                names(&kinds, false)
            }
            Shape::Status => {
                let names_: Vec<&str> = Status::NAMES.iter().map(|(n, _)| *n).collect();
                names(&names_, true)
            }
            Shape::Certifications => json!({
                "type": ["array", "null"],
                "items": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string"},
                        "expires": Shape::Day.schema()
                    }
                }
            }),
            Shape::Zone => json!({
                "type": ["string", "null"],
                "examples": ["Europe/London", "America/New_York", "UTC"]
            }),
            Shape::Shift => json!({
                "type": ["string", "null"],
                "pattern": "^ *[0-9]+ *([hH]([oO][uU][rR][sS]?)?|[dD]([aA][yY][sS]?)?|[wW]([eE][eE][kK][sS]?)?) *$",
                "examples": ["1 week", "1 day", "12 hours"]
            }),
            Shape::Coverage => json!({
                "type": ["string", "null"],
                "examples": ["24x7", "business-hours"]
            }),
            Shape::LocalTime => json!({
                "type": ["string", "null"],
                "pattern": LOCAL_TIME,
                "examples": ["2026-11-02 09:00"]
            }),
            Shape::Absences => json!({
                "type": ["array", "null"],
                "items": {
                    "type": "object",
                    "required": ["from"],
                    "properties": {"from": Shape::Day.schema(), "to": Shape::Day.schema()}
                }
            }),
            Shape::Overrides => json!({
                "type": ["array", "null"],
                "items": {
                    "type": "object",
                    "required": ["from", "to", "person"],
                    "properties": {
                        "from": Shape::LocalTime.schema(),
                        "to": Shape::LocalTime.schema(),
                        "person": {"type": "string"}
                    }
                }
            }),
            Shape::Windows => json!({
                "type": ["array", "null"],
                "items": {
                    "type": "object",
                    "required": ["days", "from", "to"],
                    "properties": {
                        "days": {"type": "string", "examples": ["mon-fri", "sat,sun", "daily"]},
                        "from": {"type": "string", "pattern": "^ *[0-9]{1,2}:[0-9]{2} *$"},
                        "to": {"type": "string", "pattern": "^ *[0-9]{1,2}:[0-9]{2} *$"}
                    }
                }
            }),
        }
    }
}

/// One of `names` as the parsers read them: in any case, with spaces around, and (`dashes`)
/// `-` also written `_` or a space. The names themselves are listed for completion.
fn names(names: &[&str], dashes: bool) -> Value {
    let spelled: Vec<String> = names
        .iter()
        .map(|name| {
            name.chars()
                .map(|c| match c {
                    c if c.is_ascii_alphabetic() => {
                        format!("[{}{}]", c.to_ascii_lowercase(), c.to_ascii_uppercase())
                    }
                    '-' if dashes => "[-_ ]".into(),
                    c => c.to_string(),
                })
                .collect()
        })
        .collect();
    json!({"anyOf": [
        {"enum": names},
        {"type": "string", "pattern": format!("^ *({}) *$", spelled.join("|"))},
        {"type": "null"}
    ]})
}

/// The JSON Schema of handbook.yaml: derived from the config type, with the names it accepts
/// as keys and values (rules, kinds, fields) filled in from their lists.
pub fn config() -> Value {
    let mut schema = crate::config::schema();
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    let rules: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
    let fields: Vec<&str> = FIELDS.iter().map(|f| f.0).collect();
    if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        let mut names = |key: &str, names: &[&str]| {
            if let Some(p) = props.get_mut(key).and_then(Value::as_object_mut) {
                p.insert("propertyNames".into(), json!({"enum": names}));
            }
        };
        names("default_review", &kinds);
        names("required_sections", &kinds);
        names("rules", &rules);
        if let Some(p) = props
            .get_mut("field_aliases")
            .and_then(Value::as_object_mut)
        {
            p.insert("additionalProperties".into(), json!({"enum": fields}));
        }
    }
    schema
}

/// The JSON Schema of a document's front matter in this handbook: our fields, the names other
/// tools and this handbook's `field_aliases` give them, and other tools' layout fields. Any
/// other key is flagged, as `check` warns of it (`front-matter-unknown-field`).
pub fn front_matter(aliases: &FieldAliases) -> Value {
    let mut props = Map::new();
    for &(name, shape, about) in FIELDS {
        let mut s = shape.schema();
        s["description"] = json!(about);
        props.insert(name.into(), s);
    }
    for (alias, field) in aliases.iter() {
        if props.contains_key(alias) {
            continue;
        }
        let Some(&(_, shape, _)) = FIELDS.iter().find(|f| f.0 == field) else {
            continue;
        };
        let mut s = shape.schema();
        s["description"] = json!(format!("Read as `{field}`."));
        props.insert(alias.into(), s);
    }
    for name in FOREIGN_FIELDS {
        props
            .entry(*name)
            .or_insert_with(|| json!({"description": "Another tool's field, kept for templates."}));
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "handbook front matter",
        "type": ["object", "null"],
        "properties": props,
        "additionalProperties": false
    })
}

/// One entry of the team data: its fields, anything else allowed (kept for templates).
fn entry(fields: &[(&str, Shape)], id_required: bool) -> Value {
    let props: Map<String, Value> = fields
        .iter()
        .map(|&(name, shape)| (name.to_string(), shape.schema()))
        .collect();
    let mut s = json!({"type": "object", "properties": props});
    if id_required {
        s["required"] = json!(["id"]);
    }
    s
}

/// A list of entries with ids, or a mapping of entries by id.
fn entries(fields: &[(&str, Shape)]) -> Value {
    json!({"anyOf": [
        {"type": "array", "items": entry(fields, true)},
        {"type": "object", "additionalProperties": {"anyOf": [entry(fields, false), {"type": "null"}]}},
        {"type": "null"}
    ]})
}

/// The JSON Schema of a team data file: `people`, `teams`, `roles`, `rotations` and
/// `acknowledgements`, or
/// only people (a list,
/// or a mapping by id of entries with a `name`).
pub fn team() -> Value {
    let mut people_by_id = entry(PERSON_FIELDS, false);
    people_by_id["required"] = json!(["name"]);
    let mut acknowledgement = entry(ACKNOWLEDGEMENT_FIELDS, false);
    acknowledgement["required"] = json!(["person", "document"]);
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "handbook team data",
        "anyOf": [
            {
                "type": "object",
                "properties": {
                    "people": entries(PERSON_FIELDS),
                    "teams": entries(TEAM_FIELDS),
                    "roles": entries(ROLE_FIELDS),
                    "rotations": entries(ROTATION_FIELDS),
                    "acknowledgements": {"type": "array", "items": acknowledgement}
                },
                "anyOf": [
                    {"required": ["people"]},
                    {"required": ["teams"]},
                    {"required": ["roles"]},
                    {"required": ["rotations"]},
                    {"required": ["acknowledgements"]}
                ]
            },
            {"type": "array", "items": entry(PERSON_FIELDS, true)},
            {"type": "object", "additionalProperties": people_by_id}
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;
    use crate::load::front_matter::{split, FrontMatter};

    fn parse(yaml: &str) -> Vec<Diagnostic> {
        let text = format!("---\n{yaml}---\n");
        let block = split(&text).block.unwrap();
        let mut diags = Vec::new();
        FrontMatter::parse(
            &block,
            &FieldAliases::default(),
            std::path::Path::new("a.md"),
            &mut diags,
        );
        diags
    }

    #[test]
    fn the_parser_takes_a_sample_of_every_field_shape() {
        let mut yaml = String::new();
        for (name, shape, _) in FIELDS {
            yaml.push_str(&format!("{name}: {}\n", shape.sample_yaml()));
        }
        let diags = parse(&yaml);
        assert!(diags.is_empty(), "{diags:?}\n{yaml}");
    }

    #[test]
    fn what_the_patterns_refuse_the_parser_refuses() {
        // Values outside each shape's pattern or list: the parser reports every one.
        for (field, bad) in [
            ("last_reviewed", "31/01/2026"),
            ("review_every", "often"),
            ("review_every", "6 fortnights"),
            ("kind", "memo"),
            ("order", "first"),
        ] {
            let diags = parse(&format!("{field}: {bad}\n"));
            assert_eq!(diags.len(), 1, "{field}: {bad}: {diags:?}");
        }
        let status = parse("status: shelved\n");
        assert_eq!(status[0].rule, Rule::StatusUnknown);
    }

    #[test]
    fn the_config_schema_names_every_key_the_loader_takes() {
        let schema = config();
        let props = schema["properties"].as_object().unwrap();
        for key in ["title", "content", "exclude", "rules", "field_aliases"] {
            assert!(props.contains_key(key), "{key}");
        }
        assert_eq!(schema["additionalProperties"], json!(false));
        let rules = props["rules"]["propertyNames"]["enum"].as_array().unwrap();
        assert!(rules.contains(&json!(Rule::ReviewOverdue)));
    }
}
