//! Hostile YAML stops early with a message, before it can exhaust memory: a "billion laughs"
//! document (aliases that expand exponentially) and one nested far deeper than any device.
//! Both limits are serde-saphyr's defaults, which the core keeps.

use edgevirt_core::Error;

/// `levels` anchors, each a list of nine aliases of the one before: 9^levels nodes expanded.
fn laughs(levels: usize) -> String {
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..levels {
        let aliases = vec![format!("*a{}", i - 1); 9].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{aliases}]\n"));
    }
    text
}

fn syntax_error(text: &str) -> String {
    match edgevirt_core::parse_device(text) {
        Err(Error::Syntax { message }) => message,
        other => panic!("expected a YAML error, got {other:?}"),
    }
}

#[test]
fn an_alias_bomb_is_refused_with_a_message() {
    // 9^10 = 3.5 billion nodes if expanded.
    let message = syntax_error(&laughs(10));
    assert!(message.contains("budget"), "{message}");
    // A few aliases are fine: the limit is on expansion, not on using aliases.
    let small = format!(
        "{}apiVersion: edgevirt.dev/v1alpha1\nkind: EdgeDevice\nmetadata: {{name: x}}\n",
        laughs(2)
    );
    assert!(
        !matches!(
            edgevirt_core::parse_device(&small),
            Err(Error::Syntax { .. })
        ),
        "a small document with aliases is read"
    );
}

#[test]
fn deep_nesting_is_refused_with_a_message() {
    let depth = 100_000;
    let text = format!("a: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    let message = syntax_error(&text);
    assert!(message.contains("recursion limit"), "{message}");
}
