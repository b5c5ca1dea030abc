//! Where a command's bytes come from and go to: the terminal, pipes, files.
//!
//! Reads and writes are futures, so a command blocks (returns `Pending`)
//! when a pipe is full or empty or the terminal has no typed line yet. There
//! are no wakers: the executor polls every task again after any activity
//! (see [`Activity`]), which keeps everything single-threaded and deterministic.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use crate::exec::job::JobCtl;
use crate::vfs::SharedFs;

/// Counts events that may unblock a task; the executor polls until it stops moving.
#[derive(Default, Debug)]
pub struct Activity(Cell<u64>);

impl Activity {
    pub fn bump(&self) {
        self.0.set(self.0.get() + 1);
    }

    pub fn get(&self) -> u64 {
        self.0.get()
    }
}

/// Bytes a pipe holds before its writer has to wait, as Linux's default pipe buffer.
pub const PIPE_CAPACITY_BYTES: usize = 65_536;

/// A one-way pipe between two commands of a pipeline.
#[derive(Debug)]
pub struct Pipe {
    buf: RefCell<VecDeque<u8>>,
    writers: Cell<usize>,
    reader_open: Cell<bool>,
    activity: Rc<Activity>,
}

/// The writing end; the pipe reaches end-of-file when the last clone is dropped.
#[derive(Debug)]
pub struct PipeWriter(Rc<Pipe>);

/// The reading end; writers get a broken pipe once it is dropped.
#[derive(Debug)]
pub struct PipeReader(Rc<Pipe>);

pub fn pipe(activity: Rc<Activity>) -> (PipeReader, PipeWriter) {
    let p = Rc::new(Pipe {
        buf: RefCell::new(VecDeque::new()),
        writers: Cell::new(1),
        reader_open: Cell::new(true),
        activity,
    });
    (PipeReader(p.clone()), PipeWriter(p))
}

impl Clone for PipeWriter {
    fn clone(&self) -> Self {
        self.0.writers.set(self.0.writers.get() + 1);
        PipeWriter(self.0.clone())
    }
}

impl Drop for PipeWriter {
    fn drop(&mut self) {
        let n = self.0.writers.get();
        assert!(n > 0, "pipe writer count underflow");
        self.0.writers.set(n - 1);
        self.0.activity.bump();
    }
}

impl Drop for PipeReader {
    fn drop(&mut self) {
        self.0.reader_open.set(false);
        self.0.activity.bump();
    }
}

/// The writer's side failed because nobody reads any more (EPIPE).
#[derive(Debug, PartialEq, Eq)]
pub struct BrokenPipe;

/// What the terminal shows: bytes written by commands, with `\n` turned into
/// `\r\n` as a tty's `onlcr` does.
#[derive(Default, Debug)]
pub struct Screen {
    bytes: RefCell<Vec<u8>>,
    last: Cell<Option<u8>>,
}

impl Screen {
    pub fn write(&self, data: &[u8]) {
        let mut out = self.bytes.borrow_mut();
        let mut prev = self.last.get();
        for &b in data {
            if b == b'\n' && prev != Some(b'\r') {
                out.push(b'\r');
            }
            out.push(b);
            prev = Some(b);
        }
        self.last.set(prev);
    }

    pub fn write_str(&self, text: &str) {
        self.write(text.as_bytes());
    }

    /// Takes what was written so far, holding back an incomplete UTF-8 tail.
    pub fn take(&self) -> String {
        let mut bytes = self.bytes.borrow_mut();
        let valid = match std::str::from_utf8(&bytes) {
            Ok(_) => bytes.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => bytes.len(),
        };
        let rest = bytes.split_off(valid);
        let taken = std::mem::replace(&mut *bytes, rest);
        String::from_utf8_lossy(&taken).into_owned()
    }
}

/// Lines the terminal has delivered to readers (a tty in canonical mode).
#[derive(Default, Debug)]
pub struct Tty {
    chunks: RefCell<VecDeque<TtyChunk>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TtyChunk {
    Data(String),
    Eof,
}

impl Tty {
    pub fn deliver(&self, chunk: TtyChunk) {
        self.chunks.borrow_mut().push_back(chunk);
    }

    /// Takes back what no command read, to give it to the shell's prompt.
    pub fn take_unread(&self) -> Vec<TtyChunk> {
        self.chunks.borrow_mut().drain(..).collect()
    }
}

/// A command's standard input.
#[derive(Clone, Debug)]
pub enum Input {
    /// Reads end at once (`/dev/null`).
    Null,
    /// Typed lines; only the foreground job may read them.
    Terminal(Rc<Tty>),
    Pipe(Rc<PipeReader>),
    /// A file's bytes or a here-string, read from a cursor.
    Bytes(Rc<RefCell<VecDeque<u8>>>),
}

impl Input {
    pub fn bytes(data: Vec<u8>) -> Input {
        Input::Bytes(Rc::new(RefCell::new(data.into())))
    }
}

/// A command's standard output or error.
#[derive(Clone, Debug)]
pub enum Output {
    Null,
    Terminal(Rc<Screen>),
    Pipe(PipeWriter),
    /// An open file: every write appends to it, as after `>` truncated it.
    File {
        fs: SharedFs,
        path: String,
    },
    /// Collected for `$(...)`.
    Capture(Rc<RefCell<Vec<u8>>>),
}

/// The three standard descriptors of a command.
#[derive(Clone, Debug)]
pub struct Stdio {
    pub stdin: Input,
    pub stdout: Output,
    pub stderr: Output,
}

impl Output {
    /// Writes all of `data`, waiting while a pipe is full.
    pub fn write_all<'a>(
        &'a self,
        data: &'a [u8],
    ) -> impl Future<Output = Result<(), BrokenPipe>> + 'a {
        WriteAll {
            out: self,
            data,
            done: 0,
        }
    }

    fn write_now(&self, data: &[u8]) -> Poll<Result<usize, BrokenPipe>> {
        match self {
            Output::Null => Poll::Ready(Ok(data.len())),
            Output::Terminal(screen) => {
                screen.write(data);
                Poll::Ready(Ok(data.len()))
            }
            Output::Capture(buf) => {
                buf.borrow_mut().extend_from_slice(data);
                Poll::Ready(Ok(data.len()))
            }
            Output::File { fs, path } => {
                // A file removed while open keeps taking writes into the void, as on Linux.
                let _ = fs.borrow_mut().append(path, data);
                Poll::Ready(Ok(data.len()))
            }
            Output::Pipe(w) => {
                let pipe = &w.0;
                if !pipe.reader_open.get() {
                    return Poll::Ready(Err(BrokenPipe));
                }
                let mut buf = pipe.buf.borrow_mut();
                let room = PIPE_CAPACITY_BYTES.saturating_sub(buf.len());
                if room == 0 {
                    return Poll::Pending;
                }
                let n = room.min(data.len());
                buf.extend(&data[..n]);
                pipe.activity.bump();
                Poll::Ready(Ok(n))
            }
        }
    }
}

struct WriteAll<'a> {
    out: &'a Output,
    data: &'a [u8],
    done: usize,
}

impl Future for WriteAll<'_> {
    type Output = Result<(), BrokenPipe>;
    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Self::Output> {
        while self.done < self.data.len() {
            let rest = &self.data[self.done..];
            match self.out.write_now(rest) {
                Poll::Ready(Ok(n)) => self.done += n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(()))
    }
}

/// One read: some bytes, or the end of input.
#[derive(Debug, PartialEq, Eq)]
pub enum ReadResult {
    Data(Vec<u8>),
    Eof,
}

/// Reads what is available, waiting when there is nothing yet.
///
/// A job that reads the terminal while in the background is stopped until it
/// is brought to the foreground, as bash's job control does (SIGTTIN).
pub fn read(input: &Input, job: &Rc<JobCtl>) -> impl Future<Output = ReadResult> {
    let (input, job) = (input.clone(), job.clone());
    std::future::poll_fn(move |_| read_now(&input, &job))
}

fn read_now(input: &Input, job: &JobCtl) -> Poll<ReadResult> {
    match input {
        Input::Null => Poll::Ready(ReadResult::Eof),
        Input::Bytes(buf) => {
            let mut buf = buf.borrow_mut();
            if buf.is_empty() {
                Poll::Ready(ReadResult::Eof)
            } else {
                Poll::Ready(ReadResult::Data(buf.drain(..).collect()))
            }
        }
        Input::Pipe(r) => {
            let pipe = &r.0;
            let mut buf = pipe.buf.borrow_mut();
            if !buf.is_empty() {
                let data: Vec<u8> = buf.drain(..).collect();
                pipe.activity.bump();
                Poll::Ready(ReadResult::Data(data))
            } else if pipe.writers.get() == 0 {
                Poll::Ready(ReadResult::Eof)
            } else {
                Poll::Pending
            }
        }
        Input::Terminal(_) if !job.is_foreground() => {
            job.stop_for_tty_input();
            Poll::Pending
        }
        Input::Terminal(tty) => match tty.chunks.borrow_mut().pop_front() {
            Some(TtyChunk::Data(s)) => Poll::Ready(ReadResult::Data(s.into_bytes())),
            Some(TtyChunk::Eof) => Poll::Ready(ReadResult::Eof),
            None => Poll::Pending,
        },
    }
}

/// Reads everything up to end of input.
pub async fn read_to_end(input: &Input, job: &Rc<JobCtl>) -> Vec<u8> {
    let mut all = Vec::new();
    loop {
        match read(input, job).await {
            ReadResult::Data(d) => all.extend(d),
            ReadResult::Eof => return all,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screen_turns_newlines_into_crlf_once() {
        let s = Screen::default();
        s.write(b"a\nb\r\nc");
        assert_eq!(s.take(), "a\r\nb\r\nc");
    }

    #[test]
    fn screen_holds_back_a_split_utf8_character() {
        let s = Screen::default();
        let bytes = "카프카".as_bytes();
        s.write(&bytes[..4]);
        assert_eq!(s.take(), "카");
        s.write(&bytes[4..]);
        assert_eq!(s.take(), "프카");
    }
}
