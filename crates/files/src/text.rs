//! What a document says, as text, so that searching for a phrase from a letter finds it (issue
//! 16, item 6). Plain text is itself; a PDF's text layer is read with poppler's `pdftotext`;
//! pictures, and PDFs with no text layer (scanned letters), are read by Tesseract's OCR, a page
//! at a time rendered by `pdftoppm`. The tools are Debian's (poppler-utils, tesseract-ocr); the
//! bytes go to them on stdin and the text comes back on stdout, so nothing is written to disk.

use std::{process::Stdio, time::Duration};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    process::Command,
};

/// The most text kept of one document: a letter's worth many times over.
pub const MOST_CHARS: usize = 200_000;
/// The most pages of a scanned PDF read by OCR (each takes a second or two).
pub const MOST_OCR_PAGES: u32 = 20;
/// Below this many letters and digits, a PDF's text layer is taken to be missing (a scanner's
/// page has none, or only a stray mark) and its pages are read by OCR instead.
const TEXT_LAYER_MIN: usize = 20;
/// How long any one tool may take.
const TOOL_TIME: Duration = Duration::from_secs(120);
/// Pictures Tesseract reads (through Leptonica).
const PICTURES: [&str; 5] = ["image/png", "image/jpeg", "image/tiff", "image/gif", "image/bmp"];

#[derive(Debug, thiserror::Error)]
pub enum TextError {
    #[error("{0} is not installed")]
    ToolMissing(&'static str),
    #[error("{tool} failed ({detail})")]
    ToolFailed { tool: &'static str, detail: String },
    #[error("{0} took too long")]
    TimedOut(&'static str),
}

/// The document's text, or `None` for kinds that have none (office files, archives).
pub async fn extract(content_type: &str, bytes: &[u8]) -> Result<Option<String>, TextError> {
    let text = match content_type {
        "text/plain" => String::from_utf8_lossy(bytes).into_owned(),
        "application/pdf" => pdf_text(bytes).await?,
        picture if PICTURES.contains(&picture) => ocr(bytes).await?,
        _ => return Ok(None),
    };
    Ok(Some(text.chars().take(MOST_CHARS).collect()))
}

async fn pdf_text(pdf: &[u8]) -> Result<String, TextError> {
    let layer = lossy(run("pdftotext", &["-q", "-", "-"], pdf).await?);
    if layer.chars().filter(|c| c.is_alphanumeric()).count() >= TEXT_LAYER_MIN {
        return Ok(layer);
    }
    let info = lossy(run("pdfinfo", &["-"], pdf).await?);
    let pages: u32 =
        info.lines().find_map(|line| line.strip_prefix("Pages:").and_then(|n| n.trim().parse().ok())).unwrap_or(1);
    let mut text = String::new();
    for page in 1..=pages.min(MOST_OCR_PAGES) {
        let page = page.to_string();
        let args = ["-r", "300", "-gray", "-png", "-singlefile", "-f", page.as_str(), "-l", page.as_str(), "-"];
        let picture = run("pdftoppm", &args, pdf).await?;
        text.push_str(&ocr(&picture).await?);
        text.push('\n');
    }
    Ok(text)
}

async fn ocr(picture: &[u8]) -> Result<String, TextError> {
    Ok(lossy(run("tesseract", &["stdin", "stdout", "-l", "eng", "--psm", "3"], picture).await?))
}

fn lossy(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Runs `tool` with `input` on its stdin; its stdout.
async fn run(tool: &'static str, args: &[&str], input: &[u8]) -> Result<Vec<u8>, TextError> {
    let mut child = Command::new(tool)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => TextError::ToolMissing(tool),
            _ => TextError::ToolFailed { tool, detail: error.to_string() },
        })?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let failed = |error: std::io::Error| TextError::ToolFailed { tool, detail: error.to_string() };
    let work = async {
        // Written and read at once: a tool that answers as it reads would otherwise block on a
        // full pipe. A tool that stops reading early (it has what it needs) is not an error.
        let write = async {
            let _ = stdin.write_all(input).await;
            drop(stdin);
        };
        let mut output = Vec::new();
        let (_, read) = tokio::join!(write, stdout.read_to_end(&mut output));
        read.map_err(failed)?;
        let status = child.wait().await.map_err(failed)?;
        if !status.success() {
            return Err(TextError::ToolFailed { tool, detail: status.to_string() });
        }
        Ok(output)
    };
    tokio::time::timeout(TOOL_TIME, work).await.map_err(|_| TextError::TimedOut(tool))?
}
