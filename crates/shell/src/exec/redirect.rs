//! Redirections: `<`, `>`, `>>`, `2>&1`, `&>`, `<<<` turn into a command's streams.

use crate::exec::interp::Interp;
use crate::exec::io::{Input, Output, Stdio};
use crate::vfs::{normalize, FsError};

impl Interp {
    /// Opens the redirections of a command and returns its standard streams.
    pub async fn apply_redirects(
        &self,
        redirects: &[crate::syntax::Redirect],
        io: &Stdio,
    ) -> Result<Stdio, String> {
        use crate::syntax::RedirectOp as Op;
        let mut io = io.clone();
        for r in redirects {
            let target = self
                .expand_word_single(&r.target, &io)
                .await
                .map_err(|e| e.message())?;
            let fd = r.fd.unwrap_or(r.op.default_fd());
            let path = normalize(self.env().cwd(), &target);
            match r.op {
                Op::Read => {
                    let data = self
                        .session
                        .fs
                        .borrow()
                        .read(&path)
                        .map_err(|e| format!("{target}: {e}"))?;
                    set_input(&mut io, fd, Input::bytes(data))?;
                }
                Op::HereString => {
                    set_input(
                        &mut io,
                        fd,
                        Input::bytes(format!("{target}\n").into_bytes()),
                    )?;
                }
                Op::Write | Op::Append | Op::WriteBoth | Op::AppendBoth => {
                    self.open_for_writing(&path, matches!(r.op, Op::Append | Op::AppendBoth))
                        .map_err(|e| format!("{target}: {e}"))?;
                    let out = Output::File {
                        fs: self.session.fs.clone(),
                        path,
                    };
                    if matches!(r.op, Op::WriteBoth | Op::AppendBoth) {
                        io.stdout = out.clone();
                        io.stderr = out;
                    } else {
                        set_output(&mut io, fd, out)?;
                    }
                }
                Op::DupWrite | Op::DupRead => {
                    let source = match target.as_str() {
                        "-" => None,
                        t => Some(
                            t.parse::<u32>()
                                .map_err(|_| format!("{target}: ambiguous redirect"))?,
                        ),
                    };
                    let (stdin, stdout, stderr) =
                        (io.stdin.clone(), io.stdout.clone(), io.stderr.clone());
                    match (r.op, source) {
                        (Op::DupWrite, None) => set_output(&mut io, fd, Output::Null)?,
                        (Op::DupRead, None) => set_input(&mut io, fd, Input::Null)?,
                        (Op::DupWrite, Some(1)) => set_output(&mut io, fd, stdout)?,
                        (Op::DupWrite, Some(2)) => set_output(&mut io, fd, stderr)?,
                        (Op::DupRead, Some(0)) => set_input(&mut io, fd, stdin)?,
                        (_, Some(n)) => return Err(format!("{n}: Bad file descriptor")),
                        (_, None) => unreachable!("only dup operators reach here"),
                    }
                }
            }
        }
        Ok(io)
    }

    fn open_for_writing(&self, path: &str, append: bool) -> Result<(), FsError> {
        let mut fs = self.session.fs.borrow_mut();
        fs.set_now(self.session.now());
        if append {
            fs.append(path, &[])
        } else {
            fs.truncate(path)
        }
    }
}

fn set_input(io: &mut Stdio, fd: u32, input: Input) -> Result<(), String> {
    match fd {
        0 => io.stdin = input,
        // Descriptors above 2 have no user in the playground's commands.
        n if n > 2 => {}
        n => return Err(format!("{n}: Bad file descriptor")),
    }
    Ok(())
}

fn set_output(io: &mut Stdio, fd: u32, output: Output) -> Result<(), String> {
    match fd {
        1 => io.stdout = output,
        2 => io.stderr = output,
        n if n > 2 => {}
        n => return Err(format!("{n}: Bad file descriptor")),
    }
    Ok(())
}
