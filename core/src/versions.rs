//! Every pinned version and external source the rendered VM uses, in one place.
//!
//! To bump IoT Edge: change the package versions here, run `scripts/bless.sh` to regenerate the
//! fixture outputs, and review the diff. The Microsoft signing key is checked against its
//! published fingerprint by a test.

/// An IoT Edge LTS line and the packages pinned for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EdgeRelease {
    /// The line as users write it: `1.6`.
    pub line: &'static str,
    /// `aziot-edge` package version.
    pub aziot_edge: &'static str,
    /// `aziot-identity-service` package version.
    pub aziot_identity_service: &'static str,
    /// Default edgeAgent image.
    pub agent_image: &'static str,
    /// Last day Microsoft services this line.
    pub serviced_until: &'static str,
}

/// IoT Edge 1.6 LTS, the default.
pub const EDGE_1_6: EdgeRelease = EdgeRelease {
    line: "1.6",
    aziot_edge: "1.6.0-1",
    aziot_identity_service: "1.6.0-1",
    agent_image: "mcr.microsoft.com/azureiotedge-agent:1.6",
    serviced_until: "2028-11-14",
};

/// IoT Edge 1.5 LTS, out of service since 2026-11-10.
pub const EDGE_1_5: EdgeRelease = EdgeRelease {
    line: "1.5",
    aziot_edge: "1.5.16-1",
    aziot_identity_service: "1.5.5-1",
    agent_image: "mcr.microsoft.com/azureiotedge-agent:1.5",
    serviced_until: "2026-11-10",
};

/// Every supported line, default first.
pub const EDGE_RELEASES: [EdgeRelease; 2] = [EDGE_1_6, EDGE_1_5];

/// Microsoft's package signing key (ASCII armored), fingerprint
/// `BC52 8686 B50D 79E3 39D3 721C EB3E 94AD BE12 29CF`.
pub const MICROSOFT_KEY: &str = include_str!("../assets/microsoft.asc");

/// The published fingerprint of [`MICROSOFT_KEY`].
pub const MICROSOFT_KEY_FINGERPRINT: &str = "BC528686B50D79E339D3721CEB3E94ADBE1229CF";

/// Moby packages installed before IoT Edge. Microsoft's repository carries the versions IoT Edge
/// is tested with; they are not pinned, so security updates of the container runtime apply.
pub const MOBY_PACKAGES: [&str; 2] = ["moby-engine", "moby-cli"];

/// Default root disk image for an Ubuntu release.
pub fn ubuntu_image(release: &str) -> String {
    format!("docker://quay.io/containerdisks/ubuntu:{release}")
}

/// Default DPS endpoint.
pub const DPS_GLOBAL_ENDPOINT: &str = "https://global.azure-devices-provisioning.net";
