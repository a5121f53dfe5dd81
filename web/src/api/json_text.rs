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
        // An object shows its `name` (a project), its `value`, or its
        // `label` with its `score` (a sentiment: "satisfied (score 0.6)").
        let (mut shown, mut label, mut score) = (String::new(), String::new(), String::new());
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "name" => shown = map.next_value::<JsonText>()?.0,
                "value" if shown.is_empty() => shown = map.next_value::<JsonText>()?.0,
                "label" => label = map.next_value::<JsonText>()?.0,
                "score" => score = map.next_value::<JsonText>()?.0,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(
            match (shown.is_empty(), label.is_empty(), score.is_empty()) {
                (false, _, _) => shown,
                (true, false, false) => format!("{label} (score {score})"),
                (true, false, true) => label,
                _ => score,
            },
        )
    }
}
