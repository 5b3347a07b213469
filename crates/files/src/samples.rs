//! Small documents made on the spot, for tests and benchmarks (the `samples` feature): a PDF
//! whose text layer says a phrase, a PDF that is only a picture, as a scanner makes, and a
//! scanned letter: a typed page rendered to a picture by poppler's `pdftoppm`.

use std::io::Write;
use std::process::{Command, Stdio};

/// A PDF of the given objects (numbered from 1, the first the catalog), with its cross-reference
/// table.
fn pdf_of(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

fn stream(dictionary: &str, bytes: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dictionary} /Length {} >>\nstream\n", bytes.len()).into_bytes();
    out.extend_from_slice(bytes);
    out.extend_from_slice(b"\nendstream");
    out
}

/// A one-page PDF whose text layer says `phrase` (Helvetica, 24 pt).
pub fn pdf(phrase: &str) -> Vec<u8> {
    let content = format!("BT /F1 24 Tf 72 700 Td ({phrase}) Tj ET");
    pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        stream("", content.as_bytes()),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ])
}

/// A one-page PDF that is only a grey picture (`width` × `height` bytes, one per pixel), with no
/// text layer: a letter as a scanner delivers it.
pub fn scanned_pdf(pixels: &[u8], width: u32, height: u32) -> Vec<u8> {
    let content = format!("q 612 0 0 {} 0 0 cm /Scan Do Q", 612 * height / width.max(1));
    let image = format!(
        "/Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceGray /BitsPerComponent 8"
    );
    pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /Scan 5 0 R >> >> >>"
            .to_vec(),
        stream("", content.as_bytes()),
        stream(&image, pixels),
    ])
}

/// The page of `pdf` as a grey picture at 150 dpi, rendered by `pdftoppm` (poppler-utils, which
/// the test command installs): PNG when `png`, else a binary PGM.
pub fn rendered(pdf: &[u8], png: bool) -> Vec<u8> {
    let mut child = Command::new("pdftoppm")
        .args(["-r", "150", "-gray", "-singlefile"])
        .args(if png { &["-png"][..] } else { &[][..] })
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pdftoppm (poppler-utils) is installed");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let pdf = pdf.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&pdf).expect("pdftoppm reads the page"));
    let output = child.wait_with_output().expect("pdftoppm runs");
    writer.join().expect("the page was written");
    assert!(output.status.success(), "pdftoppm: {}", output.status);
    output.stdout
}

/// Width, height and pixels of a binary greyscale PGM (`P5 w h 255\n` then one byte a pixel).
pub fn pgm_pixels(pgm: &[u8]) -> (u32, u32, &[u8]) {
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..at]).into_owned());
        at += 1;
    }
    assert_eq!((fields[0].as_str(), fields[3].as_str()), ("P5", "255"), "a binary greyscale PGM");
    let number = |field: &str| field.parse().expect("a PGM dimension");
    (number(&fields[1]), number(&fields[2]), &pgm[at..])
}

/// A letter as a scanner delivers it: `phrase` typed on a page, rendered to a picture, and
/// that picture alone in a PDF, with no text layer (only OCR can read it).
pub fn scanned_letter(phrase: &str) -> Vec<u8> {
    let pgm = rendered(&pdf(phrase), false);
    let (width, height, pixels) = pgm_pixels(&pgm);
    scanned_pdf(pixels, width, height)
}
