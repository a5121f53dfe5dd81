//! The `JSON` scalar as the app needs it: only shown, so decoded straight
//! to display text (strings bare, lists comma-separated). Smaller in wasm
//! than `serde_json::Value`, whose printing links a float formatter.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

#[derive(Clone, PartialEq, Default)]
pub struct JsonText(pub String);

impl<'de> Deserialize<'de> for JsonText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor).map(JsonText)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(if v { "yes" } else { "no" }.to_owned())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        // Two decimals at most, without trailing zeros ("0.5", "3").
        let text = crate::format::fixed(v, 2);
        Ok(if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_owned()
        } else {
            text
        })
    }
    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok(String::new())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<String, A::Error> {
        let mut items = Vec::new();
        while let Some(JsonText(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(items.join(", "))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
        // An object (a project, a sentiment with its score) shows its
        // `name` or `value`.
        let mut shown = String::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == "name" || (key == "value" && shown.is_empty()) {
                shown = map.next_value::<JsonText>()?.0;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(shown)
    }
}
