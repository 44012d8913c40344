//! User templates (extension files and commands, fleet templates), run sandboxed.
//!
//! Every user template runs in the environment [`sandbox`] makes: it has no loader, so `include`
//! and `import` find nothing; there is no file or network access in minijinja; an undefined
//! variable is an error that names it; fuel bounds the work one render may do, and the output is
//! capped. A template sees only the variables it is given: [`Context`] for extensions, the row
//! of a fleet for fleet templates.

use minijinja::syntax::SyntaxConfig;
use minijinja::{Environment, ErrorKind, Template, UndefinedBehavior, Value};

/// Fuel per render: plenty for string formatting, stops runaway loops.
const FUEL: u64 = 50_000;
/// Largest output of one render.
const MAX_OUTPUT: usize = 256 * 1024;

/// The variables an extension template can read.
#[derive(Debug, Clone)]
pub(crate) struct Context<'a> {
    pub(crate) name: &'a str,
    pub(crate) namespace: &'a str,
    pub(crate) hostname: &'a str,
    /// The variables of the fleet row the device was made from; the three above win.
    pub(crate) row: Option<&'a Value>,
}

/// Whether `source` has template syntax; text without it renders to itself.
pub(crate) fn is_template(source: &str) -> bool {
    source.contains("{{") || source.contains("{%") || source.contains("{#")
}

/// The environment every user template runs in.
pub(crate) fn sandbox() -> Environment<'static> {
    // `new` brings the built-in filters and no loader: include and import find nothing.
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    if let Ok(syntax) = SyntaxConfig::builder().keep_trailing_newline(true).build() {
        env.set_syntax(syntax);
    }
    env
}

/// A template compiled once and rendered many times, e.g. for every device of a fleet.
pub(crate) struct Compiled<'env, 'source> {
    template: Template<'env, 'source>,
    /// The variables the template reads without setting them, to name the missing one.
    reads: Vec<String>,
}

impl<'env, 'source> Compiled<'env, 'source> {
    /// Compiles `source`; the error is a message for a diagnostic.
    pub(crate) fn new(
        env: &'env Environment<'static>,
        source: &'source str,
    ) -> Result<Self, String> {
        let template = env
            .template_from_str(source)
            .map_err(|e| format!("is not a valid template: {e}"))?;
        let mut reads: Vec<String> = template.undeclared_variables(false).into_iter().collect();
        reads.retain(|name| !env.globals().any(|(global, _)| global == name));
        reads.sort();
        Ok(Compiled { template, reads })
    }

    /// Renders with `ctx`; the error is a message for a diagnostic.
    pub(crate) fn render(&self, ctx: &Value) -> Result<String, String> {
        let out = self.template.render(ctx).map_err(|e| {
            if e.kind() == ErrorKind::UndefinedError {
                let missing: Vec<String> = self
                    .reads
                    .iter()
                    .filter(|name| ctx.get_attr(name).is_ok_and(|v| v.is_undefined()))
                    .map(|name| format!("{name:?}"))
                    .collect();
                if !missing.is_empty() {
                    return format!(
                        "is not a valid template: {} is undefined",
                        missing.join(", ")
                    );
                }
            }
            format!("is not a valid template: {e}")
        })?;
        if out.len() > MAX_OUTPUT {
            return Err(format!(
                "renders {} bytes, more than the {MAX_OUTPUT} allowed",
                out.len()
            ));
        }
        Ok(out)
    }
}

/// Renders one extension template; the error is a message for a diagnostic.
pub(crate) fn render(source: &str, ctx: &Context<'_>) -> Result<String, String> {
    if !is_template(source) {
        return Ok(source.to_owned());
    }
    let env = sandbox();
    let device = minijinja::context! {
        name => ctx.name, namespace => ctx.namespace, hostname => ctx.hostname,
    };
    let vars = match ctx.row {
        Some(row) => minijinja::value::merge_maps([row.clone(), device]),
        None => device,
    };
    Compiled::new(&env, source)?.render(&vars)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CTX: Context<'static> = Context {
        name: "dev-1",
        namespace: "ns",
        hostname: "dev-1",
        row: None,
    };

    #[test]
    fn templates_see_the_device_and_nothing_else() {
        assert_eq!(
            render("host={{ hostname }}\n", &CTX).as_deref(),
            Ok("host=dev-1\n")
        );
        assert_eq!(
            render("{{ secret }}", &CTX),
            Err("is not a valid template: \"secret\" is undefined".to_owned())
        );
        assert!(render("{% include 'x' %}", &CTX).is_err());
    }

    #[test]
    fn fleet_variables_come_second_to_the_device() {
        let row = minijinja::context! { name => "column", site => "plant-a" };
        let ctx = Context {
            row: Some(&row),
            ..CTX
        };
        assert_eq!(
            render("{{ name }}@{{ site }}", &ctx).as_deref(),
            Ok("dev-1@plant-a")
        );
    }

    #[test]
    fn runaway_templates_stop() {
        let err = render(
            "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
            &CTX,
        );
        assert!(err.is_err());
        let big = render("{{ 'x' * 300000 }}", &CTX);
        assert!(big.is_err(), "{big:?}");
    }
}
