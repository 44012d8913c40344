//! What the rendered VM trusts: Microsoft's package signing key, shipped in the core, must be the
//! key Microsoft publishes. GnuPG (Debian's `gpg`, an implementation independent of edgevirt)
//! computes the key's fingerprint, which must equal the published one the core states, and the
//! rendered cloud-config must carry exactly that key.

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use edgevirt_core::versions::{MICROSOFT_KEY, MICROSOFT_KEY_FINGERPRINT};

/// The fingerprints of the primary keys in `armored`, as GnuPG reads them, or GnuPG's complaint.
fn gpg_fingerprints(armored: &str) -> Result<Vec<String>, String> {
    // A home of its own per call: the tests run in parallel.
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, Ordering::Relaxed);
    let home = std::env::temp_dir().join(format!("edgevirt-gnupg-{}-{call}", std::process::id()));
    std::fs::create_dir_all(&home).expect("GNUPGHOME");
    let file = home.join("key.asc");
    std::fs::write(&file, armored).expect("write key");
    let output = Command::new("gpg")
        .env("GNUPGHOME", &home)
        .env("LC_ALL", "C")
        .args(["--batch", "--with-colons", "--show-keys"])
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run gpg ({e}): apt-get install gnupg"));
    let _ = std::fs::remove_dir_all(&home);
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    let listing = String::from_utf8(output.stdout).expect("UTF-8");
    // A `fpr` record follows each key; only the ones right after a `pub` record are primary keys.
    let mut primary = Vec::new();
    let mut after_pub = false;
    for line in listing.lines() {
        let fields: Vec<&str> = line.split(':').collect();
        match fields[0] {
            "pub" => after_pub = true,
            "fpr" if after_pub => {
                primary.push(fields[9].to_owned());
                after_pub = false;
            }
            _ => after_pub = false,
        }
    }
    Ok(primary)
}

#[test]
fn the_shipped_microsoft_key_has_the_published_fingerprint() {
    assert_eq!(
        gpg_fingerprints(MICROSOFT_KEY).as_deref(),
        Ok(&[MICROSOFT_KEY_FINGERPRINT.to_owned()][..])
    );
}

#[test]
fn a_changed_key_would_be_caught() {
    // The check can fail: with one character of its armored body changed, GnuPG refuses the
    // block or reads another key.
    let lines: Vec<&str> = MICROSOFT_KEY.lines().collect();
    let body = lines
        .iter()
        .position(|l| l.len() > 40)
        .expect("an armored body line");
    let mut tampered: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    let line = &mut tampered[body];
    let flipped = if line.starts_with('A') { "B" } else { "A" };
    line.replace_range(0..1, flipped);
    let tampered = tampered.join("\n") + "\n";
    match gpg_fingerprints(&tampered) {
        Ok(fingerprints) => assert_ne!(fingerprints, [MICROSOFT_KEY_FINGERPRINT]),
        Err(complaint) => assert!(complaint.contains("CRC error"), "{complaint}"),
    }
}

#[test]
fn the_rendered_cloud_config_carries_that_key() {
    let device = "apiVersion: edgevirt.dev/v1alpha1\nkind: EdgeDevice\nmetadata: {name: d}\n\
        spec: {iotEdge: {provisioning: {manual: {connectionString: \
        {value: 'HostName=h;DeviceId=d;SharedAccessKey=a2V5'}}}}}\n";
    let rendered = edgevirt_core::render_device(device).expect("renders");
    let user_data = rendered
        .manifests
        .documents()
        .iter()
        .filter(|d| d["kind"] == "Secret")
        .filter_map(|d| d.pointer("/stringData/userdata").and_then(|v| v.as_str()))
        .next()
        .expect("a user-data Secret");
    let cloud_config: serde_json::Value = serde_saphyr::from_str(user_data).expect("YAML");
    let sources = &cloud_config["apt"]["sources"];
    let keys: Vec<&str> = sources
        .as_object()
        .expect("apt sources")
        .values()
        .filter_map(|s| s["key"].as_str())
        .collect();
    assert_eq!(keys.len(), 1, "{sources}");
    assert_eq!(keys[0], MICROSOFT_KEY);
    assert_eq!(
        gpg_fingerprints(keys[0]).as_deref(),
        Ok(&[MICROSOFT_KEY_FINGERPRINT.to_owned()][..])
    );
}
