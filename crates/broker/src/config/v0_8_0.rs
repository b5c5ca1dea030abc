//! How Kafka 0.8.0 reads its table ([`super::defs::V0_8_0`]): `VerifiableProperties`
//! (`core/src/main/scala/kafka/utils/VerifiableProperties.scala` @0.8.0).
//!
//! - A value is taken as written (`Properties` keeps trailing blanks) and
//!   converted with Scala's `toInt`/`toLong` (`Integer.parseInt`): a bad
//!   number is `java.lang.NumberFormatException: For input string: "…"`.
//! - A range is checked with `require`: `requirement failed: broker.id has
//!   value -1 which is not in the range (0,2147483647).` (lines 72-80).
//! - A boolean must be exactly `true` or `false` (lines 134-142).
//! - Once every setting is read, `verify()` (lines 179-189) logs
//!   `Verifying properties`, then walks `props.propertyNames()` — the
//!   `Hashtable` order of the keys, neither file order nor read order — and
//!   logs `Property X is overridden to V` (INFO) for each key something read
//!   and `Property X is not valid` (WARN) for the others, all from the logger
//!   `kafka.utils.VerifiableProperties`.

use std::collections::BTreeMap;

use super::defs::{DefaultValue, Type, Validator, V0_8_0};
use super::error::{ConfigError, Level, LogLine, ILLEGAL_ARGUMENT};
use super::{java, Props, Value};

const LOGGER: &str = "kafka.utils.VerifiableProperties";

/// Reads every setting of 0.8.0's table from `props`, then verifies.
pub(super) fn read(
    props: &Props,
) -> Result<(BTreeMap<&'static str, Value>, Vec<LogLine>), ConfigError> {
    let mut values: BTreeMap<&'static str, Value> = BTreeMap::new();
    for def in V0_8_0 {
        let raw = props.get(def.name);
        let value = match def.ty {
            Type::Int | Type::Long => {
                let v = match raw {
                    Some(text) => {
                        let parsed = if def.ty == Type::Int {
                            java::parse_int(text).map(i64::from)
                        } else {
                            java::parse_long(text)
                        };
                        parsed.ok_or_else(|| ConfigError::number_format(text))?
                    }
                    None => match default(def.name, def.default, &values)? {
                        Value::Int(v) => v.into(),
                        Value::Long(v) => v,
                        other => unreachable!("numeric default of {}: {other:?}", def.name),
                    },
                };
                if let Validator::Range(min, max) = def.validator {
                    if v < min || v > max {
                        return Err(ConfigError::requirement(format!(
                            "{} has value {v} which is not in the range ({min},{max}).",
                            def.name
                        )));
                    }
                }
                if def.ty == Type::Int {
                    Value::Int(v as i32)
                } else {
                    Value::Long(v)
                }
            }
            Type::Boolean => match raw {
                Some("true") => Value::Boolean(true),
                Some("false") => Value::Boolean(false),
                // The closing quote is missing in Kafka's message too.
                Some(_) => {
                    return Err(ConfigError::requirement(format!(
                        "Unacceptable value for property '{}', boolean values must be either 'true' or 'false",
                        def.name
                    )))
                }
                None => default(def.name, def.default, &values)?,
            },
            Type::Str => {
                let v = match raw {
                    Some(text) => Value::Str(text.to_owned()),
                    None => default(def.name, def.default, &values)?,
                };
                if def.validator == Validator::NonEmptyCsv {
                    let text = match &v {
                        Value::Str(s) => s.as_str(),
                        _ => "",
                    };
                    if csv_list(text).is_empty() {
                        // `require(logDirs.size > 0)`, without a message.
                        return Err(ConfigError::new(ILLEGAL_ARGUMENT, "requirement failed"));
                    }
                }
                v
            }
            Type::IntMap | Type::LongMap => {
                Value::Map(per_topic_map(def.name, raw.unwrap_or(""), def.ty)?)
            }
            other => unreachable!("0.8.0 has no {other:?} settings"),
        };
        values.insert(def.name, value);
    }
    Ok((values, verify(props)))
}

fn default(
    name: &str,
    default: DefaultValue,
    values: &BTreeMap<&'static str, Value>,
) -> Result<Value, ConfigError> {
    Ok(match default {
        DefaultValue::Required => {
            return Err(ConfigError::requirement(format!(
                "Missing required property '{name}'"
            )))
        }
        DefaultValue::Null => Value::Null,
        DefaultValue::Bool(b) => Value::Boolean(b),
        DefaultValue::Int(v) => Value::Int(v),
        DefaultValue::Long(v) => Value::Long(v),
        DefaultValue::Str(s) => Value::Str(s.to_owned()),
        DefaultValue::SameAs(other) => values[other].clone(),
        other => unreachable!("0.8.0 has no {other:?} defaults"),
    })
}

/// `Utils.parseCsvList` @0.8.0: split on `\s*,\s*`, empty entries dropped.
pub(super) fn csv_list(text: &str) -> Vec<String> {
    if text.is_empty() {
        return Vec::new();
    }
    java::split_around(text, ',', false)
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect()
}

/// `VerifiableProperties.getMap(name, _.toInt > 0)` over `Utils.parseCsvMap`
/// @0.8.0: `k1:v1, k2:v2`, each entry split on `\s*:\s*`; any exception
/// becomes `Error parsing configuration property '…': <its message>`.
///
/// The entries are checked in the order Scala 2.8's `toMap` iterates them,
/// which is insertion order for up to four keys; beyond that Scala 2.8's
/// hash trie order is not modelled (insertion order is used).
fn per_topic_map(name: &str, text: &str, ty: Type) -> Result<Vec<(String, i64)>, ConfigError> {
    let wrap = |message: String| {
        ConfigError::new(
            ILLEGAL_ARGUMENT,
            format!("Error parsing configuration property '{name}': {message}"),
        )
    };
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let mut entries: Vec<(String, String)> = Vec::new();
    for entry in java::split_around(text, ',', false) {
        let pair = java::split_around(&entry, ':', false);
        // `pair(1)` on a one-element array: Java 8's message is the index.
        let (Some(k), Some(v)) = (pair.first(), pair.get(1)) else {
            return Err(wrap("1".to_owned()));
        };
        match entries.iter_mut().find(|(ek, _)| ek == k) {
            Some(slot) => slot.1 = v.clone(),
            None => entries.push((k.clone(), v.clone())),
        }
    }
    let mut out = Vec::new();
    for (k, v) in entries {
        let parsed = if ty == Type::IntMap {
            java::parse_int(&v).map(i64::from)
        } else {
            java::parse_long(&v)
        };
        match parsed {
            None => return Err(wrap(java::for_input_string(&v))),
            Some(n) if n <= 0 => {
                return Err(wrap(format!(
                    "Invalid entry '{k}' = '{v}' for property '{name}'"
                )))
            }
            Some(n) => out.push((k, n)),
        }
    }
    Ok(out)
}

/// `VerifiableProperties.verify()`.
fn verify(props: &Props) -> Vec<LogLine> {
    let mut lines = vec![LogLine::new(Level::Info, LOGGER, "Verifying properties")];
    for key in java::property_names(&props.put_order()) {
        let read = V0_8_0.iter().any(|d| d.name == key);
        lines.push(if read {
            let value = props.get(&key).unwrap_or_default();
            LogLine::new(
                Level::Info,
                LOGGER,
                format!("Property {key} is overridden to {value}"),
            )
        } else {
            LogLine::new(Level::Warn, LOGGER, format!("Property {key} is not valid"))
        });
    }
    lines
}
