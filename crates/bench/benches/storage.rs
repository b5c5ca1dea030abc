//! `cargo bench -p bench`: every kernel of the plan under criterion, then the
//! table of throughputs as ratios against memcpy of the same bytes, measured
//! in this same run.

#[cfg(target_arch = "wasm32")]
fn main() {
    // In the browser the kernels run as tests/wasm.rs; criterion is native only.
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::time::{Duration, Instant};

    use bench::report::{median, plan, render, Platform, Row};
    use criterion::{Criterion, Throughput};

    pub fn main() {
        let mut criterion = Criterion::default()
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2))
            .configure_from_args();
        let mut rows = Vec::new();
        let mut group = criterion.benchmark_group("storage");
        for mut kernel in plan(Platform::Native) {
            let samples = Rc::new(RefCell::new(Vec::new()));
            group.throughput(Throughput::Bytes(kernel.bytes as u64));
            let seen = Rc::clone(&samples);
            group.bench_function(kernel.name.clone(), |b| {
                b.iter_custom(|iters| {
                    let start = Instant::now();
                    for _ in 0..iters {
                        kernel.run();
                    }
                    let elapsed = start.elapsed();
                    seen.borrow_mut().push(elapsed.as_secs_f64() / iters as f64);
                    elapsed
                })
            });
            let samples = samples.take();
            if !samples.is_empty() {
                rows.push(Row::new(&kernel, median(samples)));
            }
        }
        group.finish();
        criterion.final_summary();
        if !rows.is_empty() {
            println!("\n{}", render(&rows, "Native, one core (median per run; ratios against memcpy of the same bytes, this run):"));
        }
    }
}
