//! Text for search, from real tools (Debian's poppler-utils and tesseract-ocr, which the test
//! command installs): plain text as it is, a PDF's text layer, and scanned letters, a picture
//! or a PDF with no text layer made here from a rendered page, read by OCR.
#![allow(clippy::unwrap_used)]

use files::{samples, text::extract};
use tokio::io::AsyncWriteExt;

const PHRASE: &str = "Complaint about the bins on Acacia Avenue";

/// The page of `pdf` as a grey picture rendered by pdftoppm: PNG with `-png`, else raw PGM.
async fn rendered(pdf: &[u8], format: &[&str]) -> Vec<u8> {
    let mut child = tokio::process::Command::new("pdftoppm")
        .args(["-r", "150", "-gray", "-singlefile"])
        .args(format)
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pdftoppm (poppler-utils) is installed");
    let mut stdin = child.stdin.take().unwrap();
    let pdf = pdf.to_vec();
    tokio::spawn(async move { stdin.write_all(&pdf).await.unwrap() });
    child.wait_with_output().await.unwrap().stdout
}

/// Words, lower-cased, so OCR's reading of spacing and case does not matter.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

fn says_the_phrase(text: &str) -> bool {
    words(text).windows(7).any(|w| w == words(PHRASE).as_slice())
}

#[tokio::test]
async fn plain_text_and_a_pdf_s_text_layer_are_read_as_they_are() {
    let plain = extract("text/plain", format!("Dear Council,\n{PHRASE}.\n").as_bytes()).await.unwrap().unwrap();
    assert!(says_the_phrase(&plain), "{plain}");
    let layer = extract("application/pdf", &samples::pdf(PHRASE)).await.unwrap().unwrap();
    assert_eq!(layer.trim(), PHRASE);
    assert_eq!(extract("application/zip", b"PK\x03\x04").await.unwrap(), None, "no text in an archive");
}

#[tokio::test]
async fn scanned_letters_are_read_by_ocr() {
    let page = samples::pdf(PHRASE);
    let picture = rendered(&page, &["-png"]).await;
    assert!(picture.starts_with(b"\x89PNG"), "a picture of the typed page");
    let read = extract("image/png", &picture).await.unwrap().unwrap();
    assert!(says_the_phrase(&read), "OCR of the picture: {read:?}");

    // The same page as a scanner's PDF: a picture only, so no text layer to read.
    let pgm = rendered(&page, &[]).await;
    let (width, height, pixels) = pgm_pixels(&pgm);
    let scanned = samples::scanned_pdf(pixels, width, height);
    let read = extract("application/pdf", &scanned).await.unwrap().unwrap();
    assert!(says_the_phrase(&read), "OCR of the scanned PDF: {read:?}");
}

/// Width, height and pixels of a binary greyscale PGM (`P5 w h 255\n` then one byte a pixel).
fn pgm_pixels(pgm: &[u8]) -> (u32, u32, &[u8]) {
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(std::str::from_utf8(&pgm[start..at]).unwrap().to_owned());
        at += 1;
    }
    assert_eq!((fields[0].as_str(), fields[3].as_str()), ("P5", "255"));
    (fields[1].parse().unwrap(), fields[2].parse().unwrap(), &pgm[at..])
}
