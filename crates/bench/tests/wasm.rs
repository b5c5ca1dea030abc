//! The benchmark kernels in headless Chromium (`cargo test -p bench --profile
//! bench --target wasm32-unknown-unknown`): each kernel's throughput and its
//! ratio to a memcpy of the same bytes measured in the same page. It prints
//! the table and asserts no timing; CRC32C's 1 GB/s target shows as met or not.
#![cfg(target_arch = "wasm32")]

use bench::report::{median, plan, render, Platform, Row};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Runs per sample are doubled until a sample takes this long.
const SAMPLE_MS: f64 = 10.0;
const SAMPLES: usize = 7;

fn now_ms() -> f64 {
    web_sys::window()
        .expect("a page")
        .performance()
        .expect("performance.now")
        .now()
}

#[wasm_bindgen_test]
fn storage_kernels_in_the_browser() {
    let mut rows = Vec::new();
    for mut kernel in plan(Platform::Browser) {
        let mut runs = 1_u32;
        loop {
            let start = now_ms();
            for _ in 0..runs {
                kernel.run();
            }
            if now_ms() - start >= SAMPLE_MS {
                break;
            }
            runs *= 2;
        }
        let samples = (0..SAMPLES)
            .map(|_| {
                let start = now_ms();
                for _ in 0..runs {
                    kernel.run();
                }
                (now_ms() - start) / 1e3 / f64::from(runs)
            })
            .collect();
        rows.push(Row::new(&kernel, median(samples)));
    }
    assert!(
        rows.iter().all(|r| r.seconds > 0.0),
        "every kernel took time"
    );
    console_log!(
        "{}",
        render(
            &rows,
            "WebAssembly in headless Chromium (median per run; ratios against memcpy of the same bytes, this run):"
        )
    );
}
