//! What the wizard asks, step by step: every `EdgeDevice` field as a control, grouped the way an
//! operator thinks about a device. Help text is not written here: it is the model's own field
//! documentation, read from the core's JSON Schema, so the form, the schema and the chart say
//! the same thing.

use std::sync::OnceLock;

use serde_json::Value;

/// How a field is edited, and how its text maps to a JSON value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    /// One line of text.
    Text,
    /// Several lines of text (file content).
    Multiline,
    /// A whole number; anything else is passed on as text for the core to report.
    Number,
    /// A closed list of values, plus "default" (the field left out).
    Choice(&'static [&'static str]),
    /// Yes, no, or default (left out).
    Flag,
    /// A list of strings, one per line.
    Lines,
    /// A string map, one `key=value` per line.
    Pairs,
    /// Any JSON (tolerations, affinity, create options).
    Json,
    /// A `SecretSource`: a masked value, an existing Secret's key, or a file on the device.
    Secret {
        /// PEM material: a text area instead of a one-line input.
        multiline: bool,
        /// Whether `file://` is offered (certificates and keys only).
        file: bool,
    },
}

/// One control.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Field {
    /// Field path in the document; relative to the item for fields of a [`Block::List`].
    pub(crate) path: &'static str,
    pub(crate) label: &'static str,
    pub(crate) kind: Kind,
    /// The value used when the field is left empty, shown as a placeholder.
    pub(crate) default: Option<&'static str>,
    /// The model has no default: an emptied field stays as `""` so the core can say so.
    pub(crate) required: bool,
}

const fn field(path: &'static str, label: &'static str, kind: Kind) -> Field {
    Field {
        path,
        label,
        kind,
        default: None,
        required: false,
    }
}

pub(crate) const fn text(path: &'static str, label: &'static str) -> Field {
    field(path, label, Kind::Text)
}

const fn required(path: &'static str, label: &'static str) -> Field {
    Field {
        required: true,
        ..text(path, label)
    }
}

const fn with_default(f: Field, default: &'static str) -> Field {
    Field {
        default: Some(default),
        ..f
    }
}

const SECRET: Kind = Kind::Secret {
    multiline: false,
    file: false,
};
const PEM: Kind = Kind::Secret {
    multiline: true,
    file: true,
};

/// A part of a step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Block {
    Field(Field),
    /// The provisioning mode and the fields that mode needs.
    Provisioning,
    /// Where the root disk comes from.
    DiskSource,
    /// Which edge CA the device uses.
    EdgeCa,
    /// An optional group switched on by a checkbox that writes `enabled: true` (services,
    /// image garbage collection); its fields show once it is on.
    Toggle {
        path: &'static str,
        label: &'static str,
        fields: &'static [Field],
    },
    /// A list of objects, each with the same fields.
    List {
        path: &'static str,
        label: &'static str,
        item: &'static str,
        fields: &'static [Field],
    },
    /// A titled group of blocks, folded away until opened.
    Advanced {
        title: &'static str,
        blocks: &'static [Block],
    },
}

/// One step of the wizard.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Step {
    pub(crate) title: &'static str,
    /// Field paths whose problems belong to this step.
    pub(crate) owns: &'static [&'static str],
    pub(crate) blocks: &'static [Block],
}

const RUN_STRATEGIES: &[&str] = &["Always", "RerunOnFailure", "Manual", "Halted", "Once"];
const ACCESS_MODES: &[&str] = &["ReadWriteOnce", "ReadWriteMany", "ReadOnlyMany"];
const VOLUME_MODES: &[&str] = &["Filesystem", "Block"];
const SERVICE_TYPES: &[&str] = &["ClusterIP", "NodePort", "LoadBalancer"];

const SERVICE_FIELDS: &[Field] = &[
    with_default(
        field("type", "Service type", Kind::Choice(SERVICE_TYPES)),
        "ClusterIP",
    ),
    field(
        "sourceRanges",
        "Allowed source ranges (CIDR, one per line)",
        Kind::Lines,
    ),
    field(
        "annotations",
        "Service annotations (key=value per line)",
        Kind::Pairs,
    ),
];

/// The steps, in order.
pub(crate) const STEPS: &[Step] = &[
    Step {
        title: "Device and provisioning",
        owns: &[
            "metadata",
            "apiVersion",
            "kind",
            "spec.iotEdge.provisioning",
        ],
        blocks: &[
            Block::Field(required("metadata.name", "Device name")),
            Block::Field(text("metadata.namespace", "Namespace")),
            Block::Field(with_default(
                field(
                    "spec.iotEdge.version",
                    "IoT Edge version",
                    Kind::Choice(&["1.6", "1.5"]),
                ),
                "1.6",
            )),
            Block::Provisioning,
            Block::Advanced {
                title: "More device settings",
                blocks: &[
                    Block::Field(text("spec.iotEdge.hostname", "Hostname")),
                    Block::Field(text("spec.iotEdge.parentHostname", "Parent hostname")),
                    Block::Field(field(
                        "metadata.labels",
                        "Labels (key=value per line)",
                        Kind::Pairs,
                    )),
                    Block::Field(field(
                        "metadata.annotations",
                        "Annotations (key=value per line)",
                        Kind::Pairs,
                    )),
                ],
            },
        ],
    },
    Step {
        title: "VM size and disk",
        owns: &["spec.vm", "spec.disk"],
        blocks: &[
            Block::Field(with_default(
                field("spec.vm.cpu.cores", "vCPU cores", Kind::Number),
                "2",
            )),
            Block::Field(with_default(text("spec.vm.memory", "Memory"), "4Gi")),
            Block::Field(with_default(
                text("spec.disk.size", "Root disk size"),
                "32Gi",
            )),
            Block::Field(with_default(
                text("spec.disk.storageClassName", "Storage class"),
                "cluster default",
            )),
            Block::DiskSource,
            Block::Advanced {
                title: "CPU topology, firmware and placement",
                blocks: &[
                    Block::Field(with_default(
                        field("spec.vm.cpu.sockets", "Sockets", Kind::Number),
                        "1",
                    )),
                    Block::Field(with_default(
                        field("spec.vm.cpu.threads", "Threads per core", Kind::Number),
                        "1",
                    )),
                    Block::Field(text("spec.vm.instancetype.name", "Instancetype name")),
                    Block::Field(text("spec.vm.instancetype.kind", "Instancetype kind")),
                    Block::Field(text("spec.vm.preference.name", "Preference name")),
                    Block::Field(text("spec.vm.preference.kind", "Preference kind")),
                    Block::Field(with_default(
                        text("spec.vm.machineType", "Machine type"),
                        "cluster default",
                    )),
                    Block::Field(with_default(
                        field(
                            "spec.vm.firmware.bootloader",
                            "Firmware",
                            Kind::Choice(&["bios", "efi"]),
                        ),
                        "bios",
                    )),
                    Block::Field(field(
                        "spec.vm.firmware.secureBoot",
                        "Secure boot",
                        Kind::Flag,
                    )),
                    Block::Field(with_default(
                        field(
                            "spec.vm.runStrategy",
                            "Run strategy",
                            Kind::Choice(RUN_STRATEGIES),
                        ),
                        "Always",
                    )),
                    Block::Field(field(
                        "spec.vm.evictionStrategy",
                        "Eviction strategy",
                        Kind::Choice(&["LiveMigrate", "LiveMigrateIfPossible", "External", "None"]),
                    )),
                    Block::Field(field(
                        "spec.vm.nodeSelector",
                        "Node selector (key=value per line)",
                        Kind::Pairs,
                    )),
                    Block::Field(field(
                        "spec.vm.tolerations",
                        "Tolerations (JSON list)",
                        Kind::Json,
                    )),
                    Block::Field(field(
                        "spec.vm.affinity",
                        "Affinity (JSON object)",
                        Kind::Json,
                    )),
                    Block::Field(field(
                        "spec.vm.labels",
                        "Pod labels (key=value per line)",
                        Kind::Pairs,
                    )),
                    Block::Field(field(
                        "spec.vm.annotations",
                        "Pod annotations (key=value per line)",
                        Kind::Pairs,
                    )),
                    Block::Field(with_default(
                        text("spec.vm.macAddress", "MAC address"),
                        "derived from the name",
                    )),
                    Block::Field(field("spec.vm.tpm", "Persistent vTPM", Kind::Flag)),
                ],
            },
            Block::Advanced {
                title: "Disk modes and data disks",
                blocks: &[
                    Block::Field(field(
                        "spec.disk.accessMode",
                        "Access mode",
                        Kind::Choice(ACCESS_MODES),
                    )),
                    Block::Field(field(
                        "spec.disk.volumeMode",
                        "Volume mode",
                        Kind::Choice(VOLUME_MODES),
                    )),
                    Block::List {
                        path: "spec.disk.dataDisks",
                        label: "Data disks",
                        item: "data disk",
                        fields: &[
                            required("name", "Name"),
                            required("size", "Size"),
                            text("storageClassName", "Storage class"),
                            field("accessMode", "Access mode", Kind::Choice(ACCESS_MODES)),
                            field("volumeMode", "Volume mode", Kind::Choice(VOLUME_MODES)),
                        ],
                    },
                ],
            },
        ],
    },
    Step {
        title: "Network and proxy",
        owns: &["spec.network"],
        blocks: &[
            Block::Field(text("spec.network.proxy.httpsProxy", "HTTPS proxy")),
            Block::Field(text("spec.network.proxy.httpProxy", "HTTP proxy")),
            Block::Field(field(
                "spec.network.proxy.noProxy",
                "No proxy for (one per line)",
                Kind::Lines,
            )),
            Block::Field(field(
                "spec.network.nameservers",
                "DNS servers (one per line)",
                Kind::Lines,
            )),
            Block::Advanced {
                title: "Pod network, MTU and secondary networks",
                blocks: &[
                    Block::Field(with_default(
                        field("spec.network.pod", "Pod network", Kind::Flag),
                        "yes",
                    )),
                    Block::Field(field("spec.network.mtu", "MTU", Kind::Number)),
                    Block::Field(field(
                        "spec.network.searchDomains",
                        "DNS search domains (one per line)",
                        Kind::Lines,
                    )),
                    Block::List {
                        path: "spec.network.interfaces",
                        label: "Secondary networks (Multus)",
                        item: "network",
                        fields: &[
                            required("name", "Interface name"),
                            text("networkName", "Existing NetworkAttachmentDefinition"),
                            text(
                                "bridge.bridge",
                                "Node bridge (creates a NetworkAttachmentDefinition)",
                            ),
                            field("bridge.vlan", "VLAN ID", Kind::Number),
                            with_default(text("macAddress", "MAC address"), "derived"),
                            field(
                                "addresses",
                                "Static addresses (CIDR, one per line)",
                                Kind::Lines,
                            ),
                            text("gateway", "Default gateway"),
                        ],
                    },
                ],
            },
        ],
    },
    Step {
        title: "Access and services",
        owns: &["spec.os", "spec.services"],
        blocks: &[
            Block::Field(with_default(
                field(
                    "spec.os.release",
                    "Ubuntu release",
                    Kind::Choice(&["24.04", "22.04"]),
                ),
                "24.04",
            )),
            Block::Field(with_default(text("spec.os.user", "Login user"), "edge")),
            Block::Field(field(
                "spec.os.sshAuthorizedKeys",
                "SSH public keys (one per line)",
                Kind::Lines,
            )),
            Block::Toggle {
                path: "spec.services.ssh",
                label: "SSH Service (port 22)",
                fields: SERVICE_FIELDS,
            },
            Block::Toggle {
                path: "spec.services.gateway",
                label: "Gateway Service (443, 5671, 8883) for downstream devices",
                fields: SERVICE_FIELDS,
            },
            Block::Advanced {
                title: "Password, time and packages",
                blocks: &[
                    Block::Field(text("spec.os.passwordHash", "Password hash")),
                    Block::Field(with_default(text("spec.os.timezone", "Time zone"), "UTC")),
                    Block::Field(field(
                        "spec.os.ntpServers",
                        "NTP servers (one per line)",
                        Kind::Lines,
                    )),
                    Block::Field(field(
                        "spec.os.packages",
                        "Extra packages (one per line)",
                        Kind::Lines,
                    )),
                ],
            },
        ],
    },
    Step {
        title: "Advanced",
        owns: &["spec.iotEdge", "spec.extensions", "spec"],
        blocks: &[
            Block::EdgeCa,
            Block::Field(field("spec.iotEdge.trustBundle", "Trust bundle", PEM)),
            Block::Advanced {
                title: "edgeAgent and registry",
                blocks: &[
                    Block::Field(with_default(
                        text("spec.iotEdge.agent.image", "edgeAgent image"),
                        "mcr.microsoft.com/azureiotedge-agent",
                    )),
                    Block::Field(text(
                        "spec.iotEdge.agent.registry.serverAddress",
                        "Registry server",
                    )),
                    Block::Field(text(
                        "spec.iotEdge.agent.registry.username",
                        "Registry user",
                    )),
                    Block::Field(field(
                        "spec.iotEdge.agent.registry.password",
                        "Registry password",
                        SECRET,
                    )),
                    Block::Field(field(
                        "spec.iotEdge.agent.env",
                        "edgeAgent environment (key=value per line)",
                        Kind::Pairs,
                    )),
                    Block::Field(field(
                        "spec.iotEdge.agent.createOptions",
                        "edgeAgent create options (JSON)",
                        Kind::Json,
                    )),
                    Block::Field(with_default(
                        field(
                            "spec.iotEdge.agent.hostStorage",
                            "Keep edgeAgent storage on the VM disk",
                            Kind::Flag,
                        ),
                        "yes",
                    )),
                ],
            },
            Block::Advanced {
                title: "Docker and image garbage collection",
                blocks: &[
                    Block::Field(with_default(
                        text("spec.iotEdge.docker.logDriver", "Log driver"),
                        "local",
                    )),
                    Block::Field(with_default(
                        text("spec.iotEdge.docker.logMaxSize", "Largest log file"),
                        "10m",
                    )),
                    Block::Field(with_default(
                        field(
                            "spec.iotEdge.docker.logMaxFiles",
                            "Log files kept",
                            Kind::Number,
                        ),
                        "3",
                    )),
                    Block::Field(with_default(
                        text("spec.iotEdge.docker.network", "Module network"),
                        "azure-iot-edge",
                    )),
                    Block::Toggle {
                        path: "spec.iotEdge.imageGarbageCollection",
                        label: "Image garbage collection",
                        fields: &[
                            text("cleanupRecurrence", "Runs every"),
                            text("imageAgeCleanupThreshold", "Remove images unused for"),
                            text("cleanupTime", "Time of day (HH:MM)"),
                        ],
                    },
                ],
            },
            Block::Advanced {
                title: "Reprovisioning and limits",
                blocks: &[
                    Block::Field(with_default(
                        field(
                            "spec.iotEdge.autoReprovisioningMode",
                            "Reprovisioning",
                            Kind::Choice(&["Dynamic", "AlwaysOnStartup", "OnErrorOnly"]),
                        ),
                        "Dynamic",
                    )),
                    Block::Field(field(
                        "spec.iotEdge.preferModuleIdentityCache",
                        "Prefer cached module identities",
                        Kind::Flag,
                    )),
                    Block::Field(text(
                        "spec.iotEdge.localGatewayHostname",
                        "Local gateway hostname",
                    )),
                    Block::Field(field(
                        "spec.iotEdge.maxRequests.management",
                        "Max requests: management API",
                        Kind::Number,
                    )),
                    Block::Field(field(
                        "spec.iotEdge.maxRequests.workload",
                        "Max requests: workload API",
                        Kind::Number,
                    )),
                    Block::Field(field(
                        "spec.iotEdge.maxRequests.keyd",
                        "Max requests: keyd",
                        Kind::Number,
                    )),
                    Block::Field(field(
                        "spec.iotEdge.maxRequests.certd",
                        "Max requests: certd",
                        Kind::Number,
                    )),
                    Block::Field(field(
                        "spec.iotEdge.maxRequests.identityd",
                        "Max requests: identityd",
                        Kind::Number,
                    )),
                    Block::Field(field(
                        "spec.iotEdge.maxRequests.tpmd",
                        "Max requests: tpmd",
                        Kind::Number,
                    )),
                ],
            },
            Block::Advanced {
                title: "Extensions (extra cloud-init)",
                blocks: &[
                    Block::List {
                        path: "spec.extensions.writeFiles",
                        label: "Extra files",
                        item: "file",
                        fields: &[
                            required("path", "Path in the guest"),
                            Field {
                                required: true,
                                ..field("content", "Content", Kind::Multiline)
                            },
                            with_default(text("permissions", "Permissions"), "0644"),
                            with_default(text("owner", "Owner"), "root:root"),
                        ],
                    },
                    Block::Field(field(
                        "spec.extensions.runcmd",
                        "Extra commands (one per line, run by sh -c)",
                        Kind::Lines,
                    )),
                ],
            },
        ],
    },
];

/// The fields each provisioning mode needs, under `spec.iotEdge.provisioning`.
pub(crate) fn provisioning_fields(mode: crate::state::Mode) -> &'static [Field] {
    use crate::state::Mode;
    macro_rules! p {
        ($rest:literal) => {
            concat!("spec.iotEdge.provisioning.", $rest)
        };
    }
    match mode {
        Mode::ConnectionString => {
            const {
                &[field(
                    p!("manual.connectionString"),
                    "Connection string",
                    SECRET,
                )]
            }
        }
        Mode::ManualKey => {
            const {
                &[
                    required(p!("manual.iothubHostname"), "IoT Hub host name"),
                    required(p!("manual.deviceId"), "Device ID"),
                    field(p!("manual.symmetricKey"), "Device primary key", SECRET),
                ]
            }
        }
        Mode::ManualX509 => {
            const {
                &[
                    required(p!("manual.iothubHostname"), "IoT Hub host name"),
                    required(p!("manual.deviceId"), "Device ID"),
                    field(p!("manual.x509.identityCert"), "Identity certificate", PEM),
                    field(p!("manual.x509.identityPk"), "Identity private key", PEM),
                ]
            }
        }
        Mode::DpsKey => {
            const {
                &[
                    required(p!("dps.idScope"), "DPS ID scope"),
                    with_default(
                        text(p!("dps.symmetricKey.registrationId"), "Registration ID"),
                        "the device name",
                    ),
                    field(p!("dps.symmetricKey.deviceKey"), "Enrollment key", SECRET),
                    with_default(
                        text(p!("dps.globalEndpoint"), "DPS endpoint"),
                        "https://global.azure-devices-provisioning.net",
                    ),
                ]
            }
        }
        Mode::DpsGroup => {
            const {
                &[
                    required(p!("dps.idScope"), "DPS ID scope"),
                    with_default(
                        text(p!("dps.symmetricKey.registrationId"), "Registration ID"),
                        "the device name",
                    ),
                    field(
                        p!("dps.symmetricKey.enrollmentGroupKey"),
                        "Enrollment group key",
                        SECRET,
                    ),
                    with_default(
                        text(p!("dps.globalEndpoint"), "DPS endpoint"),
                        "https://global.azure-devices-provisioning.net",
                    ),
                ]
            }
        }
        Mode::DpsX509 => {
            const {
                &[
                    required(p!("dps.idScope"), "DPS ID scope"),
                    with_default(
                        text(p!("dps.x509.registrationId"), "Registration ID"),
                        "the certificate's CN",
                    ),
                    field(p!("dps.x509.identityCert"), "Identity certificate", PEM),
                    field(p!("dps.x509.identityPk"), "Identity private key", PEM),
                    with_default(
                        text(p!("dps.globalEndpoint"), "DPS endpoint"),
                        "https://global.azure-devices-provisioning.net",
                    ),
                ]
            }
        }
        Mode::DpsTpm => {
            const {
                &[
                    required(p!("dps.idScope"), "DPS ID scope"),
                    with_default(
                        text(p!("dps.tpm.registrationId"), "Registration ID"),
                        "the device name",
                    ),
                    with_default(
                        text(p!("dps.globalEndpoint"), "DPS endpoint"),
                        "https://global.azure-devices-provisioning.net",
                    ),
                ]
            }
        }
    }
}

/// Root disk sources: the key under `spec.disk.source`, the label, and the field in it.
pub(crate) const DISK_SOURCES: &[(&str, &str, &str)] = &[
    ("registry", "Import from a container registry", "url"),
    ("http", "Import from an HTTP(S) URL", "url"),
    ("pvc", "An existing PersistentVolumeClaim", "claimName"),
    (
        "containerDisk",
        "Ephemeral containerDisk (test devices only)",
        "image",
    ),
];

/// Edge CA kinds under `spec.iotEdge.edgeCa`, with their fields (relative to the kind).
pub(crate) const EDGE_CAS: &[(&str, &str, &[Field])] = &[
    (
        "quickstart",
        "Quickstart, customized",
        &[
            field(
                "autoGeneratedExpiryDays",
                "Quickstart CA lifetime (days)",
                Kind::Number,
            ),
            text("commonName", "Common name"),
            field("expiryDays", "Lifetime (days)", Kind::Number),
            text("autoRenew.threshold", "Renew at"),
            text("autoRenew.retry", "Retry after"),
            field("autoRenew.rotateKey", "New key at renewal", Kind::Flag),
        ],
    ),
    (
        "provided",
        "Provided certificate and key",
        &[
            field("cert", "CA certificate", PEM),
            field("pk", "CA private key", PEM),
        ],
    ),
    (
        "est",
        "Issued by an EST server",
        &[
            required("url", "EST server URL"),
            text("username", "User"),
            field("password", "Password", SECRET),
            field("bootstrapIdentityCert", "Bootstrap certificate", PEM),
            field("bootstrapIdentityPk", "Bootstrap private key", PEM),
            field("subject", "Subject (key=value per line)", Kind::Pairs),
            text("autoRenew.threshold", "Renew at"),
            text("autoRenew.retry", "Retry after"),
            field("autoRenew.rotateKey", "New key at renewal", Kind::Flag),
        ],
    ),
];

/// The step whose fields a diagnostic at `path` belongs to: the step owning the longest
/// matching prefix.
pub(crate) fn step_of(path: &str) -> usize {
    let mut best = (0, STEPS.len() - 1);
    for (index, step) in STEPS.iter().enumerate() {
        for owned in step.owns {
            if crate::state::is_within(path, owned) && owned.len() > best.0 {
                best = (owned.len(), index);
            }
        }
    }
    best.1
}

/// The model's documentation of the field at `path` (indices are ignored), from the schema.
pub(crate) fn help(path: &str) -> Option<String> {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    let root = SCHEMA.get_or_init(edgevirt_core::json_schema);
    let mut node = root;
    let mut description = None;
    for part in path.split('.') {
        let (key, indexed) = match part.split_once('[') {
            Some((key, _)) => (key, true),
            None => (part, false),
        };
        let property = resolve(root, node).get("properties")?.get(key)?;
        description = property.get("description").and_then(Value::as_str);
        node = property;
        if indexed {
            node = resolve(root, node).get("items")?;
        }
    }
    description.map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Follows `$ref` and the non-null branch of `anyOf` (an `Option` of a struct).
fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..8 {
        if let Some(name) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
        {
            match root.pointer(&format!("/$defs/{name}")) {
                Some(target) => node = target,
                None => return node,
            }
        } else if let Some(branch) = node.get("anyOf").and_then(Value::as_array).and_then(|b| {
            b.iter()
                .find(|v| v.get("type").and_then(Value::as_str) != Some("null"))
        }) {
            node = branch;
        } else {
            return node;
        }
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Mode;

    fn all_fields(blocks: &'static [Block], out: &mut Vec<String>) {
        for block in blocks {
            match block {
                Block::Field(f) => out.push(f.path.to_owned()),
                Block::Toggle { path, fields, .. } => {
                    // The checkbox itself writes `enabled`.
                    out.push(format!("{path}.enabled"));
                    out.extend(fields.iter().map(|f| format!("{path}.{}", f.path)))
                }
                Block::List { path, fields, .. } => {
                    out.extend(fields.iter().map(|f| format!("{path}[0].{}", f.path)))
                }
                Block::Advanced { blocks, .. } => all_fields(blocks, out),
                Block::Provisioning => {
                    for mode in Mode::ALL {
                        out.extend(provisioning_fields(mode).iter().map(|f| f.path.to_owned()));
                    }
                }
                Block::EdgeCa => {
                    for (kind, _, fields) in EDGE_CAS {
                        out.extend(
                            fields
                                .iter()
                                .map(|f| format!("spec.iotEdge.edgeCa.{kind}.{}", f.path)),
                        );
                    }
                }
                Block::DiskSource => {
                    for (kind, _, key) in DISK_SOURCES {
                        out.push(format!("spec.disk.source.{kind}.{key}"));
                    }
                }
            }
        }
    }

    #[test]
    fn every_control_has_help_from_the_model_docs() {
        let mut paths = Vec::new();
        for step in STEPS {
            all_fields(step.blocks, &mut paths);
        }
        assert!(paths.len() > 90, "{}", paths.len());
        let missing: Vec<&String> = paths.iter().filter(|p| help(p).is_none()).collect();
        assert!(missing.is_empty(), "no schema description for {missing:?}");
    }

    /// Every leaf of the schema below `path`: a scalar, a list of scalars, a map, or an object
    /// without declared properties. List items are addressed as `[0]`.
    fn schema_leaves(root: &Value, node: &Value, path: &str, out: &mut Vec<String>) {
        let node = resolve(root, node);
        if let Some(properties) = node.get("properties").and_then(Value::as_object) {
            for (key, child) in properties {
                let child_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                schema_leaves(root, child, &child_path, out);
            }
            return;
        }
        let items = node.get("items").map(|items| resolve(root, items));
        match items {
            Some(items) if items.get("properties").is_some() => {
                schema_leaves(root, items, &format!("{path}[0]"), out)
            }
            _ => out.push(path.to_owned()),
        }
    }

    #[test]
    fn every_field_of_the_model_has_a_control() {
        let mut controls = Vec::new();
        for step in STEPS {
            all_fields(step.blocks, &mut controls);
        }
        let schema = edgevirt_core::json_schema();
        let mut leaves = Vec::new();
        schema_leaves(&schema, &schema, "", &mut leaves);
        assert!(leaves.len() > 90, "{}", leaves.len());
        let missing: Vec<&String> = leaves
            .iter()
            .filter(|leaf| !["apiVersion", "kind"].contains(&leaf.as_str()))
            .filter(|leaf| !controls.iter().any(|c| crate::state::is_within(leaf, c)))
            .collect();
        assert!(missing.is_empty(), "fields without a control: {missing:#?}");
    }

    #[test]
    fn problems_land_on_the_step_that_shows_the_field() {
        assert_eq!(step_of("metadata.name"), 0);
        assert_eq!(step_of("spec.iotEdge.provisioning.dps.idScope"), 0);
        assert_eq!(step_of("spec.vm.memory"), 1);
        assert_eq!(step_of("spec.network.interfaces[0].name"), 2);
        assert_eq!(step_of("spec.services.ssh.type"), 3);
        assert_eq!(step_of("spec.iotEdge.docker.logMaxFiles"), 4);
        assert_eq!(step_of("(document)"), 4);
    }
}
