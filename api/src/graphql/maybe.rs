//! Helpers for partial updates.

use async_graphql::MaybeUndefined;

/// `undefined` keeps a field, `null` clears it, a value sets it.
pub fn patch<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}
