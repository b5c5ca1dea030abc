//! The processes of this host as Linux and the JDK list them: `ps` (its
//! plain, BSD `ax`/`aux` and System V `-ef` forms) and `jps`. They list the
//! shell itself and the world's programs running on the host, so a person
//! can find a broker's or a ZooKeeper server's pid and `kill` it.

use sim::ProcessInfo;

use super::{Call, Printer};

/// One line of the table: the pid and how the process was started.
struct Entry {
    pid: u32,
    argv: Vec<String>,
    on_terminal: bool,
}

impl Entry {
    fn command_name(&self) -> &str {
        let first = self.argv.first().map_or("", String::as_str);
        first.rsplit('/').next().unwrap_or(first)
    }

    /// The main class of a Java program: the first word after the class path.
    fn java_main(&self) -> Option<(usize, &str)> {
        if self.command_name() != "java" {
            return None;
        }
        let mut i = 1;
        while i < self.argv.len() {
            let word = &self.argv[i];
            if word == "-cp" || word == "-classpath" {
                i += 2;
            } else if word.starts_with('-') {
                i += 1;
            } else {
                return Some((i, word));
            }
        }
        None
    }
}

/// The shell, the host's programs and the listing command itself, by pid.
fn entries(call: &Call) -> Vec<Entry> {
    let session = call.session();
    let own_pid = session.allocate_pid();
    let programs: Vec<ProcessInfo> = session.shared.world.borrow().processes();
    let mut entries = vec![Entry {
        pid: session.shell_pid,
        argv: vec!["-bash".into()],
        on_terminal: true,
    }];
    entries.extend(
        programs
            .into_iter()
            .filter(|p| p.id.host == session.host)
            .map(|p| Entry {
                pid: p.id.pid,
                argv: p.argv,
                on_terminal: p.on_terminal,
            }),
    );
    entries.push(Entry {
        pid: own_pid,
        argv: call.args.clone(),
        on_terminal: true,
    });
    entries.sort_by_key(|e| e.pid);
    entries
}

/// The listings `ps` knows: its default, BSD's `ax` and `aux`, System V's `-ef`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PsFormat {
    Terminal,
    Bsd,
    BsdUser,
    Full,
}

impl PsFormat {
    fn of(options: &str) -> Option<PsFormat> {
        match options {
            "" => Some(PsFormat::Terminal),
            "ax" | "-ax" | "x" | "-e" | "-A" => Some(PsFormat::Bsd),
            "aux" | "-aux" | "ux" => Some(PsFormat::BsdUser),
            "-ef" | "-fe" | "-aef" => Some(PsFormat::Full),
            _ => None,
        }
    }

    fn header(self) -> &'static str {
        match self {
            PsFormat::Terminal => "    PID TTY          TIME CMD",
            PsFormat::Bsd => "    PID TTY      STAT   TIME COMMAND",
            PsFormat::BsdUser => {
                "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND"
            }
            PsFormat::Full => "UID          PID    PPID  C STIME TTY          TIME CMD",
        }
    }

    fn row(self, e: &Entry, shell_pid: u32) -> String {
        let tty = if e.on_terminal { "pts/0" } else { "?" };
        let command = e.argv.join(" ");
        let stat = if e.pid == shell_pid { "Ss" } else { "Sl" };
        match self {
            PsFormat::Terminal => format!(
                "{:>7} {tty:<8} 00:00:00 {}",
                e.pid,
                e.command_name().trim_start_matches('-')
            ),
            PsFormat::Bsd => format!("{:>7} {tty:<8} {stat:<6} 0:00 {command}", e.pid),
            PsFormat::BsdUser => format!(
                "root     {:>7}  0.0  0.0      0     0 {tty:<8} {stat:<4} 00:00   0:00 {command}",
                e.pid
            ),
            PsFormat::Full => {
                let parent = if e.pid == shell_pid { 1 } else { shell_pid };
                format!(
                    "root     {:>7} {parent:>7}  0 00:00 {tty:<8} 00:00:00 {command}",
                    e.pid
                )
            }
        }
    }
}

/// `ps [ax|aux|-ef|-e]`: without options, the processes of this terminal.
pub fn ps(call: &Call, p: &mut Printer) -> i32 {
    let Some(format) = PsFormat::of(&call.args[1..].concat()) else {
        p.err("error: unsupported option (BSD syntax)\n\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n");
        return 1;
    };
    let shell_pid = call.session().shell_pid;
    p.out(format!("{}\n", format.header()));
    for e in entries(call) {
        if format != PsFormat::Terminal || e.on_terminal {
            p.out(format!("{}\n", format.row(&e, shell_pid)));
        }
    }
    0
}

const JPS_USAGE: &str = "usage: jps [-help]\n       jps [-q] [-mlvV] [<hostid>]\n\nDefinitions:\n    <hostid>:      <hostname>[:<port>]\n";

/// `jps [-q] [-mlv]`: the Java programs of this host and their main classes.
pub fn jps(call: &Call, p: &mut Printer) -> i32 {
    let (mut quiet, mut long, mut main_args, mut jvm_args) = (false, false, false, false);
    for arg in &call.args[1..] {
        let Some(flags) = arg.strip_prefix('-').filter(|f| !f.is_empty()) else {
            p.err(format!("illegal argument: {arg}\n{JPS_USAGE}"));
            return 1;
        };
        if flags == "help" {
            p.err(JPS_USAGE);
            return 0;
        }
        for flag in flags.chars() {
            match flag {
                'q' => quiet = true,
                'l' => long = true,
                'm' => main_args = true,
                'v' => jvm_args = true,
                'V' => {}
                _ => {
                    p.err(format!("illegal argument: {arg}\n{JPS_USAGE}"));
                    return 1;
                }
            }
        }
    }
    for e in entries(call) {
        let (class, index, flags) = match e.java_main() {
            Some((i, class)) => (class.to_owned(), i, e.argv[1..i].to_vec()),
            None if e.command_name() == "jps" => ("sun.tools.jps.Jps".to_owned(), 0, Vec::new()),
            None => continue,
        };
        if quiet {
            p.out(format!("{}\n", e.pid));
            continue;
        }
        let mut line = format!("{} ", e.pid);
        if long {
            line.push_str(&class);
        } else {
            line.push_str(class.rsplit('.').next().unwrap_or(&class));
        }
        if main_args && e.argv.len() > index + 1 {
            line.push(' ');
            line.push_str(&e.argv[index + 1..].join(" "));
        }
        if jvm_args {
            let jvm: Vec<&String> = flags
                .iter()
                .filter(|f| f.starts_with("-X") || f.starts_with("-D") || f.as_str() == "-server")
                .collect();
            if !jvm.is_empty() {
                line.push(' ');
                line.push_str(&jvm.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" "));
            }
        }
        line.push('\n');
        p.out(line);
    }
    0
}
