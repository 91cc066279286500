//! Checks an HR admin's plugin config against the schema the plugin declares.
//!
//! Plugins describe their config in JSON Schema style (`plugins/ABI.md`). The
//! SDK's schemas use a small subset, which this checks: `type`, `properties`,
//! `required`, `additionalProperties`, `enum`, `minimum`/`maximum`,
//! `minLength`/`maxLength`, `items` and `const`. Keywords it does not know
//! (`title`, `default`, `description`, …) are ignored, so a schema never makes
//! a config fail for a reason the admin cannot see.

use serde_json::Value;

use crate::i18n::Msg;

/// Why a config does not fit: the field (a JSON pointer-ish path, `config` for
/// the whole document) and a sentence an HR admin can act on.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    /// Where: `config`, `config.couples_cost`, `config.colors.winter`, `config.items[2]`.
    pub field: String,
    /// What is wrong.
    pub message: Msg,
}

impl ConfigError {
    /// `field: what is wrong`, in `lang`.
    pub fn text(&self, lang: &str) -> String {
        format!("{}: {}", self.field, self.message.text(lang))
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(crate::i18n::FALLBACK))
    }
}

/// Every way `config` breaks `schema`; empty when it fits.
pub fn validate(schema: &Value, config: &Value) -> Vec<ConfigError> {
    let mut errors = Vec::new();
    check(schema, config, "config", &mut errors);
    errors
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn is_type(value: &Value, wanted: &str) -> bool {
    let actual = type_name(value);
    actual == wanted || (wanted == "number" && actual == "integer")
}

fn check(schema: &Value, value: &Value, path: &str, errors: &mut Vec<ConfigError>) {
    let Some(schema) = schema.as_object() else {
        // `true`/`{}` accept anything; `false` accepts nothing.
        if schema == &Value::Bool(false) {
            push(errors, path, Msg::new("plugins-schema-not-allowed"));
        }
        return;
    };
    let error = |errors: &mut Vec<ConfigError>, message: Msg| push(errors, path, message);

    match schema.get("type") {
        Some(Value::String(t)) if !is_type(value, t) => {
            return error(
                errors,
                Msg::new("plugins-schema-type")
                    .arg("expected", t.clone())
                    .arg("actual", type_name(value)),
            );
        }
        Some(Value::Array(types)) => {
            let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
            if !names.iter().any(|t| is_type(value, t)) {
                return error(
                    errors,
                    Msg::new("plugins-schema-types")
                        .arg("expected", names.join(", "))
                        .arg("actual", type_name(value)),
                );
            }
        }
        _ => {}
    }

    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            let list: Vec<String> = allowed.iter().map(Value::to_string).collect();
            error(
                errors,
                Msg::new("plugins-schema-enum").arg("values", list.join(", ")),
            );
        }
    }
    if let Some(constant) = schema.get("const") {
        if constant != value {
            error(
                errors,
                Msg::new("plugins-schema-const").arg("value", constant.to_string()),
            );
        }
    }

    if let Some(n) = value.as_f64() {
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
            if n < min {
                error(
                    errors,
                    Msg::new("plugins-schema-minimum").arg("bound", schema["minimum"].to_string()),
                );
            }
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
            if n > max {
                error(
                    errors,
                    Msg::new("plugins-schema-maximum").arg("bound", schema["maximum"].to_string()),
                );
            }
        }
    }

    if let Some(s) = value.as_str() {
        let len = s.chars().count() as u64;
        if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
            if len < min {
                error(
                    errors,
                    Msg::new("plugins-schema-min-length").arg("count", min),
                );
            }
        }
        if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
            if len > max {
                error(
                    errors,
                    Msg::new("plugins-schema-max-length").arg("count", max),
                );
            }
        }
    }

    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, item) in array.iter().enumerate() {
            check(items, item, &format!("{path}[{i}]"), errors);
        }
    }

    if let Some(object) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            for name in required.iter().filter_map(Value::as_str) {
                if !object.contains_key(name) {
                    push(
                        errors,
                        &format!("{path}.{name}"),
                        Msg::new("plugins-schema-required"),
                    );
                }
            }
        }
        for (name, field) in object {
            let field_path = format!("{path}.{name}");
            match properties.and_then(|p| p.get(name)) {
                Some(field_schema) => check(field_schema, field, &field_path, errors),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        let known: Vec<&str> = properties
                            .map(|p| p.keys().map(String::as_str).collect())
                            .unwrap_or_default();
                        let message = if known.is_empty() {
                            Msg::new("plugins-schema-unknown")
                        } else {
                            Msg::new("plugins-schema-unknown-known")
                                .arg("settings", known.join(", "))
                        };
                        push(errors, &field_path, message);
                    }
                    Some(extra @ Value::Object(_)) => check(extra, field, &field_path, errors),
                    _ => {}
                },
            }
        }
    }
}

fn push(errors: &mut Vec<ConfigError>, path: &str, message: Msg) {
    errors.push(ConfigError {
        field: path.to_owned(),
        message,
    });
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn credit_rules_schema() -> Value {
        json!({
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "base_cost": {"type": "integer", "minimum": 0, "default": 1},
                "couples_cost": {"type": "integer", "minimum": 0, "maximum": 10},
                "hemisphere": {"type": "string", "enum": ["north", "south"]},
                "colors": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 7}}
            },
            "required": ["base_cost"]
        })
    }

    fn messages(config: Value) -> Vec<String> {
        crate::i18n::init(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes"))
            .expect("catalogue");
        validate(&credit_rules_schema(), &config)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_config_that_fits_has_no_errors() {
        assert!(
            messages(json!({"base_cost": 1, "couples_cost": 2, "hemisphere": "south"})).is_empty()
        );
        assert!(messages(json!({"base_cost": 1.0})).is_empty());
    }

    #[test]
    fn each_field_that_does_not_fit_is_named_with_the_reason() {
        assert_eq!(
            messages(json!({"base_cost": "two"})),
            ["config.base_cost: must be an integer, not string"]
        );
        assert_eq!(
            messages(json!({"base_cost": -1, "couples_cost": 11})),
            [
                "config.base_cost: must be at least 0",
                "config.couples_cost: must be at most 10"
            ]
        );
        assert_eq!(
            messages(json!({"base_cost": 1, "hemisphere": "east"})),
            ["config.hemisphere: must be one of \"north\", \"south\""]
        );
        assert_eq!(messages(json!({})), ["config.base_cost: is required"]);
        assert_eq!(
            messages(json!({"base_cost": 1, "colour": 1})),
            ["config.colour: is not a setting of this plugin (settings: base_cost, colors, couples_cost, hemisphere)"]
        );
        assert_eq!(
            messages(json!({"base_cost": 1, "colors": {"winter": "#123456789"}})),
            ["config.colors.winter: must be at most 7 characters long"]
        );
        assert_eq!(
            messages(json!([1])),
            ["config: must be an object, not array"]
        );
    }

    #[test]
    fn an_icelandic_admin_reads_why_in_icelandic() {
        let _ = messages(json!({}));
        let errors = validate(
            &credit_rules_schema(),
            &json!({"base_cost": "two", "colour": 1}),
        );
        let is: Vec<String> = errors.iter().map(|e| e.text("is")).collect();
        assert_eq!(
            is,
            [
                "config.base_cost: verður að vera heiltala, ekki texti",
                "config.colour: er ekki stilling þessarar viðbótar (stillingar: base_cost, colors, couples_cost, hemisphere)"
            ]
        );
    }

    #[test]
    fn unknown_keywords_and_empty_schemas_accept_anything() {
        assert!(validate(&json!({"title": "x", "x-ui": 1}), &json!({"a": 1})).is_empty());
        assert!(validate(&json!(true), &json!(null)).is_empty());
    }
}
