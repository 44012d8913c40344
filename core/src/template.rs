//! User templates (extension files and commands, fleet templates), run sandboxed.
//!
//! Every user template runs in the environment [`sandbox`] makes: it has no loader, so `include`
//! and `import` find nothing; there is no file or network access in minijinja; an undefined
//! variable is an error that names it; fuel bounds the work one render may do, and the output is
//! capped ([`crate::Limits::template_fuel`], [`crate::Limits::max_template_output`]). A
//! template sees only the variables it is given: [`Context`] for extensions, the row of a fleet
//! for fleet templates.

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Rest, ValueOrKwargs};
use minijinja::{Environment, ErrorKind, State, Template, UndefinedBehavior, Value};

use crate::{Limit, Limits};

/// The variables an extension template can read.
#[derive(Debug, Clone)]
pub(crate) struct Context<'a> {
    pub(crate) name: &'a str,
    pub(crate) namespace: &'a str,
    pub(crate) hostname: &'a str,
    /// The variables of the fleet row the device was made from; the three above win.
    pub(crate) row: Option<&'a Value>,
    /// The bounds of each render.
    pub(crate) limits: &'a Limits,
}

/// Whether `source` has template syntax; text without it renders to itself.
pub(crate) fn is_template(source: &str) -> bool {
    source.contains("{{") || source.contains("{%") || source.contains("{#")
}

/// The environment every user template runs in, and the limits of each render.
pub(crate) struct Sandbox {
    env: Environment<'static>,
    limits: Limits,
}

impl Sandbox {
    pub(crate) fn new(limits: &Limits) -> Self {
        // `new` brings the built-in filters and no loader: include and import find nothing.
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_fuel(Some(limits.template_fuel));
        env.add_filter("format", format);
        if let Ok(syntax) = SyntaxConfig::builder().keep_trailing_newline(true).build() {
            env.set_syntax(syntax);
        }
        Sandbox {
            env,
            limits: *limits,
        }
    }
}

/// minijinja's `format` filter, refusing the format strings that make minijinja 3.1 panic: its
/// parser steps through a `%(key)` byte by byte and slices the string at each, so a non-ASCII
/// character in a key breaks it. Found by the template fuzzer
/// (`fuzz/crashes/template/format-key-not-ascii.jinja`).
fn format(
    state: &mut State,
    format_str: &Value,
    args: Rest<ValueOrKwargs>,
) -> Result<Value, minijinja::Error> {
    if format_str
        .as_str()
        .is_some_and(|s| !printf_keys_are_ascii(s))
    {
        return Err(minijinja::Error::new(
            ErrorKind::InvalidOperation,
            "format: a %(key) must be ASCII",
        ));
    }
    minijinja::filters::format(state, format_str, args)
}

/// Whether every `%(` of `s` is followed by ASCII up to its `)` (or to the end, when there is no
/// `)`). `%%(` counts too, which errs on the side of refusing.
fn printf_keys_are_ascii(s: &str) -> bool {
    s.match_indices("%(").all(|(at, _)| {
        let key = &s[at + 2..];
        key[..key.find(')').unwrap_or(key.len())].is_ascii()
    })
}

/// A template compiled once and rendered many times, e.g. for every device of a fleet.
pub(crate) struct Compiled<'env, 'source> {
    template: Template<'env, 'source>,
    /// The variables the template reads without setting them, to name the missing one.
    reads: Vec<String>,
    limits: &'env Limits,
}

impl<'env, 'source> Compiled<'env, 'source> {
    /// Compiles `source`; the error is a message for a diagnostic.
    pub(crate) fn new(sandbox: &'env Sandbox, source: &'source str) -> Result<Self, String> {
        let env = &sandbox.env;
        let template = env
            .template_from_str(source)
            .map_err(|e| format!("is not a valid template: {e}"))?;
        let mut reads: Vec<String> = template.undeclared_variables(false).into_iter().collect();
        reads.retain(|name| !env.globals().any(|(global, _)| global == name));
        reads.sort();
        Ok(Compiled {
            template,
            reads,
            limits: &sandbox.limits,
        })
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
            if e.kind() == ErrorKind::OutOfFuel {
                return format!(
                    "is stopped: it takes more than the {} steps a template may take; {}",
                    self.limits.template_fuel,
                    Limit::TemplateFuel.hint()
                );
            }
            format!("is not a valid template: {e}")
        })?;
        let max = self.limits.max_template_output;
        if out.len() > max {
            return Err(format!(
                "renders {} bytes, more than the {max} a template may render; {}",
                out.len(),
                Limit::TemplateOutput.hint()
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
    let sandbox = Sandbox::new(ctx.limits);
    let device = minijinja::context! {
        name => ctx.name, namespace => ctx.namespace, hostname => ctx.hostname,
    };
    let vars = match ctx.row {
        Some(row) => minijinja::value::merge_maps([row.clone(), device]),
        None => device,
    };
    Compiled::new(&sandbox, source)?.render(&vars)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CTX: Context<'static> = Context {
        name: "dev-1",
        namespace: "ns",
        hostname: "dev-1",
        row: None,
        limits: &Limits::DEFAULT,
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

    #[test]
    fn format_keys_that_would_crash_minijinja_are_refused() {
        let crash = include_str!("../../fuzz/crashes/template/format-key-not-ascii.jinja");
        assert_eq!(
            render(crash, &CTX),
            Err(
                "is not a valid template: invalid operation: format: a %(key) must be ASCII (in <string>:1)"
                    .to_owned()
            )
        );
        assert_eq!(
            render("{{ '%(größe)s' | format(x=1) }}", &CTX).map_err(|e| e.contains("ASCII")),
            Err(true)
        );
        // Everything else format does still works, non-ASCII text included.
        assert_eq!(
            render(
                "{{ 'Größe %s' | format(3) }}, {{ '%(n)05d €' | format(n=7) }}",
                &CTX
            )
            .as_deref(),
            Ok("Größe 3, 00007 €")
        );
    }
}
