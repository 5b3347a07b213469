//! The scanner against a real clamd on loopback, started by the test command
//! (`scripts/lib.sh`, `ensure_clamd`) with signatures built from the EICAR test string.

use files::{ScanError, Scanner, Verdict};
use std::{io::Write, time::Duration};

fn clamd() -> Scanner {
    let address = std::env::var("CASEDESK_TEST_CLAMD").unwrap_or_else(|_| "127.0.0.1:13310".into());
    Scanner::new(address, Duration::from_secs(10))
}

/// The EICAR test file, made here: never kept on disk, where other scanners would flag it.
fn eicar() -> Vec<u8> {
    [r"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR", "-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"].concat().into_bytes()
}

fn letter() -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    pdf.extend(b"Dear Sir or Madam, I write about my council tax bill. ".repeat(2_000));
    pdf.extend(b"\n%%EOF\n");
    pdf
}

#[tokio::test]
async fn a_clean_letter_passes_and_eicar_is_named_however_it_arrives() {
    let scanner = clamd();
    scanner.ping().await.expect("clamd answers: run the test command, which starts it");
    assert_eq!(scanner.scan(&letter()).await, Ok(Verdict::Clean));
    let found = scanner.scan(&eicar()).await;
    assert!(matches!(&found, Ok(Verdict::Infected(name)) if name.starts_with("Eicar-Test-Signature")), "{found:?}");

    // Inside a 100 KB letter, sent 7 bytes at a time.
    let mut hidden = letter();
    hidden.extend(eicar());
    hidden.extend(letter());
    let mut scan = scanner.start().await.expect("starts");
    for piece in hidden.chunks(7) {
        scan.send(piece).await.expect("sends");
    }
    let found = scan.finish().await;
    assert!(matches!(&found, Ok(Verdict::Infected(name)) if name.starts_with("Eicar-Test-Signature")), "{found:?}");

    // Inside a deflated zip, which clamd must unpack to see it.
    let mut zipped = std::io::Cursor::new(Vec::new());
    {
        let mut archive = zip::ZipWriter::new(&mut zipped);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        archive.start_file("letter.txt", options).expect("adds a file");
        archive.write_all(&letter()).expect("writes");
        archive.start_file("readme.com", options).expect("adds a file");
        archive.write_all(&eicar()).expect("writes");
        archive.finish().expect("finishes");
    }
    let zipped = zipped.into_inner();
    assert!(!zipped.windows(20).any(|w| w == &eicar()[..20]), "deflated: not visible as plain bytes");
    assert!(matches!(scanner.scan(&zipped).await, Ok(Verdict::Infected(_))));
}

#[tokio::test]
async fn a_document_over_clamd_s_limit_is_refused_not_passed() {
    // The test clamd keeps StreamMaxLength at 25 MiB.
    let big = vec![b'a'; 26 * 1024 * 1024];
    let refused = clamd().scan(&big).await;
    assert_eq!(refused, Err(ScanError::TooLarge));
}

#[tokio::test]
async fn no_scanner_is_an_error_never_a_pass() {
    // Nothing listens here: connection refused.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let address = closed.local_addr().expect("its address").to_string();
    drop(closed);
    let nowhere = Scanner::new(address, Duration::from_secs(2));
    assert_eq!(nowhere.scan(&letter()).await, Err(ScanError::Unavailable));

    // A scanner that takes the document and never answers.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let address = silent.local_addr().expect("its address").to_string();
    let held = tokio::spawn(async move {
        let (socket, _) = silent.accept().await.expect("accepts");
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(socket);
    });
    let slow = Scanner::new(address, Duration::from_millis(300));
    assert_eq!(slow.scan(&letter()).await, Err(ScanError::TimedOut));
    held.abort();
}
