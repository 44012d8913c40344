//! User templates (extension files and commands), run sandboxed.
//!
//! A template sees only the variables of [`Context`]. The environment has no loader, so
//! `include` and `import` find nothing; there is no file or network access in minijinja; fuel
//! bounds the work a template may do, and the output is capped.

use minijinja::syntax::SyntaxConfig;
use minijinja::{Environment, UndefinedBehavior};

/// Fuel per template: plenty for string formatting, stops runaway loops.
const FUEL: u64 = 50_000;
/// Largest output of one template.
const MAX_OUTPUT: usize = 256 * 1024;

/// The variables a user template can read.
#[derive(Debug, Clone)]
pub(crate) struct Context<'a> {
    pub(crate) name: &'a str,
    pub(crate) namespace: &'a str,
    pub(crate) hostname: &'a str,
}

/// Renders one user template; the error is a message for a diagnostic.
pub(crate) fn render(source: &str, ctx: &Context<'_>) -> Result<String, String> {
    if !source.contains("{{") && !source.contains("{%") && !source.contains("{#") {
        return Ok(source.to_owned());
    }
    // `new` brings the built-in filters and no loader: include and import find nothing.
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    if let Ok(syntax) = SyntaxConfig::builder().keep_trailing_newline(true).build() {
        env.set_syntax(syntax);
    }
    let out = env.render_str(source, minijinja::context! { name => ctx.name, namespace => ctx.namespace, hostname => ctx.hostname }).map_err(|e| format!("is not a valid template: {e}"))?;
    if out.len() > MAX_OUTPUT {
        return Err(format!(
            "renders {} bytes, more than the {MAX_OUTPUT} allowed",
            out.len()
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CTX: Context<'static> = Context {
        name: "dev-1",
        namespace: "ns",
        hostname: "dev-1",
    };

    #[test]
    fn templates_see_the_device_and_nothing_else() {
        assert_eq!(
            render("host={{ hostname }}\n", &CTX).as_deref(),
            Ok("host=dev-1\n")
        );
        assert!(render("{{ secret }}", &CTX).is_err());
        assert!(render("{% include 'x' %}", &CTX).is_err());
    }

    #[test]
    fn runaway_templates_stop() {
        let err = render(
            "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
            &CTX,
        );
        assert!(err.is_err());
    }
}
