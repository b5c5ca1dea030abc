//! Commands that change files: `mkdir`, `touch`, `rm`, `cp`, `mv`, `chmod`
//! (GNU coreutils' behaviour and words).

use super::options::parse;
use super::{Call, Printer};
use crate::vfs::{normalize, split_parent, FsError, Node};

/// Resolves an operand against the shell's working directory.
fn path_of(call: &Call, operand: &str) -> String {
    normalize(call.interp.env().cwd(), operand)
}

/// Brings the file system's clock to now before changing anything.
fn fs_now(call: &Call) -> std::cell::RefMut<'_, crate::vfs::Vfs> {
    let mut fs = call.session().fs.borrow_mut();
    fs.set_now(call.session().now());
    fs
}

fn missing_operand(p: &mut Printer, tool: &str) -> i32 {
    p.err(format!(
        "{tool}: missing operand\nTry '{tool} --help' for more information.\n"
    ));
    1
}

/// `mkdir [-p] dir...`
pub fn mkdir(call: &Call, p: &mut Printer) -> i32 {
    let Some(opts) = parse(
        "mkdir",
        &call.args[1..],
        "pv",
        &[("parents", 'p'), ("verbose", 'v')],
        p,
    ) else {
        return 1;
    };
    if opts.operands.is_empty() {
        return missing_operand(p, "mkdir");
    }
    let mut status = 0;
    for dir in &opts.operands {
        let path = path_of(call, dir);
        let mut fs = fs_now(call);
        let result = if opts.has('p') {
            fs.create_dir_all(&path)
        } else {
            fs.create_dir(&path)
        };
        match result {
            Ok(()) if opts.has('v') => p.out(format!("mkdir: created directory '{dir}'\n")),
            Ok(()) => {}
            Err(e) => {
                p.err(format!("mkdir: cannot create directory '{dir}': {e}\n"));
                status = 1;
            }
        }
    }
    status
}

/// `touch file...`
pub fn touch(call: &Call, p: &mut Printer) -> i32 {
    let Some(opts) = parse("touch", &call.args[1..], "c", &[("no-create", 'c')], p) else {
        return 1;
    };
    if opts.operands.is_empty() {
        p.err("touch: missing file operand\nTry 'touch --help' for more information.\n");
        return 1;
    }
    let mut status = 0;
    for file in &opts.operands {
        let path = path_of(call, file);
        let mut fs = fs_now(call);
        if opts.has('c') && fs.lookup(&path).is_err() {
            continue;
        }
        if let Err(e) = fs.touch(&path) {
            p.err(format!("touch: cannot touch '{file}': {e}\n"));
            status = 1;
        }
    }
    status
}

/// `rm [-rf] path...`
pub fn rm(call: &Call, p: &mut Printer) -> i32 {
    let long = [("recursive", 'r'), ("force", 'f'), ("verbose", 'v')];
    let Some(opts) = parse("rm", &call.args[1..], "rRfv", &long, p) else {
        return 1;
    };
    let recursive = opts.has('r') || opts.has('R');
    if opts.operands.is_empty() && !opts.has('f') {
        return missing_operand(p, "rm");
    }
    let mut status = 0;
    for target in &opts.operands {
        let path = path_of(call, target);
        let mut fs = fs_now(call);
        let failure = match fs.lookup(&path) {
            Err(_) if opts.has('f') => None,
            Err(e) => Some(e.to_string()),
            Ok(Node::Dir(_)) if !recursive => Some(FsError::IsADirectory.to_string()),
            Ok(_) if path == "/" => {
                p.err("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n");
                status = 1;
                continue;
            }
            Ok(_) => fs.remove(&path).err().map(|e| e.to_string()),
        };
        match failure {
            Some(reason) => {
                p.err(format!("rm: cannot remove '{target}': {reason}\n"));
                status = 1;
            }
            None if opts.has('v') && fs.lookup(&path).is_err() => {
                p.out(format!("removed '{target}'\n"))
            }
            None => {}
        }
    }
    status
}

/// `cp [-r] source... dest` and `mv source... dest`.
fn copy_or_move(call: &Call, p: &mut Printer, tool: &str, moving: bool) -> i32 {
    let (spec, long): (&str, &[(&str, char)]) = if moving {
        ("fv", &[("force", 'f'), ("verbose", 'v')])
    } else {
        (
            "rRfv",
            &[("recursive", 'r'), ("force", 'f'), ("verbose", 'v')],
        )
    };
    let Some(opts) = parse(tool, &call.args[1..], spec, long, p) else {
        return 1;
    };
    let recursive = moving || opts.has('r') || opts.has('R');
    let mut operands = opts.operands.clone();
    let Some(dest) = operands.pop() else {
        p.err(format!(
            "{tool}: missing file operand\nTry '{tool} --help' for more information.\n"
        ));
        return 1;
    };
    if operands.is_empty() {
        p.err(format!(
            "{tool}: missing destination file operand after '{dest}'\nTry '{tool} --help' for more information.\n"
        ));
        return 1;
    }
    let dest_path = path_of(call, &dest);
    let mut fs = fs_now(call);
    let dest_is_dir = fs.is_dir(&dest_path);
    if operands.len() > 1 && !dest_is_dir {
        p.err(format!("{tool}: target '{dest}' is not a directory\n"));
        return 1;
    }
    let mut status = 0;
    for source in &operands {
        let source_path = path_of(call, source);
        let node = match fs.lookup(&source_path) {
            Ok(node) => node.clone(),
            Err(e) => {
                p.err(format!("{tool}: cannot stat '{source}': {e}\n"));
                status = 1;
                continue;
            }
        };
        if node.is_dir() && !recursive {
            p.err(format!(
                "{tool}: -r not specified; omitting directory '{source}'\n"
            ));
            status = 1;
            continue;
        }
        let target = if dest_is_dir {
            let name = split_parent(&source_path).map_or("", |(_, n)| n);
            normalize(&dest_path, name)
        } else {
            dest_path.clone()
        };
        if target == source_path || target.starts_with(&format!("{source_path}/")) {
            p.err(format!(
                "{tool}: cannot {} '{source}' to a subdirectory of itself, '{dest}'\n",
                if moving { "move" } else { "copy a directory," }
            ));
            status = 1;
            continue;
        }
        if moving {
            if let Err(e) = fs.remove(&source_path) {
                p.err(format!("{tool}: cannot move '{source}': {e}\n"));
                status = 1;
                continue;
            }
        }
        match fs.insert(&target, node) {
            Ok(()) if opts.has('v') => p.out(format!("'{source}' -> '{target}'\n")),
            Ok(()) => {}
            Err(e) => {
                p.err(format!(
                    "{tool}: cannot create regular file '{dest}': {e}\n"
                ));
                status = 1;
            }
        }
    }
    status
}

pub fn cp(call: &Call, p: &mut Printer) -> i32 {
    copy_or_move(call, p, "cp", false)
}

pub fn mv(call: &Call, p: &mut Printer) -> i32 {
    copy_or_move(call, p, "mv", true)
}

/// `chmod MODE file...`: octal (`755`) or symbolic (`+x`, `u+x,go-w`).
pub fn chmod(call: &Call, p: &mut Printer) -> i32 {
    let mut args = call.args[1..].iter();
    let (Some(mode), rest) = (args.next(), args.collect::<Vec<_>>()) else {
        return missing_operand(p, "chmod");
    };
    if rest.is_empty() {
        p.err(format!(
            "chmod: missing operand after '{mode}'\nTry 'chmod --help' for more information.\n"
        ));
        return 1;
    }
    let mut status = 0;
    for file in rest {
        let path = path_of(call, file);
        let mut fs = fs_now(call);
        let current = match fs.lookup(&path) {
            Ok(node) => node.meta().mode,
            Err(e) => {
                p.err(format!("chmod: cannot access '{file}': {e}\n"));
                status = 1;
                continue;
            }
        };
        let Some(new_mode) = apply_mode(mode, current) else {
            p.err(format!(
                "chmod: invalid mode: '{mode}'\nTry 'chmod --help' for more information.\n"
            ));
            return 1;
        };
        fs.set_mode(&path, new_mode)
            .expect("the file was just looked up");
    }
    status
}

/// Applies an octal or symbolic mode to `current` permission bits.
fn apply_mode(mode: &str, current: u32) -> Option<u32> {
    if !mode.is_empty() && mode.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return u32::from_str_radix(mode, 8).ok().filter(|m| *m <= 0o7777);
    }
    let mut result = current;
    for clause in mode.split(',') {
        let op_at = clause.find(['+', '-', '='])?;
        let (who, rest) = clause.split_at(op_at);
        let mut who_mask = 0;
        for c in who.chars() {
            who_mask |= match c {
                'u' => 0o700,
                'g' => 0o070,
                'o' => 0o007,
                'a' => 0o777,
                _ => return None,
            };
        }
        if who_mask == 0 {
            who_mask = 0o777;
        }
        let op = rest.chars().next()?;
        let mut bits = 0;
        for c in rest[1..].chars() {
            bits |= match c {
                'r' => 0o444,
                'w' => 0o222,
                'x' => 0o111,
                _ => return None,
            };
        }
        let bits = bits & who_mask;
        result = match op {
            '+' => result | bits,
            '-' => result & !bits,
            _ => (result & !who_mask) | bits,
        };
    }
    Some(result)
}

#[cfg(test)]
mod tests {
    use super::apply_mode;

    #[test]
    fn modes_apply_like_chmod() {
        assert_eq!(apply_mode("755", 0o644), Some(0o755));
        assert_eq!(apply_mode("+x", 0o644), Some(0o755));
        assert_eq!(apply_mode("u+x", 0o644), Some(0o744));
        assert_eq!(apply_mode("go-r", 0o644), Some(0o600));
        assert_eq!(apply_mode("a=r", 0o755), Some(0o444));
        assert_eq!(apply_mode("u+x,g+w", 0o644), Some(0o764));
        assert_eq!(apply_mode("abc", 0o644), None);
        assert_eq!(apply_mode("99", 0o644), None);
    }
}
