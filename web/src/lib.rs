//! The browser side of edgevirt: a Yew wizard that builds an `EdgeDevice` step by step and shows
//! the manifests the core renders from it after every change, and a small JavaScript API
//! (`render`, `validate`, `schema`, `mount`) for portals that embed either.
//!
//! Everything runs in the page: the core is compiled into the same wasm module, so nothing the
//! user types, secrets included, leaves the browser.
//!
//! The form logic ([`state`], [`fields`]) is plain Rust and tested natively; the Yew components
//! and the JS bindings only exist on `wasm32`.

// Natively only the form logic is built (for its tests); its users are the wasm32 components.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

pub(crate) mod fields;
pub(crate) mod fleet;
pub(crate) mod highlight;
pub(crate) mod state;

#[cfg(target_arch = "wasm32")]
mod api;
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod components;

#[cfg(target_arch = "wasm32")]
pub use api::{mount, render, schema, validate, version};

/// The version of the core this wizard renders with.
pub fn core_version() -> &'static str {
    edgevirt_core::VERSION
}
