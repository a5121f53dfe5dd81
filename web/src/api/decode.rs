//! Decodes a GraphQL answer's `data` (already parsed to a JSON value) into
//! the types `graphql_client` generates for it.
//!
//! Why not `serde_json::from_value`: its deserializer accepts every shape
//! for every type (a struct from an array or an object, any kind of number)
//! and builds a message naming what was expected for every mismatch. Each
//! generated type gets its own copy of that code, and with ~35 operations
//! it was the largest part of the wasm (docs/PERFORMANCE.md). GraphQL
//! answers have one shape per type, and a mismatch is a bug in the app, not
//! something the person can act on, so this deserializer accepts only that
//! shape and its error says only which field was missing, if any.

use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor,
};
use serde_json::{Map, Value};

/// The answer did not have the shape of the generated type.
#[derive(Debug)]
pub struct DecodeError {
    /// A required field that was absent, when that was the problem.
    pub missing_field: Option<&'static str>,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.missing_field {
            Some(field) => write!(f, "the answer has no field `{field}`"),
            None => f.write_str("the answer does not have the expected shape"),
        }
    }
}

impl std::error::Error for DecodeError {}

impl de::Error for DecodeError {
    // Every message serde would build is dropped unformatted, so the
    // per-type "expected ..." texts are never linked.
    fn custom<T: fmt::Display>(_message: T) -> Self {
        Self::shape()
    }
    fn invalid_type(_: de::Unexpected, _: &dyn de::Expected) -> Self {
        Self::shape()
    }
    fn invalid_value(_: de::Unexpected, _: &dyn de::Expected) -> Self {
        Self::shape()
    }
    fn invalid_length(_: usize, _: &dyn de::Expected) -> Self {
        Self::shape()
    }
    fn unknown_variant(_: &str, _: &'static [&'static str]) -> Self {
        Self::shape()
    }
    fn unknown_field(_: &str, _: &'static [&'static str]) -> Self {
        Self::shape()
    }
    fn missing_field(field: &'static str) -> Self {
        Self {
            missing_field: Some(field),
        }
    }
    fn duplicate_field(_: &'static str) -> Self {
        Self::shape()
    }
}

impl DecodeError {
    fn shape() -> Self {
        Self {
            missing_field: None,
        }
    }
}

/// `data` as `T`.
pub fn from_value<T: DeserializeOwned>(data: Value) -> Result<T, DecodeError> {
    T::deserialize(ValueDeserializer(data))
}

struct ValueDeserializer(Value);

impl ValueDeserializer {
    fn mismatch<T>(&self) -> Result<T, DecodeError> {
        Err(DecodeError::shape())
    }
}

impl<'de> Deserializer<'de> for ValueDeserializer {
    type Error = DecodeError;

    // Only for types that take any JSON (the `JSON` scalar): every other
    // method below handles the one shape GraphQL sends for its type.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => visitor.visit_i64(i),
                None => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => visitor.visit_seq(Items(items.into_iter())),
            Value::Object(fields) => visitor.visit_map(Fields::new(fields)),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Bool(b) => visitor.visit_bool(b),
            _ => self.mismatch(),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0.as_i64() {
            Some(i) => visitor.visit_i64(i),
            None => self.mismatch(),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0.as_f64() {
            Some(f) => visitor.visit_f64(f),
            None => self.mismatch(),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::String(s) => visitor.visit_string(s),
            _ => self.mismatch(),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            value => visitor.visit_some(ValueDeserializer(value)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Items(items.into_iter())),
            _ => self.mismatch(),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Object(fields) => visitor.visit_map(Fields::new(fields)),
            _ => self.mismatch(),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        visitor.visit_newtype_struct(self)
    }

    // An unknown field's value is dropped without being looked at.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_unit()
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_f64(visitor)
    }

    // Shapes no GraphQL answer has for a generated type.
    serde::forward_to_deserialize_any! {
        char bytes byte_buf unit unit_struct tuple tuple_struct enum identifier
    }
}

/// A JSON array's items, one deserializer each.
struct Items(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Items {
    type Error = DecodeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DecodeError> {
        match self.0.next() {
            Some(item) => seed.deserialize(ValueDeserializer(item)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// A JSON object's fields: each key, then its value.
struct Fields {
    fields: serde_json::map::IntoIter,
    value: Option<Value>,
}

impl Fields {
    fn new(fields: Map<String, Value>) -> Self {
        Self {
            fields: fields.into_iter(),
            value: None,
        }
    }
}

impl<'de> MapAccess<'de> for Fields {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DecodeError> {
        match self.fields.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(Key(key)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, DecodeError> {
        // serde asks for a value only after its key; a missing one reads as null.
        seed.deserialize(ValueDeserializer(self.value.take().unwrap_or(Value::Null)))
    }
}

/// An object key: a field name to a derived struct, a `String` to a map.
struct Key(String);

impl<'de> Deserializer<'de> for Key {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_string(self.0)
    }

    // Field names are matched as `&str`, with no copy.
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_str(&self.0)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum ignored_any
    }
}
