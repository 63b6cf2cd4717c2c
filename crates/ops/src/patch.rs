//! Partial updates: absent members stay as they are, `null` clears an optional one.

use serde::{Deserialize, Deserializer};

/// For PATCH: distinguishes an absent member (`None`) from an explicit `null` (`Some(None)`).
pub fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Sets `target` when the patch has a value for it.
pub fn set<T>(target: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *target = v;
    }
}
