//! Spec descriptions → rustdoc attributes.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes for a description, made safe for rustdoc: code fences without a
/// language become `text` (so they are not compiled as doctests), and deep indentation outside
/// fences is reduced (so it never turns into an indented, compiled, code block).
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = sanitize(text);
    quote! { #(#[doc = #lines])* }
}

fn sanitize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for raw in text.trim().lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if in_fence {
                in_fence = false;
                out.push(format!(" {trimmed}"));
            } else {
                in_fence = true;
                let lang = trimmed.trim_start_matches('`').trim();
                if lang.is_empty() {
                    out.push(" ```text".to_string());
                } else {
                    out.push(format!(" ```{lang}"));
                }
            }
            continue;
        }
        if in_fence {
            out.push(format!(" {line}"));
            continue;
        }
        let indent = line.len() - trimmed.len();
        let keep = indent.min(2);
        out.push(format!(" {}{}", " ".repeat(keep), trimmed));
    }
    if in_fence {
        out.push(" ```".to_string());
    }
    out
}

/// The first sentence of the first paragraph, for one-line docs of variants and setters.
pub fn first_sentence(text: &str) -> String {
    let para = text
        .trim()
        .split("\n\n")
        .next()
        .unwrap_or("")
        .replace('\n', " ");
    let sentence = match para.find(". ") {
        Some(i) => &para[..=i],
        None => para.as_str(),
    };
    sentence.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_get_a_language_and_indentation_is_capped() {
        let lines = sanitize("Intro\n\n```\nlet x = 1;\n```\n\n        indented\n```json\n{}\n```");
        assert_eq!(
            lines,
            vec![
                " Intro",
                " ",
                " ```text",
                " let x = 1;",
                " ```",
                " ",
                "   indented",
                " ```json",
                " {}",
                " ```"
            ]
        );
        assert_eq!(
            sanitize("```\nunclosed"),
            vec![" ```text", " unclosed", " ```"]
        );
    }

    #[test]
    fn first_sentence_stops_at_period() {
        assert_eq!(
            first_sentence("Object type. Always `text`.\n\nMore."),
            "Object type."
        );
        assert_eq!(first_sentence("No period"), "No period");
    }
}
