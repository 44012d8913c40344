//! Syntax colouring for the YAML preview: the text cut into spans, each with a class. Only the
//! YAML the core writes is expected (block style, `---` separators), but any text comes out
//! whole: joining the spans gives the input back, so the preview never shows less than is
//! downloaded.

/// What a span of the preview is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Indentation, `- `, `: ` and line ends.
    Plain,
    /// A mapping key.
    Key,
    /// A quoted or plain string value.
    Text,
    /// A number, `true`, `false` or `null`.
    Literal,
    /// A `#` comment, a `---` separator, a `|` or `>` block header.
    Mark,
    /// The content of a block scalar (cloud-config, scripts), shown as it is.
    Block,
}

impl Class {
    /// The CSS class of the span (`None` for plain text, which needs no span).
    pub(crate) fn css(self) -> Option<&'static str> {
        match self {
            Class::Plain => None,
            Class::Key => Some("y-key"),
            Class::Text => Some("y-str"),
            Class::Literal => Some("y-lit"),
            Class::Mark => Some("y-mark"),
            Class::Block => Some("y-block"),
        }
    }
}

/// Cuts `text` into classified spans, in order.
pub(crate) fn spans(text: &str) -> Vec<(Class, &str)> {
    let mut out = Vec::new();
    // The indentation a block scalar's content must exceed, while inside one.
    let mut block_indent: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let indent = body.len() - body.trim_start_matches(' ').len();
        if let Some(parent) = block_indent {
            if body.trim().is_empty() || indent > parent {
                out.push((Class::Block, line));
                continue;
            }
            block_indent = None;
        }
        if line_spans(line, indent, &mut out) {
            block_indent = Some(indent);
        }
    }
    out
}

/// Classifies one line (not inside a block scalar); returns whether it opens a block scalar.
fn line_spans<'a>(line: &'a str, indent: usize, out: &mut Vec<(Class, &'a str)>) -> bool {
    let (content, end) = line.split_at(line.trim_end_matches('\n').len());
    let trimmed = &content[indent..];
    if trimmed == "---" || trimmed.starts_with('#') {
        out.push((Class::Plain, &content[..indent]));
        out.push((Class::Mark, trimmed));
        out.push((Class::Plain, end));
        return false;
    }
    // Indentation and any `- ` list markers.
    let mut start = indent;
    while content[start..].starts_with("- ") {
        start += 2;
    }
    out.push((Class::Plain, &content[..start]));
    let rest = &content[start..];
    let value = match key_end(rest) {
        Some(colon) => {
            out.push((Class::Key, &rest[..colon]));
            let after = &rest[colon..];
            let gap = 1 + after[1..].len() - after[1..].trim_start().len();
            out.push((Class::Plain, &after[..gap]));
            &after[gap..]
        }
        None => rest,
    };
    let opens_block = value.starts_with('|') || value.starts_with('>');
    if !value.is_empty() {
        out.push((value_class(value), value));
    }
    out.push((Class::Plain, end));
    opens_block
}

/// Where the key of `key: value` (or `key:`) ends, for a plain or quoted key.
fn key_end(text: &str) -> Option<usize> {
    let search_from = match text.chars().next()? {
        quote @ ('"' | '\'') => 1 + text[1..].find(quote)? + 1,
        _ => 0,
    };
    let colon = search_from + text[search_from..].find(':')?;
    let after = &text[colon + 1..];
    let key = &text[..colon];
    let plain_key = search_from > 0 || !key.contains([' ', '"', '\'', '{', '[']);
    (plain_key && (after.is_empty() || after.starts_with(' '))).then_some(colon)
}

fn value_class(value: &str) -> Class {
    if value.starts_with('|') || value.starts_with('>') || value.starts_with('#') {
        return Class::Mark;
    }
    let literal = matches!(value, "true" | "false" | "null" | "~")
        || value.parse::<f64>().is_ok() && !value.starts_with(['+', '.']);
    if literal { Class::Literal } else { Class::Text }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STREAM: &str = "---\n# a comment\napiVersion: kubevirt.io/v1\nkind: VirtualMachine\n\
        spec:\n  running: true\n  replicas: 2\n  mode: \"0600\"\n  ports:\n  - name: amqps\n    \
        port: 5671\n  userData: |\n    #cloud-config\n    key: not a key here\n\n    - x\n  \
        after: \"a: b\"\n'quoted: key': v\nurl: http://h:8080/x\nlast: no newline";

    fn classes_of<'a>(spans: &[(Class, &'a str)], class: Class) -> Vec<&'a str> {
        spans
            .iter()
            .filter(|(c, _)| *c == class)
            .map(|(_, t)| *t)
            .collect()
    }

    #[test]
    fn joining_the_spans_gives_the_text_back() {
        for text in [
            STREAM,
            "",
            "\n",
            "a",
            "- - x: y\n",
            "k: |\n",
            ": odd\n",
            "\"open: x\n",
        ] {
            let joined: String = spans(text).iter().map(|(_, t)| *t).collect();
            assert_eq!(joined, text);
        }
    }

    #[test]
    fn keys_values_and_marks_are_told_apart() {
        let spans = spans(STREAM);
        let keys = classes_of(&spans, Class::Key);
        assert_eq!(
            keys,
            [
                "apiVersion",
                "kind",
                "spec",
                "running",
                "replicas",
                "mode",
                "ports",
                "name",
                "port",
                "userData",
                "after",
                "'quoted: key'",
                "url",
                "last"
            ]
        );
        assert_eq!(classes_of(&spans, Class::Literal), ["true", "2", "5671"]);
        assert!(classes_of(&spans, Class::Text).contains(&"\"0600\""));
        assert!(classes_of(&spans, Class::Text).contains(&"http://h:8080/x"));
        assert_eq!(classes_of(&spans, Class::Mark), ["---", "# a comment", "|"]);
    }

    #[test]
    fn block_scalar_content_is_left_as_it_is() {
        let spans = spans(STREAM);
        let block: String = classes_of(&spans, Class::Block).concat();
        assert_eq!(
            block,
            "    #cloud-config\n    key: not a key here\n\n    - x\n"
        );
    }
}
