//! How Kafka's Scala code prints collections in its messages: `mkString(",")`,
//! and the `toString` of a small `Set` or `List` (up to four elements keep
//! their insertion order).

/// `ids.mkString(",")`.
pub fn join(ids: &[i32]) -> String {
    ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}

/// `Set(1, 2)`.
pub fn set<'a>(ids: impl IntoIterator<Item = &'a i32>) -> String {
    format!("Set({})", comma_space(ids))
}

/// `List(1, 2)`.
pub fn list<'a>(ids: impl IntoIterator<Item = &'a i32>) -> String {
    format!("List({})", comma_space(ids))
}

fn comma_space<'a>(ids: impl IntoIterator<Item = &'a i32>) -> String {
    ids.into_iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
