//! Builtins about files and directories: `cat`, `cd`, `pwd`.

use super::{invalid_option, unrecognized_option, Call, Printer};
use crate::exec::io::{read, BrokenPipe, ReadResult};
use crate::exec::job::{LocalFuture, STATUS_BROKEN_PIPE};
use crate::vfs::{normalize, FsError, Node};

/// `pwd`
pub fn pwd(call: &Call, p: &mut Printer) -> i32 {
    p.out(format!("{}\n", call.interp.env().cwd()));
    0
}

/// `cd [dir]`, `cd -`, `cd ~/x`
pub fn cd(call: &Call, p: &mut Printer) -> i32 {
    let args: Vec<&String> = call.args[1..]
        .iter()
        .filter(|a| !matches!(a.as_str(), "-L" | "-P"))
        .collect();
    if args.len() > 1 {
        p.err("bash: cd: too many arguments\n");
        return 1;
    }
    let target = match args.first().map(|s| s.as_str()) {
        None => call.interp.env().home(),
        Some("-") => match call.interp.env().get("OLDPWD") {
            Some(old) => {
                p.out(format!("{old}\n"));
                old.to_owned()
            }
            None => {
                p.err("bash: cd: OLDPWD not set\n");
                return 1;
            }
        },
        Some(dir) => dir.to_owned(),
    };
    let path = normalize(call.interp.env().cwd(), &target);
    let lookup = call.session().fs.borrow().lookup(&path).map(Node::is_dir);
    match lookup {
        Ok(true) => {
            call.interp.env_mut().set_cwd(path);
            0
        }
        Ok(false) => {
            p.err(format!("bash: cd: {target}: {}\n", FsError::NotADirectory));
            1
        }
        Err(e) => {
            p.err(format!("bash: cd: {target}: {e}\n"));
            1
        }
    }
}

/// `cat [-n] [file ...]`: files in order; `-` or no file reads standard input.
pub fn cat(call: Call) -> LocalFuture<i32> {
    Box::pin(async move {
        let mut number_lines = false;
        let mut files = Vec::new();
        let mut options_done = false;
        for arg in &call.args[1..] {
            if options_done || arg == "-" || !arg.starts_with('-') {
                files.push(arg.clone());
            } else if arg == "--" {
                options_done = true;
            } else if arg == "--number" {
                number_lines = true;
            } else if arg.starts_with("--") {
                let mut p = Printer::default();
                unrecognized_option(&mut p, "cat", arg);
                return report(&call, p).await;
            } else {
                for c in arg[1..].chars() {
                    match c {
                        'n' => number_lines = true,
                        'u' => {}
                        other => {
                            let mut p = Printer::default();
                            invalid_option(&mut p, "cat", other);
                            return report(&call, p).await;
                        }
                    }
                }
            }
        }
        if files.is_empty() {
            files.push("-".to_owned());
        }
        let mut numbering = LineNumbering::new(number_lines);
        let mut status = 0;
        for file in files {
            if file == "-" {
                while let ReadResult::Data(data) = read(&call.io.stdin, &call.interp.job).await {
                    if emit(&call, &mut numbering, &data).await.is_err() {
                        return STATUS_BROKEN_PIPE;
                    }
                }
                continue;
            }
            let path = normalize(call.interp.env().cwd(), &file);
            let content = call.session().fs.borrow().read(&path);
            match content {
                Ok(data) => {
                    if emit(&call, &mut numbering, &data).await.is_err() {
                        return STATUS_BROKEN_PIPE;
                    }
                }
                Err(e) => {
                    call.err(&format!("cat: {file}: {e}\n")).await;
                    status = 1;
                }
            }
        }
        status
    })
}

/// Writes `data` to stdout, numbered when `-n` asks for it.
async fn emit(call: &Call, numbering: &mut LineNumbering, data: &[u8]) -> Result<(), BrokenPipe> {
    call.io.stdout.write_all(&numbering.apply(data)).await
}

async fn report(call: &Call, p: Printer) -> i32 {
    let _ = p.flush(&call.io).await;
    1
}

/// `cat -n`: numbers lines across all files, `%6d\t` as GNU cat does.
struct LineNumbering {
    enabled: bool,
    next: u64,
    at_line_start: bool,
}

impl LineNumbering {
    fn new(enabled: bool) -> LineNumbering {
        LineNumbering {
            enabled,
            next: 1,
            at_line_start: true,
        }
    }

    fn apply(&mut self, data: &[u8]) -> Vec<u8> {
        if !self.enabled {
            return data.to_vec();
        }
        let mut out = Vec::with_capacity(data.len() + 8);
        for &b in data {
            if self.at_line_start {
                out.extend_from_slice(format!("{:>6}\t", self.next).as_bytes());
                self.next += 1;
                self.at_line_start = false;
            }
            out.push(b);
            if b == b'\n' {
                self.at_line_start = true;
            }
        }
        out
    }
}
