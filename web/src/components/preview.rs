//! The right-hand side: problems, warnings, downloads and the YAML preview, a tab per kind.

use std::rc::Rc;

use yew::prelude::*;

use super::problem_text;
use crate::highlight::{self, Class};
use crate::state::{self, Document, Outcome};

/// What a download button asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Download {
    /// The rendered manifests, `edgevirt-<name>.yaml`.
    Manifests,
    /// The `EdgeDevice` itself.
    Device,
    /// A `values.yaml` for `charts/edgevirt`.
    ChartValues,
    /// The manifests, to the clipboard instead of a file.
    Copy,
}

#[derive(Properties, PartialEq)]
pub(crate) struct PreviewProps {
    pub(crate) outcome: Rc<Outcome>,
    pub(crate) name: AttrValue,
    pub(crate) on_download: Callback<Download>,
    /// The secrets typed into the form: masked in the preview (the downloads hold them).
    pub(crate) secrets: Rc<Vec<String>>,
    /// What the last download or copy did, read out to screen readers.
    pub(crate) status: AttrValue,
    /// Asks the form to show and focus the field at a path.
    pub(crate) on_focus: Callback<String>,
}

const DEVICE_TAB: &str = "EdgeDevice";

#[function_component(Preview)]
pub(crate) fn preview(props: &PreviewProps) -> Html {
    let outcome = &props.outcome;
    let mut documents = outcome.documents.clone();
    documents.push(Document {
        kind: DEVICE_TAB.to_owned(),
        name: String::new(),
        yaml: outcome.device_yaml.clone().unwrap_or_default(),
    });
    let errors = outcome.errors.len();
    let blocked = outcome.manifests_yaml.is_none();
    let download = |what: Download| {
        let on_download = props.on_download.clone();
        Callback::from(move |_: MouseEvent| on_download.emit(what))
    };
    let reason = if errors > 0 {
        format!(
            "Fix the {errors} problem{} above to download the manifests.",
            if errors == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    html! {
        <aside class="preview" aria-label="Result">
            <section class="problems" aria-live="polite">
                if errors > 0 {
                    <h2>{ format!("{errors} problem{} to fix", if errors == 1 { "" } else { "s" }) }</h2>
                    <ul>
                        { for outcome.errors.iter().map(|d| {
                            let on_focus = props.on_focus.clone();
                            let path = d.path.clone();
                            let go = Callback::from(move |_: MouseEvent| on_focus.emit(path.clone()));
                            html! {
                                <li>
                                    <button type="button" class="link" onclick={go}>{ d.path.clone() }</button>
                                    { format!(": {}", problem_text(d)) }
                                </li>
                            }
                        }) }
                    </ul>
                } else {
                    <p class="ok">{ format!("Ready: {} manifests.", outcome.documents.len()) }</p>
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
                <button type="button" id="download-manifests" class="primary"
                        disabled={blocked} onclick={download(Download::Manifests)}
                        aria-describedby={blocked.then_some("download-reason")}>
                    { format!("Download edgevirt-{}.yaml", props.name) }
                </button>
                <button type="button" id="copy-manifests" disabled={blocked}
                        onclick={download(Download::Copy)}
                        aria-describedby={blocked.then_some("download-reason")}>
                    { "Copy" }
                </button>
                <button type="button" id="download-device" disabled={outcome.device_yaml.is_none()}
                        onclick={download(Download::Device)}>
                    { "Download the EdgeDevice" }
                </button>
                <button type="button" id="download-values" disabled={outcome.device_yaml.is_none()}
                        onclick={download(Download::ChartValues)}>
                    { "Download values.yaml (Helm chart)" }
                </button>
                <p class="status" role="status">{ props.status.clone() }</p>
                if blocked {
                    <p id="download-reason" class="reason">{ reason }</p>
                }
            </section>
            <DocumentTabs documents={Rc::new(documents)} secrets={props.secrets.clone()} />
        </aside>
    }
}

#[derive(Properties, PartialEq)]
pub(crate) struct DocumentTabsProps {
    /// The documents to show, a tab per kind (documents of one kind share their tab).
    pub(crate) documents: Rc<Vec<Document>>,
    /// Secrets typed into the form: masked here (the downloads hold them).
    pub(crate) secrets: Rc<Vec<String>>,
}

/// The rendered documents, a tab per kind, coloured (see [`highlight`]) and with the typed
/// secrets masked.
#[function_component(DocumentTabs)]
pub(crate) fn document_tabs(props: &DocumentTabsProps) -> Html {
    let tab = use_state(|| "VirtualMachine".to_owned());
    let documents = &props.documents;
    let mut kinds: Vec<&str> = Vec::new();
    for d in documents.iter() {
        if !kinds.contains(&d.kind.as_str()) {
            kinds.push(&d.kind);
        }
    }
    let selected = if kinds.contains(&tab.as_str()) {
        tab.as_str()
    } else {
        kinds.first().copied().unwrap_or("")
    };
    let body: String = documents
        .iter()
        .filter(|d| d.kind == selected)
        .map(|d| d.yaml.as_str())
        .collect();
    html! {
        <>
            <div class="tabs" role="tablist" aria-label="Rendered documents">
                { for kinds.iter().map(|kind| {
                    let active = *kind == selected;
                    let count = documents.iter().filter(|d| d.kind == *kind).count();
                    let pick = {
                        let tab = tab.clone();
                        let kind = (*kind).to_owned();
                        Callback::from(move |_: MouseEvent| tab.set(kind.clone()))
                    };
                    let text = if count > 1 { format!("{kind} ({count})") } else { (*kind).to_owned() };
                    html! {
                        <button type="button" role="tab" id={format!("tab-{kind}")}
                                aria-selected={if active { "true" } else { "false" }}
                                aria-controls="preview-panel"
                                onclick={pick}>{ text }</button>
                    }
                }) }
            </div>
            if !props.secrets.is_empty() {
                <p class="status">{ "Secrets are masked here; the downloads hold them." }</p>
            }
            <pre id="preview-panel" role="tabpanel" tabindex="0"
                 aria-labelledby={(!selected.is_empty()).then(|| format!("tab-{selected}"))}
                 aria-label={selected.is_empty().then_some("No device to preview")}>
                <code>{ highlighted(&state::mask(&body, &props.secrets)) }</code>
            </pre>
        </>
    }
}

/// The preview text as coloured spans.
fn highlighted(text: &str) -> Html {
    highlight::spans(text)
        .into_iter()
        .map(|(class, part)| match class {
            Class::Plain => html! { { part.to_owned() } },
            _ => html! { <span class={class.css()}>{ part.to_owned() }</span> },
        })
        .collect()
}
