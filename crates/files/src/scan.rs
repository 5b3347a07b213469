//! Virus checking (SEC-13) with clamd's INSTREAM command: a document is streamed to the
//! scanner as it arrives, and only clamd's "OK" lets it be kept. Anything else, an unreachable
//! scanner, a timeout or a reply that is neither clean nor a named signature, is an error: the
//! caller refuses the upload (fail closed), never stores it unscanned.

use std::time::Duration;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    time::timeout,
};

/// What clamd said of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Clean,
    /// The signature it matched, as clamd names it (e.g. `Eicar-Test-Signature`).
    Infected(String),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ScanError {
    #[error("the virus scanner could not be reached")]
    Unavailable,
    #[error("the virus scanner did not answer in time")]
    TimedOut,
    /// The document is over clamd's limits (`StreamMaxLength`, or with `AlertExceedsMax` its
    /// `MaxFileSize`/`MaxScanSize`): it could not be checked whole, which is no verdict at all.
    #[error("the document is larger than the virus scanner checks")]
    TooLarge,
    /// clamd answered with some other error.
    #[error("the virus scanner refused the document: {0}")]
    Refused(String),
}

/// Where clamd listens, and how long any one step may take.
#[derive(Debug, Clone)]
pub struct Scanner {
    address: String,
    wait: Duration,
}

/// clamd's own limit on one INSTREAM chunk is far above this; smaller chunks keep the memory a
/// scan holds small.
const MOST_PER_CHUNK: usize = 64 * 1024;

impl Scanner {
    /// `address` is clamd's TCP socket, e.g. `127.0.0.1:3310`.
    pub fn new(address: impl Into<String>, wait: Duration) -> Self {
        Self { address: address.into(), wait }
    }

    async fn step<T>(&self, work: impl Future<Output = std::io::Result<T>>) -> Result<T, ScanError> {
        match timeout(self.wait, work).await {
            Err(_) => Err(ScanError::TimedOut),
            Ok(Err(_)) => Err(ScanError::Unavailable),
            Ok(Ok(value)) => Ok(value),
        }
    }

    /// Whether clamd answers `PING`.
    pub async fn ping(&self) -> Result<(), ScanError> {
        let mut stream = self.step(TcpStream::connect(&self.address)).await?;
        self.step(stream.write_all(b"zPING\0")).await?;
        let mut reply = Vec::new();
        self.step(stream.read_to_end(&mut reply)).await?;
        if reply.starts_with(b"PONG") { Ok(()) } else { Err(ScanError::Refused(text(&reply))) }
    }

    /// Starts scanning a document whose bytes will be sent with [`Scan::send`].
    pub async fn start(&self) -> Result<Scan<'_>, ScanError> {
        let mut stream = self.step(TcpStream::connect(&self.address)).await?;
        self.step(stream.write_all(b"zINSTREAM\0")).await?;
        Ok(Scan { scanner: self, stream, refused_early: false })
    }

    /// Scans a document held in memory.
    pub async fn scan(&self, bytes: &[u8]) -> Result<Verdict, ScanError> {
        let mut scan = self.start().await?;
        scan.send(bytes).await?;
        scan.finish().await
    }
}

/// One document on its way to clamd.
#[derive(Debug)]
pub struct Scan<'a> {
    scanner: &'a Scanner,
    stream: TcpStream,
    /// clamd stopped reading (over its size limit): its reply says why.
    refused_early: bool,
}

impl Scan<'_> {
    /// Sends the next bytes of the document.
    pub async fn send(&mut self, bytes: &[u8]) -> Result<(), ScanError> {
        for piece in bytes.chunks(MOST_PER_CHUNK) {
            if self.refused_early {
                return Ok(());
            }
            let length = u32::try_from(piece.len()).expect("a piece within 64 KiB").to_be_bytes();
            let sent = async {
                self.stream.write_all(&length).await?;
                self.stream.write_all(piece).await
            };
            match timeout(self.scanner.wait, sent).await {
                Err(_) => return Err(ScanError::TimedOut),
                // clamd closes the connection when a document passes its limit; its reply, read
                // in `finish`, says so.
                Ok(Err(_)) => self.refused_early = true,
                Ok(Ok(())) => {}
            }
        }
        Ok(())
    }

    /// Ends the document and reads clamd's verdict.
    pub async fn finish(mut self) -> Result<Verdict, ScanError> {
        if !self.refused_early {
            // A failed write here is read as the reply below, like any early refusal.
            let _ = timeout(self.scanner.wait, self.stream.write_all(&0u32.to_be_bytes())).await;
        }
        let mut reply = Vec::new();
        self.scanner.step(self.stream.read_to_end(&mut reply)).await?;
        verdict(&text(&reply))
    }
}

fn text(reply: &[u8]) -> String {
    String::from_utf8_lossy(reply).trim_end_matches(['\0', '\n']).to_owned()
}

/// `stream: OK`, `stream: <signature> FOUND`, or an error.
fn verdict(reply: &str) -> Result<Verdict, ScanError> {
    let body = reply.strip_prefix("stream: ").unwrap_or(reply);
    if body == "OK" {
        return Ok(Verdict::Clean);
    }
    if let Some(signature) = body.strip_suffix(" FOUND") {
        if signature.starts_with("Heuristics.Limits.Exceeded") {
            return Err(ScanError::TooLarge);
        }
        return Ok(Verdict::Infected(signature.trim_end_matches(".UNOFFICIAL").to_owned()));
    }
    if body.starts_with("INSTREAM size limit exceeded") {
        return Err(ScanError::TooLarge);
    }
    if reply.is_empty() {
        return Err(ScanError::Unavailable);
    }
    Err(ScanError::Refused(reply.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_read_strictly() {
        assert_eq!(verdict("stream: OK"), Ok(Verdict::Clean));
        assert_eq!(
            verdict("stream: Eicar-Test-Signature-Body.UNOFFICIAL FOUND"),
            Ok(Verdict::Infected("Eicar-Test-Signature-Body".into()))
        );
        assert_eq!(verdict("INSTREAM size limit exceeded. ERROR"), Err(ScanError::TooLarge));
        assert_eq!(verdict("stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND"), Err(ScanError::TooLarge));
        let other = "stream: lstat() failed. ERROR";
        assert_eq!(verdict(other), Err(ScanError::Refused(other.into())));
        assert_eq!(verdict(""), Err(ScanError::Unavailable));
        // "OK" somewhere in an error is not clean.
        assert!(matches!(verdict("stream: OK? no: lstat() failed. ERROR"), Err(ScanError::Refused(_))));
    }
}
