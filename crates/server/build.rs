// Release builds embed the SPA from dist/; rebuild when it changes so a new frontend is never
// shipped inside an old binary.
fn main() {
    println!("cargo:rerun-if-changed=../../dist");
}
