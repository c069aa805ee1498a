//! The log lines the app writes while the tests run, kept in memory so a test can read what an
//! operator's log would hold.

use std::sync::Mutex;

static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Info
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            if let Ok(mut lines) = LINES.lock() {
                lines.push(record.args().to_string());
            }
        }
    }

    fn flush(&self) {}
}

static LOGGER: Capture = Capture;

/// Starts capturing (once, before the tests run).
pub fn init() {
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(log::LevelFilter::Info);
    }
}

/// Every line captured so far that contains `needle`.
pub fn lines_with(needle: &str) -> Vec<String> {
    LINES
        .lock()
        .map(|l| l.iter().filter(|x| x.contains(needle)).cloned().collect())
        .unwrap_or_default()
}
