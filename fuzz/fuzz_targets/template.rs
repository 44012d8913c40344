#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| edgevirt_fuzz::template(data));
