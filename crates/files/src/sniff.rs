//! What an upload is, told from its first bytes (magic numbers), never from its name or the
//! type the browser claimed: a `.pdf` that is really an executable is refused. Only the kinds a
//! customer-services team receives are allowed.

/// How many leading bytes [`content_type`] needs to decide (fewer when the document is shorter):
/// enough for an office document's zip directory to name what it holds.
pub const SNIFF_BYTES: usize = 8 * 1024;

/// The kinds allowed, by the MIME type `infer` names them with.
const ALLOWED: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/tiff",
    "image/gif",
    "image/webp",
    "image/bmp",
    "application/rtf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    // Bundles of evidence arrive zipped; clamd unpacks and scans what is inside.
    "application/zip",
];

/// Plain text: what a letter typed into an email, a CSV or an `.eml` is.
pub const TEXT: &str = "text/plain";

/// The allowed content type of a document starting with `head` (its first [`SNIFF_BYTES`], or
/// all of it when shorter), or `None` when it is of a kind not allowed.
pub fn content_type(head: &[u8]) -> Option<&'static str> {
    if let Some(kind) = infer::get(head) {
        return ALLOWED.iter().copied().find(|allowed| *allowed == kind.mime_type());
    }
    is_text(head).then_some(TEXT)
}

/// UTF-8 without NUL or other control characters than white space. The head may end part way
/// through a character, which is not held against it.
fn is_text(head: &[u8]) -> bool {
    if head.is_empty() {
        return false;
    }
    let valid = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(error) if error.error_len().is_none() => {
            std::str::from_utf8(&head[..error.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    valid.chars().all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
}

/// Whether documents of this type can be shown in the browser (a PDF or a picture) rather than
/// only downloaded.
pub fn previewable(content_type: &str) -> bool {
    content_type == "application/pdf" || content_type.starts_with("image/") && content_type != "image/tiff"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_the_bytes() {
        assert_eq!(content_type(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), Some("application/pdf"));
        assert_eq!(content_type(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some("image/png"));
        assert_eq!(content_type(b"\xff\xd8\xff\xe0\0\x10JFIF\0"), Some("image/jpeg"));
        assert_eq!(content_type(b"Dear Sir,\r\nI write about my bin.\n"), Some(TEXT));
        assert_eq!(content_type("Café – cost £3".as_bytes()), Some(TEXT));
    }

    #[test]
    fn other_kinds_are_refused() {
        assert_eq!(content_type(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff"), None, "a Windows executable");
        assert_eq!(content_type(b"\x7fELF\x02\x01\x01\0"), None, "a Linux executable");
        assert_eq!(content_type(b"text\0with a NUL"), None);
        assert_eq!(content_type(b"\xc3\x28 not UTF-8"), None);
        assert_eq!(content_type(b""), None, "nothing at all");
    }

    #[test]
    fn a_head_cut_inside_a_character_is_still_text() {
        let text = "£".repeat(10);
        let cut = &text.as_bytes()[..text.len() - 1];
        assert_eq!(content_type(cut), Some(TEXT));
    }

    #[test]
    fn pdfs_and_pictures_preview() {
        assert!(previewable("application/pdf"));
        assert!(previewable("image/png"));
        assert!(!previewable("image/tiff"), "browsers do not show TIFF");
        assert!(!previewable("text/plain"));
        assert!(!previewable("application/zip"));
    }
}
