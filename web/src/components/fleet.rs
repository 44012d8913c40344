//! Fleet mode: the fleet's own fields above the steps ([`FleetSettings`]) and, on the right, the
//! table of its devices with their problems, the preview of one device and the downloads
//! ([`FleetResult`]).

use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use super::preview::DocumentTabs;
use super::{event_value, problem_text};
use crate::fleet::{self, FleetForm, FleetOutcome, Source};

#[derive(Properties, PartialEq)]
pub(crate) struct SettingsProps {
    pub(crate) form: FleetForm,
    pub(crate) on_change: Callback<FleetForm>,
    /// How long the last check of every row took, in milliseconds.
    pub(crate) checked_ms: Option<f64>,
}

/// The fleet's name and namespace, and where its devices come from.
#[function_component(FleetSettings)]
pub(crate) fn fleet_settings(props: &SettingsProps) -> Html {
    let typed = |apply: fn(&mut FleetForm, String)| {
        let form = props.form.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let mut form = form.clone();
            apply(&mut form, event_value(&e));
            on_change.emit(form);
        })
    };
    let source = |to: Source| {
        let form = props.form.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |_: Event| {
            let mut form = form.clone();
            form.source = to;
            on_change.emit(form);
        })
    };
    let load = {
        let form = props.form.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |file: web_sys::File| {
            let form = form.clone();
            let on_change = on_change.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    let mut form = form;
                    form.csv = text.as_string().unwrap_or_default();
                    form.source = Source::Csv;
                    on_change.emit(form);
                }
            });
        })
    };
    let on_pick = {
        let load = load.clone();
        Callback::from(move |e: Event| {
            let input: Option<web_sys::HtmlInputElement> =
                e.target().and_then(|t| t.dyn_into().ok());
            if let Some(input) = input {
                if let Some(file) = input.files().and_then(|files| files.get(0)) {
                    load.emit(file);
                }
                input.set_value("");
            }
        })
    };
    // A .csv dropped on the inventory goes into it, not to the page's import.
    let on_drop = Callback::from(move |e: DragEvent| {
        e.prevent_default();
        e.stop_propagation();
        if let Some(file) = e
            .data_transfer()
            .and_then(|t| t.files())
            .and_then(|files| files.get(0))
        {
            load.emit(file);
        }
    });
    let on_drag_over = Callback::from(|e: DragEvent| {
        e.prevent_default();
        e.stop_propagation();
    });
    let form = &props.form;
    html! {
        <section class="fleet-settings" aria-labelledby="fleet-title">
            <h2 id="fleet-title">{ "Fleet" }</h2>
            <p id="fleet-help" class="help">{ fleet::VARIABLES_HELP }</p>
            <div class="field">
                <label for="fleet-name">{ "Fleet name" }</label>
                <input id="fleet-name" type="text" value={form.name.clone()}
                       oninput={typed(|f, v| f.name = v)} />
            </div>
            <div class="field">
                <label for="fleet-namespace">{ "Namespace of the devices" }</label>
                <input id="fleet-namespace" type="text" value={form.namespace.clone()}
                       placeholder="the template's, or default"
                       oninput={typed(|f, v| f.namespace = v)} />
            </div>
            <fieldset class="fleet-source">
                <legend>{ "The devices come from" }</legend>
                <label>
                    <input type="radio" name="fleet-source" id="fleet-source-csv"
                           checked={form.source == Source::Csv} onchange={source(Source::Csv)} />
                    { " a CSV inventory (a row per device)" }
                </label>
                <label>
                    <input type="radio" name="fleet-source" id="fleet-source-count"
                           checked={form.source == Source::Count} onchange={source(Source::Count)} />
                    { " a count" }
                </label>
            </fieldset>
            if form.source == Source::Count {
                <div class="field">
                    <label for="fleet-count">{ "Number of devices" }</label>
                    <input id="fleet-count" type="number" min="1" max="10000"
                           value={form.count.clone()} oninput={typed(|f, v| f.count = v)} />
                </div>
            } else {
                <div class="field">
                    <label for="fleet-csv">{ "Inventory (CSV: a header row naming the columns, then a row per device)" }</label>
                    <textarea id="fleet-csv" rows="8" spellcheck="false"
                              aria-describedby="fleet-help fleet-csv-hint"
                              value={form.csv.clone()} oninput={typed(|f, v| f.csv = v)}
                              ondragover={on_drag_over} ondrop={on_drop} />
                    <p id="fleet-csv-hint" class="hint">
                        { "Line numbers count from the header (line 1); empty lines and lines starting with # are skipped. Drop a .csv file here, or " }
                        <input type="file" id="fleet-csv-file" accept=".csv,text/csv" onchange={on_pick} />
                        <label for="fleet-csv-file" class="button">{ "load a .csv file" }</label>
                    </p>
                </div>
            }
            if let Some(ms) = props.checked_ms {
                <p class="hint" id="fleet-checked" data-ms={format!("{ms:.1}")}>
                    { format!("Checked every row in {ms:.0} ms.") }
                </p>
            }
        </section>
    }
}

/// A download the fleet result asks for: `(kind, filename, text, parts)`, where `parts` is the
/// same text already handed to JS a slice at a time, when it was made so.
pub(crate) type Saved = (&'static str, String, String, Option<js_sys::Array>);

#[derive(Properties, PartialEq)]
pub(crate) struct ResultProps {
    pub(crate) outcome: Rc<FleetOutcome>,
    pub(crate) form: FleetForm,
    /// Saves a file and tells the portal.
    pub(crate) on_save: Callback<Saved>,
    /// Asks the form to show and focus the field at a path.
    pub(crate) on_focus: Callback<String>,
    pub(crate) status: AttrValue,
    /// The secrets typed into the template: masked in the preview (the downloads hold them).
    pub(crate) secrets: Rc<Vec<String>>,
}

/// The devices, their problems, one device's manifests, and the downloads.
#[function_component(FleetResult)]
pub(crate) fn fleet_result(props: &ResultProps) -> Html {
    let chosen = use_state(|| 0usize);
    let outcome = &props.outcome;
    let rows = &outcome.rows;
    let chosen_row = (*chosen).min(rows.len().saturating_sub(1));
    let errors = outcome.error_count();
    let documents = use_memo((props.outcome.clone(), chosen_row), |(outcome, i)| {
        outcome
            .rows
            .get(*i)
            .and_then(|r| r.spec.as_ref())
            .map(fleet::device_documents)
            .unwrap_or_default()
    });
    let on_choose = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            if let Ok(i) = event_value(&e).parse() {
                chosen.set(i);
            }
        })
    };
    let save_fleet = {
        let on_save = props.on_save.clone();
        let text = outcome.fleet_yaml.clone();
        let filename = fleet::fleet_filename(&props.form);
        Callback::from(move |_: MouseEvent| {
            if let Some(text) = &text {
                on_save.emit(("fleet", filename.clone(), text.clone(), None));
            }
        })
    };
    let with_problems = rows.iter().filter(|r| r.errors() > 0).count();
    html! {
        <aside class="preview fleet-result" aria-label="Result">
            <section class="problems" aria-live="polite">
                if errors > 0 {
                    <h2>{ format!("{errors} problem{} to fix", if errors == 1 { "" } else { "s" }) }</h2>
                    if with_problems > 0 {
                        <p id="fleet-row-summary">{ format!("{with_problems} device{} with problems: see the table.", if with_problems == 1 { "" } else { "s" }) }</p>
                    }
                    <ul id="fleet-problems">
                        { for outcome.errors.iter().map(|d| {
                            let path = d.path.strip_prefix("spec.template.").map(str::to_owned);
                            let label = d.path.clone();
                            match path {
                                Some(path) => {
                                    let on_focus = props.on_focus.clone();
                                    let go = Callback::from(move |_: MouseEvent| on_focus.emit(path.clone()));
                                    html! {
                                        <li>
                                            <button type="button" class="link" onclick={go}>{ label }</button>
                                            { format!(": {}", problem_text(d)) }
                                        </li>
                                    }
                                }
                                None => html! {
                                    <li><code>{ label }</code>{ format!(": {}", problem_text(d)) }</li>
                                },
                            }
                        }) }
                    </ul>
                } else {
                    <p class="ok">{ format!("Ready: {} devices.", rows.len()) }</p>
                }
                if !outcome.warnings.is_empty() {
                    <div class="warnings" role="note">
                        <h2>{ "Warnings" }</h2>
                        <ul>
                            { for outcome.warnings.iter().map(|d| html! {
                                <li><code>{ d.path.clone() }</code>{ format!(": {}", problem_text(d)) }</li>
                            }) }
                        </ul>
                    </div>
                }
            </section>
            <section class="downloads">
                <FleetDownload outcome={outcome.clone()} form={props.form.clone()}
                               on_save={props.on_save.clone()} />
                <button type="button" id="download-fleet" disabled={outcome.fleet_yaml.is_none()}
                        onclick={save_fleet}>
                    { "Download the EdgeDeviceFleet" }
                </button>
                <p class="status" role="status">{ props.status.clone() }</p>
            </section>
            <FleetTable outcome={outcome.clone()} />
            <div class="field fleet-choose">
                <label for="fleet-preview-device">{ "Preview the manifests of" }</label>
                <select id="fleet-preview-device" onchange={on_choose}>
                    { for rows.iter().enumerate().map(|(i, row)| {
                        let name = row.spec.as_ref().map_or("(not valid)", |s| s.name());
                        html! {
                            <option value={i.to_string()} selected={i == chosen_row}>
                                { format!("{} ({})", name, row.label()) }
                            </option>
                        }
                    }) }
                </select>
            </div>
            <DocumentTabs documents={documents.clone()} secrets={props.secrets.clone()} />
        </aside>
    }
}

#[derive(Properties, PartialEq)]
struct TableProps {
    outcome: Rc<FleetOutcome>,
}

/// The devices and their problems. Its own component: a thousand rows are drawn again only when
/// the fleet changes, not on a download's status or the preview's tab.
#[function_component(FleetTable)]
fn fleet_table(props: &TableProps) -> Html {
    let show_all = use_state(|| false);
    let rows = &props.outcome.rows;
    let shown = rows
        .iter()
        .enumerate()
        .filter(|(i, row)| *show_all || *i < TABLE_ROWS || !row.problems.is_empty());
    let hidden = rows.len() - shown.clone().count();
    let on_show_all = {
        let show_all = show_all.clone();
        Callback::from(move |_: MouseEvent| show_all.set(true))
    };
    html! {
    <>
    if hidden > 0 {
        <p class="hint" id="fleet-table-note">
            { format!("The table shows the first {TABLE_ROWS} devices and every device with a problem. ") }
            <button type="button" id="fleet-show-all" onclick={on_show_all}>
                { format!("Show all {} devices", rows.len()) }
            </button>
        </p>
    }
    <div class="fleet-table-wrap" tabindex="0" role="region" aria-labelledby="fleet-devices-caption">
        <table id="fleet-devices">
            <caption id="fleet-devices-caption">{ format!("Devices ({})", rows.len()) }</caption>
            <thead>
                <tr>
                    <th scope="col">{ "Row" }</th>
                    <th scope="col">{ "Name" }</th>
                    <th scope="col">{ "Namespace" }</th>
                    <th scope="col">{ "Hostname / registration ID" }</th>
                    <th scope="col">{ "Problems" }</th>
                </tr>
            </thead>
            <tbody>
                { for shown.map(|(i, row)| {
                    let spec = row.spec.as_ref();
                    let id_text = spec.map(|s| match s.registration_id() {
                        Some(reg) if reg != s.hostname() => format!("{} / {reg}", s.hostname()),
                        _ => s.hostname().to_owned(),
                    }).unwrap_or_default();
                    let class = classes!((row.errors() > 0).then_some("bad"));
                    html! {
                        <tr {class} id={format!("fleet-row-{i}")} data-place={row.place.clone()}>
                            <th scope="row">{ row.label().to_owned() }</th>
                            <td class="name">{ spec.map(|s| s.name().to_owned()).unwrap_or_default() }</td>
                            <td>{ spec.and_then(|s| s.namespace()).unwrap_or("").to_owned() }</td>
                            <td>{ id_text }</td>
                            <td class="row-problems">
                                if !row.problems.is_empty() {
                                    <ul>
                                        { for row.problems.iter().map(|d| html! {
                                            <li>{ format!("{}: {}: {}", row.place, d.path, problem_text(d)) }</li>
                                        }) }
                                    </ul>
                                }
                            </td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    </div>
    </>
    }
}

/// Rows the table draws before "Show all": drawing a thousand on every keystroke would hold
/// up the page.
const TABLE_ROWS: usize = 100;

#[derive(Properties, PartialEq)]
struct DownloadProps {
    outcome: Rc<FleetOutcome>,
    form: FleetForm,
    on_save: Callback<Saved>,
}

/// Devices rendered per slice of the download; the page draws between slices.
const SLICE: usize = 25;

/// The download of every device's manifests, rendered a slice at a time with its progress.
#[function_component(FleetDownload)]
fn fleet_download(props: &DownloadProps) -> Html {
    let progress = use_state(|| None::<(usize, usize)>);
    let ready = props.outcome.ok && progress.is_none();
    let onclick = {
        let outcome = props.outcome.clone();
        let filename = fleet::manifests_filename(&props.form);
        let on_save = props.on_save.clone();
        let progress = progress.clone();
        Callback::from(move |_: MouseEvent| {
            let outcome = outcome.clone();
            let filename = filename.clone();
            let on_save = on_save.clone();
            let progress = progress.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let Some(specs) = outcome.specs() else {
                    return;
                };
                let total = specs.len();
                let mut text = String::new();
                // Each slice goes to JS as it is made: the file is a Blob of the slices, so no
                // frame has to copy megabytes at the end.
                let parts = js_sys::Array::new();
                for (i, slice) in specs.chunks(SLICE).enumerate() {
                    progress.set(Some((i * SLICE, total)));
                    next_task().await;
                    let start = text.len();
                    fleet::render_slice(slice, &mut text);
                    parts.push(&JsValue::from_str(&text[start..]));
                }
                progress.set(None);
                next_task().await;
                on_save.emit(("manifests", filename, text, Some(parts)));
            });
        })
    };
    html! {
        <>
            <button type="button" id="download-manifests" class="primary"
                    disabled={!ready} onclick={onclick}
                    aria-describedby={(!props.outcome.ok).then_some("download-reason")}>
                { format!("Download {}", fleet::manifests_filename(&props.form)) }
            </button>
            if let Some((done, total)) = *progress {
                <label for="fleet-progress">{ format!("Rendering {done} of {total} devices") }</label>
                <progress id="fleet-progress" max={total.to_string()} value={done.to_string()} />
            }
            if !props.outcome.ok {
                <p id="download-reason" class="reason">{ "Fix the problems above to download the manifests." }</p>
            }
        </>
    }
}

/// Resolves in a new task (`setTimeout(0)`), so the browser can draw a frame first.
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        } else {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
