//! Turning an existing IoT Edge `config.toml` into an `EdgeDevice`.

use crate::{EdgeDevice, Error};

/// Reads an IoT Edge `config.toml` and returns the equivalent `EdgeDevice`, named `name` or
/// after the config's hostname.
///
/// # Errors
/// [`Error::Syntax`] for text that is not TOML, [`Error::Invalid`] naming every key edgevirt
/// does not carry.
pub fn import_config_toml(text: &str, name: Option<&str>) -> Result<EdgeDevice, Error> {
    let _ = (text, name);
    Err(Error::Syntax {
        message: "import is not built yet".to_owned(),
    })
}
