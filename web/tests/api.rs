//! The JS API and the mounted wizard, in headless Chromium: `scripts/test-web.sh wasm` runs
//! `cargo test -p edgevirt-web --target wasm32-unknown-unknown` with wasm-bindgen-test-runner as
//! the cargo runner and Debian's chromedriver; `web/webdriver.json` gives Chromium its flags.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const DEVICE: &str = r#"
apiVersion: edgevirt.dev/v1alpha1
kind: EdgeDevice
metadata: {name: api-edge-01}
spec:
  iotEdge:
    provisioning:
      manual:
        connectionString:
          value: "HostName=hub.azure-devices.net;DeviceId=api-edge-01;SharedAccessKey=a2V5"
"#;

fn field(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).expect("an object")
}

fn length(array: &JsValue) -> u32 {
    js_sys::Array::from(array).length()
}

#[wasm_bindgen_test]
fn render_returns_plain_manifests_and_the_cli_stream() {
    let result = edgevirt_web::render(JsValue::from_str(DEVICE)).expect("renders");
    assert_eq!(length(&field(&result, "errors")), 0);
    let manifests = js_sys::Array::from(&field(&result, "manifests"));
    let kinds: Vec<String> = manifests
        .iter()
        .map(|m| field(&m, "kind").as_string().unwrap_or_default())
        .collect();
    assert!(kinds.contains(&"VirtualMachine".to_owned()), "{kinds:?}");
    let expected = edgevirt_core::render_device(DEVICE).expect("native render");
    assert_eq!(
        field(&result, "yaml").as_string(),
        Some(expected.manifests.to_yaml()),
        "the API's stream is the CLI's"
    );
}

#[wasm_bindgen_test]
fn render_accepts_an_object_and_reports_errors_with_paths() {
    let device = js_sys::JSON::parse(
        r#"{"apiVersion":"edgevirt.dev/v1alpha1","kind":"EdgeDevice",
            "metadata":{"name":"api-edge-02"},
            "spec":{"vm":{"memory":"3Gb"},"iotEdge":{"provisioning":{"manual":{
              "connectionString":{"secretKeyRef":{"name":"hub","key":"cs"}}}}}}}"#,
    )
    .expect("json");
    let result = edgevirt_web::render(device).expect("a result");
    assert!(field(&result, "yaml").is_null());
    assert_eq!(length(&field(&result, "manifests")), 0);
    let errors = js_sys::Array::from(&field(&result, "errors"));
    let paths: Vec<String> = errors
        .iter()
        .map(|e| field(&e, "path").as_string().unwrap_or_default())
        .collect();
    assert_eq!(paths, ["spec.vm.memory"]);
    assert_eq!(
        field(&errors.get(0), "severity").as_string().as_deref(),
        Some("error")
    );
}

#[wasm_bindgen_test]
fn validate_and_schema() {
    let result = edgevirt_web::validate(JsValue::from_str("kind: [")).expect("a result");
    assert_eq!(field(&result, "valid").as_bool(), Some(false));
    assert_eq!(length(&field(&result, "errors")), 1);
    let ok = edgevirt_web::validate(JsValue::from_str(DEVICE)).expect("a result");
    assert_eq!(field(&ok, "valid").as_bool(), Some(true));
    let schema = edgevirt_web::schema().expect("schema");
    assert_eq!(
        field(&schema, "title").as_string().as_deref(),
        Some("EdgeDevice")
    );
}

/// Lets Yew render (it schedules on a microtask / timeout).
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().expect("window");
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
async fn the_mounted_wizard_prefills_locks_and_marks_errors() {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let root = document.create_element("div").expect("div");
    document
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    let options = js_sys::Object::new();
    js_sys::Reflect::set(
        &options,
        &"device".into(),
        &DEVICE
            .replace("api-edge-01}", "api-edge-01, namespace: plant-a}")
            .into(),
    )
    .expect("set");
    js_sys::Reflect::set(
        &options,
        &"locked".into(),
        &js_sys::Array::of1(&"metadata.namespace".into()),
    )
    .expect("set");
    edgevirt_web::mount(root.clone(), options.into()).expect("mounts");
    settle().await;

    let input = |id: &str| -> web_sys::HtmlInputElement {
        document
            .get_element_by_id(id)
            .unwrap_or_else(|| panic!("no #{id}"))
            .dyn_into()
            .expect("an input")
    };
    assert_eq!(input("f-metadata-name").value(), "api-edge-01");
    assert!(
        input("f-metadata-namespace").disabled(),
        "locked by the portal"
    );
    let secret = input("f-spec-iotEdge-provisioning-manual-connectionString-value");
    assert_eq!(secret.type_(), "password", "secrets are masked");
    let download = document
        .get_element_by_id("download-manifests")
        .expect("button");
    assert!(!download.has_attribute("disabled"));

    // An invalid name: the field says so, and the download is blocked with a reason.
    let name = input("f-metadata-name");
    name.set_value("Not A DNS Label");
    let event = web_sys::InputEvent::new("input").expect("event");
    name.dispatch_event(&event).expect("dispatch");
    settle().await;
    let name = input("f-metadata-name");
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = name.get_attribute("aria-describedby").unwrap_or_default();
    assert!(described.contains("f-metadata-name-error"), "{described}");
    assert!(
        document
            .get_element_by_id("f-metadata-name-error")
            .is_some()
    );
    let download = document
        .get_element_by_id("download-manifests")
        .expect("button");
    assert!(download.has_attribute("disabled"));
    assert!(document.get_element_by_id("download-reason").is_some());
    root.remove();
}

#[wasm_bindgen_test]
async fn the_wizard_mounts_without_options_and_with_odd_ones() {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    for options in [
        JsValue::UNDEFINED,
        js_sys::Object::new().into(),
        JsValue::from_str("not an object"),
    ] {
        let root = document.create_element("div").expect("div");
        document
            .body()
            .expect("body")
            .append_child(&root)
            .expect("append");
        edgevirt_web::mount(root.clone(), options).expect("mounts");
        settle().await;
        assert!(
            root.query_selector("#f-metadata-name")
                .expect("query")
                .is_some(),
            "the form shows"
        );
        root.remove();
    }
}

#[wasm_bindgen_test]
fn a_bad_prefill_is_refused_with_the_field() {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let root = document.create_element("div").expect("div");
    let options = js_sys::Object::new();
    js_sys::Reflect::set(
        &options,
        &"device".into(),
        &"spec: {vm: {memory: [1]}}".into(),
    )
    .expect("set");
    let error = edgevirt_web::mount(root, options.into()).expect_err("refused");
    let message = error.as_string().unwrap_or_default();
    assert!(message.contains("spec.vm.memory"), "{message}");
}
