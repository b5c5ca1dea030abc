//! Running a command by name: a builtin, a Kafka tool, or a script file of
//! the user's, with bash's errors when there is none.

use crate::builtins;
use crate::exec::interp::{Flow, Interp};
use crate::exec::io::Stdio;
use crate::exec::job::interruptible;
use crate::syntax::parse;
use crate::tools;
use crate::vfs::{normalize, FsError, Node};

impl Interp {
    /// Runs a command by name: a builtin, or a file when the name has a `/`.
    pub async fn run_words(&self, words: Vec<String>, io: Stdio) -> i32 {
        let name = words[0].clone();
        if name.contains('/') {
            return self.run_path(words, io).await;
        }
        if let Some(builtin) = builtins::lookup(&name) {
            let call = builtins::Call {
                interp: self.clone(),
                args: words,
                io,
            };
            return interruptible(self.job.clone(), builtins::run(builtin, call)).await;
        }
        self.report(&io, &format!("{name}: command not found"))
            .await;
        if let Some(hint) = self.not_found_hint(&name) {
            crate::hint::write(&io.stderr, &hint).await;
        }
        127
    }

    /// A word that is not a command here but a Kafka script in `bin/` is.
    fn not_found_hint(&self, name: &str) -> Option<String> {
        let cwd = self.env().cwd().to_owned();
        let fs = self.session.fs.borrow();
        let in_bin = normalize(&cwd, &format!("bin/{name}"));
        if matches!(fs.lookup(&in_bin), Ok(Node::File(_))) {
            return Some(format!("the Kafka scripts are in bin/: try bin/{name}"));
        }
        None
    }

    async fn run_path(&self, words: Vec<String>, io: Stdio) -> i32 {
        let name = words[0].clone();
        let path = normalize(self.env().cwd(), &name);
        let lookup = self.session.fs.borrow().lookup(&path).cloned();
        let file = match lookup {
            Err(FsError::NotADirectory) => {
                self.report(&io, &format!("{name}: Not a directory")).await;
                return 126;
            }
            Err(_) => {
                self.report(&io, &format!("{name}: No such file or directory"))
                    .await;
                return 127;
            }
            Ok(Node::Dir(_)) => {
                self.report(&io, &format!("{name}: Is a directory")).await;
                return 126;
            }
            Ok(Node::File(f)) => f,
        };
        if !file.is_executable() {
            self.report(&io, &format!("{name}: Permission denied"))
                .await;
            return 126;
        }
        if let Some(program) = file.program {
            return match tools::find(&program) {
                Some(tool) => {
                    let call = builtins::Call {
                        interp: self.clone(),
                        args: words,
                        io,
                    };
                    tool(call).await
                }
                None => {
                    let text = format!("{name}: not yet available in this playground\n");
                    let _ = io.stderr.write_all(text.as_bytes()).await;
                    127
                }
            };
        }
        self.run_script_file(words, &path, io).await
    }

    /// An executable text file of the user's runs as a bash script in a subshell.
    async fn run_script_file(&self, words: Vec<String>, path: &str, io: Stdio) -> i32 {
        let name = words[0].clone();
        let content = self.session.fs.borrow().read(path);
        let text = match content {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                self.report(&io, &format!("{name}: {e}")).await;
                return 126;
            }
        };
        let script = match parse(&text) {
            Ok(s) => s,
            Err(e) => {
                let line = format!("{name}: {}\n", e.message());
                let _ = io.stderr.write_all(line.as_bytes()).await;
                return 2;
            }
        };
        let sub = self.subshell();
        sub.env_mut().positional = words[1..].to_vec();
        match sub.run_script(script, io).await {
            Flow::Exit(code) => code,
            _ => sub.status(),
        }
    }
}
