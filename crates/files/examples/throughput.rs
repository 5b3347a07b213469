//! Sealing and opening throughput on one core, for docs/performance.md:
//! `cargo run --release -p files --example throughput [MiB]` (default 512).

use files::{MasterKey, Opener, Sealer};
use std::time::Instant;

fn main() {
    let mib: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(512);
    let (tenant, _) = MasterKey::generate().new_tenant_key([1; 16], 1);
    let (key, _) = tenant.new_data_key([7; 16]);
    let piece: Vec<u8> = (0..1024 * 1024).map(|i| (i % 251) as u8).collect();

    let started = Instant::now();
    let (mut sealer, mut blob) = Sealer::new(&key, &[7; 16]);
    for _ in 0..mib {
        blob.extend(sealer.push(&piece));
    }
    let (last, sealed) = sealer.finish();
    blob.extend(last);
    let seal_secs = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let mut opener = Opener::new(&key, &[7; 16]);
    let mut opened_bytes = 0;
    for part in blob.chunks(1024 * 1024) {
        opened_bytes += opener.push(part).expect("opens").len();
    }
    let (last, opened) = opener.finish().expect("opens");
    opened_bytes += last.len();
    let open_secs = started.elapsed().as_secs_f64();
    assert_eq!((opened.sha256, opened_bytes as u64), (sealed.sha256, sealed.plain_bytes));
    println!("sealed {mib} MiB in {seal_secs:.2} s: {:.0} MiB/s", mib as f64 / seal_secs);
    println!("opened {mib} MiB in {open_secs:.2} s: {:.0} MiB/s", mib as f64 / open_secs);
}
