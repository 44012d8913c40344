//! Time to expand, check and render a fleet of 10,000 devices from a CSV inventory, from the
//! document's text to the YAML stream, as `edgevirt render` does it on one thread. Run with
//! `cargo bench -p edgevirt-core --bench fleet`; `scripts/bench_fleet.py` measures the CLI
//! (time and peak memory), natively and under wasmtime.

use criterion::{Criterion, criterion_group, criterion_main};

const DEVICES: usize = 10_000;
const GROUP_KEY: &str =
    "ZXhhbXBsZS1ncm91cC1rZXktZm9yLWVkZ2V2aXJ0LWRvY3Mtbm90LWEtcmVhbC1rZXktMDEyMzQ1Njc4OQ==";

/// The fleet scripts/bench_fleet.py generates: a name, site, static IP, MAC and DPS
/// registration ID per row, and DPS group enrollment.
fn fleet(devices: usize) -> String {
    let mut rows = String::new();
    for i in 1..=devices {
        let site = format!("plant-{}", i % 7);
        rows.push_str(&format!(
            "    edge-{i:05},{site},10.20.{}.{},02:00:00:{:02x}:{:02x}:{:02x},{site}.edge-{i:05}\n",
            i / 250,
            i % 250 + 2,
            i >> 16 & 0xff,
            i >> 8 & 0xff,
            i & 0xff,
        ));
    }
    format!(
        "apiVersion: edgevirt.dev/v1alpha1
kind: EdgeDeviceFleet
metadata: {{name: bench, namespace: iot-edge}}
spec:
  template:
    metadata:
      name: '{{{{ name }}}}'
      labels: {{site: '{{{{ site }}}}'}}
    spec:
      network:
        interfaces:
          - name: lan
            networkName: iot-edge/plant-lan
            macAddress: '{{{{ mac }}}}'
            addresses: ['{{{{ ip }}}}/16']
            gateway: 10.20.0.1
      iotEdge:
        provisioning:
          dps:
            idScope: 0ne00000A0A
            symmetricKey:
              registrationId: '{{{{ registration }}}}'
              enrollmentGroupKey: {{value: \"{GROUP_KEY}\"}}
  inventoryCsv: |
    name,site,ip,mac,registration
{rows}"
    )
}

fn render_fleet(c: &mut Criterion) {
    let text = fleet(DEVICES);
    let mut group = c.benchmark_group("fleet");
    group.sample_size(10);
    group.bench_function(format!("validate/{DEVICES}"), |b| {
        b.iter(|| {
            let devices = edgevirt_core::validate_documents(std::hint::black_box(&text));
            devices.map(|d| d.specs().len())
        })
    });
    group.bench_function(format!("render/{DEVICES}"), |b| {
        b.iter(|| {
            let devices = edgevirt_core::validate_documents(std::hint::black_box(&text));
            devices.map(|d| d.to_yaml().len())
        })
    });
    group.finish();
}

criterion_group!(benches, render_fleet);
criterion_main!(benches);
