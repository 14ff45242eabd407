//! Models past or near their end of life: a warning (through `tracing`) when one is used, as
//! the official SDKs warn on `create`, `stream`, `parse` and the tool runner.

/// Deprecated model ids and their end-of-life dates (the official SDKs' list).
pub const DEPRECATED_MODELS: &[(&str, &str)] = &[
    ("claude-1.3", "November 6th, 2024"),
    ("claude-1.3-100k", "November 6th, 2024"),
    ("claude-instant-1.1", "November 6th, 2024"),
    ("claude-instant-1.1-100k", "November 6th, 2024"),
    ("claude-instant-1.2", "November 6th, 2024"),
    ("claude-3-sonnet-20240229", "July 21st, 2025"),
    ("claude-2.1", "July 21st, 2025"),
    ("claude-2.0", "July 21st, 2025"),
    ("claude-3-opus-20240229", "January 5th, 2026"),
    ("claude-3-7-sonnet-latest", "February 19th, 2026"),
    ("claude-3-7-sonnet-20250219", "February 19th, 2026"),
];

/// The warning for a deprecated model, if `model` is one.
pub fn deprecation_warning(model: &str) -> Option<String> {
    DEPRECATED_MODELS.iter().find(|(m, _)| *m == model).map(|(m, eol)| {
        format!(
            "The model '{m}' is deprecated and will reach end-of-life on {eol}. Please migrate to a newer model. \
             Visit https://docs.anthropic.com/en/docs/resources/model-deprecations for more information."
        )
    })
}

/// Logs the warning for a deprecated model (at `warn` level, target `anthropic`).
pub(crate) fn warn_if_deprecated(model: &str) {
    if let Some(message) = deprecation_warning(model) {
        tracing::warn!(target: "anthropic", "{message}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_deprecated_models_warn_and_others_do_not() {
        let w = deprecation_warning("claude-3-opus-20240229").unwrap();
        assert!(w.contains("January 5th, 2026"), "{w}");
        assert!(deprecation_warning("claude-sonnet-4-5").is_none());
        assert!(deprecation_warning("").is_none());
    }
}
