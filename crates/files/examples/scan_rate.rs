//! clamd's scanning rate for docs/performance.md, beside the sealing rate: with clamd running
//! (`source scripts/lib.sh; ensure_clamd`),
//! `cargo run --release -p files --example scan_rate [MiB, at most 24]` (default 20).

use files::{Scanner, Verdict};
use std::time::{Duration, Instant};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mib: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20);
    let address = std::env::var("CASEDESK_TEST_CLAMD").unwrap_or_else(|_| "127.0.0.1:13310".into());
    let scanner = Scanner::new(address, Duration::from_secs(60));
    let letter: Vec<u8> = b"Dear Sir or Madam, I write about my council tax bill. ".repeat(mib * 1024 * 1024 / 54);
    let mut took = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        assert_eq!(scanner.scan(&letter).await, Ok(Verdict::Clean));
        took.push(started.elapsed().as_secs_f64());
    }
    took.sort_by(f64::total_cmp);
    let size = letter.len() as f64 / (1024.0 * 1024.0);
    println!("scanned {size:.1} MiB of text: median {:.3} s, {:.0} MiB/s", took[2], size / took[2]);
}
