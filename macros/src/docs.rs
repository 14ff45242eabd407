//! Splits a function's doc comment into the tool description and per-argument descriptions.
//!
//! Arguments are documented rustdoc-style, as a list anywhere before the first section other
//! than `# Arguments`:
//!
//! ```text
//! Get the weather for a city.
//!
//! # Arguments
//!
//! * `city` - City and country, e.g. "Paris, France".
//! * `unit`: The unit, `"c"` or `"f"`;
//!   continued on an indented line.
//! ```
//!
//! A list item counts when its first word (in backticks or not) is an argument name and is
//! followed by `-`, `:` or a dash. Other sections (`# Errors`, `# Examples`, …) are for Rust
//! readers and are left out of the description.

/// The result of [`parse`].
pub(crate) struct Docs {
    pub(crate) description: String,
    pub(crate) args: Vec<(String, String)>,
}

#[derive(PartialEq)]
enum Section {
    Main,
    Arguments,
    Other,
}

pub(crate) fn parse(doc_attrs: &[String], params: &[String]) -> Docs {
    let mut description: Vec<String> = Vec::new();
    let mut args: Vec<(String, String)> = Vec::new();
    let mut section = Section::Main;
    let mut current: Option<usize> = None;
    let mut in_code = false;

    for raw in doc_attrs.iter().flat_map(|a| a.split('\n')) {
        // `/// text` arrives as " text": drop the one leading space rustdoc drops.
        let line = raw.strip_prefix(' ').unwrap_or(raw).trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            in_code = !in_code;
        }
        if !in_code && trimmed.starts_with('#') {
            let title = trimmed.trim_start_matches('#').trim().to_ascii_lowercase();
            section = match title.as_str() {
                "arguments" | "args" | "parameters" | "params" => Section::Arguments,
                _ => Section::Other,
            };
            current = None;
            continue;
        }
        if section == Section::Other {
            continue;
        }
        if !in_code {
            if let Some((name, text)) = arg_item(trimmed, params) {
                args.push((name, text));
                current = Some(args.len() - 1);
                continue;
            }
            if let Some(i) = current {
                if !trimmed.is_empty() && line.starts_with(char::is_whitespace) {
                    let entry = &mut args[i].1;
                    if !entry.is_empty() {
                        entry.push(' ');
                    }
                    entry.push_str(trimmed);
                    continue;
                }
            }
        }
        current = None;
        if section == Section::Main {
            description.push(line.to_owned());
        }
    }

    Docs {
        description: tidy(&description),
        args,
    }
}

/// `* `name` - text` (or `-` bullets, `:`/dash separators, unquoted names) for a known argument.
fn arg_item(line: &str, params: &[String]) -> Option<(String, String)> {
    let rest = line
        .strip_prefix("* ")
        .or_else(|| line.strip_prefix("- "))?
        .trim_start();
    let (name, rest) = match rest.strip_prefix('`') {
        Some(quoted) => {
            let end = quoted.find('`')?;
            (&quoted[..end], &quoted[end + 1..])
        }
        None => {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            (&rest[..end], &rest[end..])
        }
    };
    let name = name.strip_prefix("r#").unwrap_or(name);
    if !params.iter().any(|p| p == name) {
        return None;
    }
    let rest = rest.trim_start();
    let text = ["-", ":", "–", "—"]
        .iter()
        .find_map(|sep| rest.strip_prefix(sep))?
        .trim();
    Some((name.to_owned(), text.to_owned()))
}

/// Joins lines, collapsing runs of blank lines and trimming blank lines at both ends.
fn tidy(lines: &[String]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in lines {
        if line.trim().is_empty() {
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push("");
            }
        } else {
            out.push(line);
        }
    }
    while out.last() == Some(&"") {
        out.pop();
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(|l| format!(" {l}")).collect()
    }

    fn params(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn bullets_in_the_main_text() {
        let d = parse(
            &lines("Get the weather.\n\n* `city` - City and country, e.g. \"Paris, France\".\n* `other` - not an arg"),
            &params(&["city"]),
        );
        assert_eq!(d.description, "Get the weather.\n\n* `other` - not an arg");
        assert_eq!(
            d.args,
            vec![(
                "city".into(),
                "City and country, e.g. \"Paris, France\".".into()
            )]
        );
    }

    #[test]
    fn arguments_section_continuations_and_other_sections() {
        let d = parse(
            &lines(
                "Adds numbers.\n\nSecond paragraph.\n\n# Arguments\n\n- a: the first\n  number, continued\n- `b` — the second\n\n# Errors\n\nNever.",
            ),
            &params(&["a", "b"]),
        );
        assert_eq!(d.description, "Adds numbers.\n\nSecond paragraph.");
        assert_eq!(
            d.args,
            vec![
                ("a".into(), "the first number, continued".into()),
                ("b".into(), "the second".into())
            ]
        );
    }

    #[test]
    fn code_blocks_are_kept_verbatim() {
        let d = parse(
            &lines("Runs code.\n\n```text\n# not a heading\n* `x` - not an arg here\n```"),
            &params(&["x"]),
        );
        assert_eq!(
            d.description,
            "Runs code.\n\n```text\n# not a heading\n* `x` - not an arg here\n```"
        );
        assert!(d.args.is_empty());
    }

    #[test]
    fn empty_docs() {
        let d = parse(&[], &params(&["x"]));
        assert_eq!(d.description, "");
        assert!(d.args.is_empty());
    }
}
