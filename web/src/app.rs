//! The wizard: steps on the left, the live result on the right.

use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::components::blocks::Ctx;
use crate::components::dom_id;
use crate::components::fleet::{FleetResult, FleetSettings, Saved};
use crate::components::preview::{Download, Preview};
use crate::components::problem_text;
use crate::fields::{STEPS, step_of};
use crate::fleet::{self, FleetForm};
use crate::state::{self, Action, Imported, Model};

/// What an embedding portal passed to `mount`.
#[derive(Default)]
pub(crate) struct Embed {
    /// Called with `{kind, filename, text}` after each download.
    pub(crate) on_download: Option<js_sys::Function>,
    /// The page's own wizard: offers share links and reads one from the URL fragment. Off in
    /// portals, whose URL is not the wizard's.
    pub(crate) share: bool,
    /// Origins besides the page's own that may receive download events when the wizard is in
    /// their iframe (the text of a download may hold secrets).
    pub(crate) embed_origins: Vec<String>,
}

impl PartialEq for Embed {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

#[derive(Properties, PartialEq)]
pub(crate) struct AppProps {
    pub(crate) initial: Rc<Value>,
    /// Field paths the portal fixed; their controls are disabled.
    pub(crate) locked: Rc<Vec<String>>,
    pub(crate) embed: Rc<Embed>,
}

struct Reduced(Model);

impl Reducible for Reduced {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Reduced(self.0.after(action)))
    }
}

#[function_component(App)]
pub(crate) fn app(props: &AppProps) -> Html {
    let model = {
        let initial = props.initial.clone();
        let shared = props.embed.share.then(shared_device).flatten();
        use_reducer(move || Reduced(Model::new(shared.unwrap_or_else(|| (*initial).clone()))))
    };
    let step = use_state(|| 0usize);
    let focus = use_state(|| None::<String>);
    let status = use_state(String::new);
    let report = use_state(|| None::<Report>);
    let dragging = use_state(|| false);
    // Fleet mode: the form is the template of a fleet's devices.
    let fleet_on = use_state(|| false);
    let fleet_form = use_state(FleetForm::default);
    let fleet_outcome = use_memo(
        (*fleet_on, (*fleet_form).clone(), model.0.doc.clone()),
        |(on, form, doc)| {
            on.then(|| {
                let start = js_sys::Date::now();
                let outcome = fleet::evaluate(form, doc);
                (Rc::new(outcome), js_sys::Date::now() - start)
            })
        },
    );

    {
        let focus = focus.clone();
        use_effect_with((*focus).clone(), move |target| {
            if let Some(path) = target {
                focus_field(path);
                focus.set(None);
            }
        });
    }

    let m = &model.0;
    let dispatch = {
        let model = model.clone();
        Callback::from(move |action: Action| model.dispatch(action))
    };
    let field_errors = match &*fleet_outcome {
        Some((outcome, _)) => outcome.field_errors(),
        None => m.outcome.errors.clone(),
    };
    let ctx = Ctx {
        doc: Rc::new(m.doc.clone()),
        errors: Rc::new(field_errors.clone()),
        locked: props.locked.clone(),
        dispatch,
    };
    let outcome = Rc::new(m.outcome.clone());
    let name = m.name().to_owned();

    let on_focus = {
        let step = step.clone();
        let focus = focus.clone();
        Callback::from(move |path: String| {
            step.set(step_of(&path));
            focus.set(Some(path));
        })
    };
    let on_download = {
        let outcome = outcome.clone();
        let name = name.clone();
        let embed = props.embed.clone();
        let on_focus = on_focus.clone();
        let status = status.clone();
        Callback::from(move |what: Download| {
            let device = outcome.device_yaml.as_deref();
            let (kind, filename, text) = match what {
                Download::Manifests | Download::Copy => (
                    "manifests",
                    format!("edgevirt-{name}.yaml"),
                    outcome.manifests_yaml.clone(),
                ),
                Download::Device => (
                    "device",
                    format!("{name}.edgedevice.yaml"),
                    device.map(str::to_owned),
                ),
                Download::ChartValues => (
                    "values",
                    format!("{name}.values.yaml"),
                    device.and_then(state::chart_values),
                ),
            };
            let Some(text) = text else {
                if let Some(first) = outcome.errors.first() {
                    on_focus.emit(first.path.clone());
                }
                return;
            };
            if what == Download::Copy {
                copy_text(
                    &text,
                    status.clone(),
                    "Copied the manifests to the clipboard.",
                );
                return;
            }
            save(&filename, &text);
            status.set(format!("Downloaded {filename}."));
            notify(&embed, kind, &filename, &text);
        })
    };
    let on_file = {
        let model = model.clone();
        let report = report.clone();
        let step = step.clone();
        Callback::from(move |file: web_sys::File| {
            let model = model.clone();
            let report = report.clone();
            let step = step.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                let text = match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    Ok(text) => text.as_string().unwrap_or_default(),
                    Err(_) => {
                        report.set(Some(Report::refused(&name, "the file could not be read")));
                        return;
                    }
                };
                match state::import(&name, &text) {
                    Imported::Loaded { doc, left_out } => {
                        model.dispatch(Action::Load(doc));
                        step.set(0);
                        report.set(Some(Report {
                            title: if left_out.is_empty() {
                                format!("Loaded {name}.")
                            } else {
                                format!(
                                    "Loaded {name}, without these keys edgevirt does not carry:"
                                )
                            },
                            problems: left_out,
                            refused: false,
                        }));
                    }
                    Imported::Refused { message, problems } => report.set(Some(Report {
                        title: message,
                        problems,
                        refused: true,
                    })),
                }
            });
        })
    };
    let on_share = {
        let doc = m.doc.clone();
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let fragment = state::share_fragment(&doc);
            let Some(location) = web_sys::window().map(|w| w.location()) else {
                return;
            };
            let _ = location.set_hash(&fragment);
            let url = location.href().unwrap_or_default();
            copy_text(
                &url,
                status.clone(),
                "Copied a link to this form, without its secrets.",
            );
        })
    };

    let current = (*step).min(STEPS.len() - 1);
    let counts: Vec<usize> = (0..STEPS.len())
        .map(|i| {
            field_errors
                .iter()
                .filter(|d| step_of(&d.path) == i)
                .count()
        })
        .collect();
    let go = |to: usize| {
        let step = step.clone();
        Callback::from(move |_: MouseEvent| step.set(to))
    };

    let drop_zone = drop_handlers(dragging.clone(), on_file.clone());
    let on_pick = {
        let on_file = on_file.clone();
        Callback::from(move |e: Event| {
            let input: Option<web_sys::HtmlInputElement> =
                e.target().and_then(|t| t.dyn_into().ok());
            if let Some(input) = input {
                if let Some(file) = input.files().and_then(|files| files.get(0)) {
                    on_file.emit(file);
                }
                input.set_value("");
            }
        })
    };
    let class = classes!("wizard", dragging.then_some("dragging"));
    let mode = |on: bool| {
        let fleet_on = fleet_on.clone();
        Callback::from(move |_: MouseEvent| fleet_on.set(on))
    };
    let on_fleet_form = {
        let fleet_form = fleet_form.clone();
        Callback::from(move |form: FleetForm| fleet_form.set(form))
    };
    let on_save = {
        let embed = props.embed.clone();
        let status = status.clone();
        Callback::from(move |(kind, filename, text, parts): Saved| {
            match parts {
                Some(parts) => save_parts(&filename, &parts),
                None => save(&filename, &text),
            }
            status.set(format!("Downloaded {filename}."));
            notify(&embed, kind, &filename, &text);
        })
    };

    html! {
        <div {class} ondragover={drop_zone.0} ondragleave={drop_zone.1} ondrop={drop_zone.2}>
            <div class="toolbar">
                <div class="mode-switch" role="group" aria-label="What to make">
                    <button type="button" id="mode-device" aria-pressed={(!*fleet_on).to_string()}
                            onclick={mode(false)}>{ "One device" }</button>
                    <button type="button" id="mode-fleet" aria-pressed={fleet_on.to_string()}
                            onclick={mode(true)}>{ "Fleet" }</button>
                </div>
                <input type="file" id="import-file" accept=".yaml,.yml,.json,.toml"
                       onchange={on_pick} />
                <label for="import-file" class="button">{ "Import a file" }</label>
                <span class="hint">{ "An EdgeDevice (YAML or JSON) or an IoT Edge config.toml; or drop it here." }</span>
                if props.embed.share {
                    <button type="button" id="share-link" onclick={on_share}>
                        { "Copy a link (no secrets)" }
                    </button>
                }
            </div>
            if let Some(report) = &*report {
                { report.view() }
            }
            if let Some((_, ms)) = &*fleet_outcome {
                <FleetSettings form={(*fleet_form).clone()} on_change={on_fleet_form}
                               checked_ms={Some(*ms)} />
            }
            <nav class="steps" aria-label="Steps">
                <ol>
                    { for STEPS.iter().enumerate().map(|(i, s)| html! {
                        <li>
                            <button type="button" onclick={go(i)}
                                    aria-current={(i == current).then_some("step")}>
                                <span class="number">{ i + 1 }</span>{ " " }
                                { s.title }
                                if counts[i] > 0 {
                                    <span class="badge" aria-label={format!("{} problems", counts[i])}>
                                        { counts[i] }
                                    </span>
                                }
                            </button>
                        </li>
                    }) }
                </ol>
            </nav>
            <div class="columns">
                <form class="form" key={current} aria-labelledby="step-title" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                    <h2 id="step-title">{ format!("{}. {}", current + 1, STEPS[current].title) }</h2>
                    { for STEPS[current].blocks.iter().map(|b| ctx.block(b)) }
                    <div class="step-buttons">
                        if current > 0 {
                            <button type="button" onclick={go(current - 1)}>{ "Back" }</button>
                        }
                        if current + 1 < STEPS.len() {
                            <button type="button" class="next" onclick={go(current + 1)}>
                                { format!("Next: {}", STEPS[current + 1].title) }
                            </button>
                        }
                    </div>
                </form>
                if let Some((fleet, _)) = &*fleet_outcome {
                    <FleetResult outcome={fleet.clone()} form={(*fleet_form).clone()} {on_save}
                                 secrets={Rc::new(state::secret_values(&m.doc))}
                                 on_focus={on_focus.clone()} status={(*status).clone()} />
                } else {
                <Preview {outcome} name={name} {on_download} {on_focus}
                         secrets={Rc::new(state::secret_values(&m.doc))}
                         status={(*status).clone()} />
                }
            </div>
        </div>
    }
}

/// Moves focus to the control of `path`, or of the nearest ancestor that has one, opening the
/// folded section it is in.
fn focus_field(path: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let mut current = Some(path);
    while let Some(p) = current {
        let base = dom_id(p);
        for id in [
            base.clone(),
            format!("{base}-source"),
            format!("{base}-on"),
            dom_id(&format!("{p}.value")),
        ] {
            if let Some(element) = document.get_element_by_id(&id) {
                if let Ok(Some(details)) = element.closest("details") {
                    let _ = details.set_attribute("open", "");
                }
                if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
                    let _ = element.focus();
                }
                return;
            }
        }
        current = state::parent(p);
    }
}

/// Offers `text` as a file download. The file is made in the page (a blob URL): nothing is sent
/// anywhere.
fn save(filename: &str, text: &str) {
    save_parts(filename, &js_sys::Array::of1(&JsValue::from_str(text)));
}

/// [`save`] for a text given as JS strings, one after the other.
fn save_parts(filename: &str, parts: &js_sys::Array) {
    let result = (|| -> Result<(), JsValue> {
        let window = web_sys::window().ok_or("no window")?;
        let document = window.document().ok_or("no document")?;
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/yaml");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(parts, &options)?;
        let url = web_sys::Url::create_object_url_with_blob(&blob)?;
        let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
        anchor.set_href(&url);
        anchor.set_download(filename);
        anchor.click();
        web_sys::Url::revoke_object_url(&url)?;
        Ok(())
    })();
    if let Err(error) = result {
        web_sys::console::error_2(&JsValue::from_str("edgevirt: download failed"), &error);
    }
}

/// Tells the portal about a download: its `onDownload` callback and, inside an iframe, a
/// `postMessage` to the embedding page. The text may hold secrets, so the message goes only to
/// the embedding page's origin (from `document.referrer`, never `*`), and only when that origin
/// is the page's own or one the deployment allowed.
fn notify(embed: &Embed, kind: &str, filename: &str, text: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let parent = window
        .parent()
        .ok()
        .flatten()
        .filter(|parent| !js_sys::Object::is(parent, &window));
    // Nobody to tell: the text (megabytes for a fleet) is not copied into an event.
    if embed.on_download.is_none() && parent.is_none() {
        return;
    }
    let event = js_sys::Object::new();
    let put = |key: &str, value: &str| {
        let _ = js_sys::Reflect::set(&event, &JsValue::from_str(key), &JsValue::from_str(value));
    };
    put("type", "edgevirt-download");
    put("kind", kind);
    put("filename", filename);
    put("text", text);
    if let Some(callback) = &embed.on_download {
        let _ = callback.call1(&JsValue::NULL, &event);
    }
    let Some(parent) = parent else {
        return;
    };
    let own = window.location().origin().unwrap_or_default();
    let referrer = window.document().map(|d| d.referrer()).unwrap_or_default();
    let target = web_sys::Url::new(&referrer).map(|u| u.origin()).ok();
    if let Some(origin) = target.filter(|o| state::may_receive(o, &own, &embed.embed_origins)) {
        let _ = parent.post_message(&event, &origin);
    }
}

/// What the last import did, shown above the steps until the next one.
#[derive(Clone, PartialEq)]
struct Report {
    title: String,
    problems: Vec<edgevirt_core::Diagnostic>,
    refused: bool,
}

impl Report {
    fn refused(file: &str, why: &str) -> Report {
        Report {
            title: format!("{file} was not loaded: {why}."),
            problems: Vec::new(),
            refused: true,
        }
    }

    fn view(&self) -> Html {
        html! {
            <section class={classes!("import-report", self.refused.then_some("refused"))}
                     role="status" aria-label="Import">
                <h2>{ self.title.clone() }</h2>
                if !self.problems.is_empty() {
                    <ul>
                        { for self.problems.iter().map(|d| html! {
                            <li><code>{ d.path.clone() }</code>{ format!(": {}", problem_text(d)) }</li>
                        }) }
                    </ul>
                }
            </section>
        }
    }
}

/// The device a share link carries in the page's URL fragment, if any.
fn shared_device() -> Option<Value> {
    let hash = web_sys::window()?.location().hash().ok()?;
    state::from_fragment(&hash)
}

/// `dragover`, `dragleave` and `drop` handlers that hand a dropped file to `on_file`.
fn drop_handlers(
    dragging: UseStateHandle<bool>,
    on_file: Callback<web_sys::File>,
) -> (
    Callback<DragEvent>,
    Callback<DragEvent>,
    Callback<DragEvent>,
) {
    let over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let drop = Callback::from(move |e: DragEvent| {
        e.prevent_default();
        dragging.set(false);
        let file = e
            .data_transfer()
            .and_then(|t| t.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            on_file.emit(file);
        }
    });
    (over, leave, drop)
}

/// Puts `text` on the clipboard and says so in `status` (or why it could not).
fn copy_text(text: &str, status: UseStateHandle<String>, done: &'static str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => status.set(done.to_owned()),
            Err(_) => status.set("The browser did not allow copying to the clipboard.".to_owned()),
        }
    });
}
