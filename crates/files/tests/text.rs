//! Text for search, from real tools (Debian's poppler-utils and tesseract-ocr, which the test
//! command installs): plain text as it is, a PDF's text layer, and scanned letters, a picture
//! or a PDF with no text layer made here from a rendered page, read by OCR.
#![allow(clippy::unwrap_used)]

use files::{samples, text::extract};

const PHRASE: &str = "Complaint about the bins on Acacia Avenue";

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
    let picture = samples::rendered(&samples::pdf(PHRASE), true);
    assert!(picture.starts_with(b"\x89PNG"), "a picture of the typed page");
    let read = extract("image/png", &picture).await.unwrap().unwrap();
    assert!(says_the_phrase(&read), "OCR of the picture: {read:?}");

    // The same page as a scanner's PDF: a picture only, so no text layer to read.
    let scanned = samples::scanned_letter(PHRASE);
    let read = extract("application/pdf", &scanned).await.unwrap().unwrap();
    assert!(says_the_phrase(&read), "OCR of the scanned PDF: {read:?}");
}
