//! The one place that writes a connector's stdout, and result files.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use flate2::Compression;
use flate2::write::GzEncoder;

/// What a command line run produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOutput {
    /// Everything for stdout: one JSON document and a newline, or nothing.
    pub stdout: String,
    /// Diagnostics for stderr.
    pub stderr: String,
    /// The process exit code.
    pub exit_code: u8,
}

impl RunOutput {
    /// A run that printed a document.
    pub(crate) fn document(stdout: String) -> Self {
        Self {
            stdout,
            stderr: String::new(),
            exit_code: 0,
        }
    }

    /// A run that failed with a message on stderr.
    pub(crate) fn failure(exit_code: u8, stderr: String) -> Self {
        Self {
            stdout: String::new(),
            stderr,
            exit_code,
        }
    }
}

/// Prints the document, or writes it gzipped to `result_file` and prints nothing.
pub(crate) fn deliver(document: String, result_file: Option<&Path>) -> RunOutput {
    let Some(path) = result_file else {
        return RunOutput::document(document + "\n");
    };
    match write_gzip(path, document.as_bytes()) {
        Ok(()) => RunOutput::document(String::new()),
        Err(error) => RunOutput::failure(
            1,
            format!(
                "error: cannot write the result file {}: {error}\n",
                path.display()
            ),
        ),
    }
}

fn write_gzip(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let file = std::fs::File::create(path)?;
    let mut encoder = GzEncoder::new(file, Compression::default());
    encoder.write_all(bytes)?;
    let file = encoder.finish()?;
    file.sync_all()
}

/// Writes `text` (notes, already ending in newlines) to the process's stderr.
pub(crate) fn note(text: &str) {
    if !text.is_empty() {
        let _ = io::stderr().lock().write_all(text.as_bytes());
    }
}

/// Writes an outcome to the process's stdout and stderr and turns it into the exit code.
/// A closed stdout (`| head`) is not an error.
pub(crate) fn emit(outcome: &RunOutput) -> ExitCode {
    if !outcome.stderr.is_empty() {
        let _ = io::stderr().lock().write_all(outcome.stderr.as_bytes());
    }
    if !outcome.stdout.is_empty() {
        let mut stdout = io::stdout().lock();
        let written = stdout
            .write_all(outcome.stdout.as_bytes())
            .and_then(|()| stdout.flush());
        match written {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {}
            Err(error) => {
                let _ = writeln!(io::stderr(), "error: cannot write to stdout: {error}");
                return ExitCode::from(1);
            }
        }
    }
    ExitCode::from(outcome.exit_code)
}
