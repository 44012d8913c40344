//! The browser wizard for edgevirt.
//!
//! Only a placeholder today: the Yew wizard and its JS API arrive with the wizard issue. The crate
//! exists so the workspace layout is final and the core is built for the browser target early.

/// The version of the core this wizard renders with.
pub fn core_version() -> &'static str {
    edgevirt_core::VERSION
}
