//! The interactive shell: the real terminal in raw mode, keys passed through
//! unchanged, virtual time paced by the wall clock.

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use shell::{Playground, PlaygroundConfig};

/// How often the screen and the world are brought up to date.
const FRAME: Duration = Duration::from_millis(10);

/// Restores the terminal's mode however the session ends.
struct RawMode;

impl RawMode {
    fn enable() -> Result<RawMode, String> {
        crossterm::terminal::enable_raw_mode()
            .map_err(|e| format!("cannot set the terminal to raw mode: {e}"))?;
        Ok(RawMode)
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

/// The real terminal's size; `None` when it does not say (a size of 0).
fn terminal_size() -> Option<(u16, u16)> {
    crossterm::terminal::size()
        .ok()
        .filter(|(cols, rows)| *cols > 0 && *rows > 0)
}

pub fn run(config: PlaygroundConfig, host: &str) -> Result<i32, String> {
    let start_virtual = config.start_time;
    let mut playground = Playground::new(config);
    let (cols, rows) = terminal_size().unwrap_or((80, 24));
    let terminal = playground.open_terminal(host, cols, rows)?;
    let _raw = RawMode::enable()?;
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdin.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let started = Instant::now();
    let mut size = (cols, rows);
    let mut stdout = std::io::stdout();
    loop {
        let now_size = terminal_size().unwrap_or(size);
        if now_size != size {
            size = now_size;
            playground.resize(terminal, size.0, size.1);
        }
        let mut typed = Vec::new();
        while let Ok(bytes) = rx.try_recv() {
            typed.extend(bytes);
        }
        if !typed.is_empty() {
            playground.input(terminal, &String::from_utf8_lossy(&typed));
        }
        playground.advance_to(start_virtual + started.elapsed());
        let output = playground.take_output(terminal);
        if !output.is_empty() {
            stdout
                .write_all(output.as_bytes())
                .and_then(|_| stdout.flush())
                .map_err(|e| e.to_string())?;
        }
        if let Some(code) = playground.exit_status(terminal) {
            return Ok(code);
        }
        std::thread::sleep(FRAME);
    }
}
