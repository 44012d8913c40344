//! Time to render one device, minimal and maximal, from YAML text to the YAML stream: what every
//! shell does per device. Run with `cargo bench -p edgevirt-core --bench render`.

use criterion::{Criterion, criterion_group, criterion_main};

const MINIMAL: &str = include_str!("../../examples/minimal.yaml");
const FULL: &str = include_str!("../../examples/full.yaml");

fn render(c: &mut Criterion) {
    for (name, input) in [("minimal", MINIMAL), ("full", FULL)] {
        c.bench_function(&format!("render_device/{name}"), |b| {
            b.iter(|| {
                let rendered = edgevirt_core::render_device(std::hint::black_box(input));
                rendered.map(|r| r.manifests.to_yaml().len())
            })
        });
    }
}

criterion_group!(benches, render);
criterion_main!(benches);
