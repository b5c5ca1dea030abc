//! `ls`: GNU coreutils' listing, in columns on a terminal and one name a line
//! into a pipe, with `-l`'s long format and the default colours of `dircolors`.

use unicode_width::UnicodeWidthStr;

use super::{invalid_option, unrecognized_option, Call, Printer};
use crate::clock::ls_time;
use crate::columns::{layout, Cell};
use crate::vfs::{normalize, Node, Vfs};

#[derive(Default)]
struct Options {
    all: bool,
    almost_all: bool,
    long: bool,
    human: bool,
    one_per_line: bool,
    columns: bool,
    directory: bool,
    reverse: bool,
    by_time: bool,
    by_size: bool,
    recursive: bool,
    classify: bool,
}

/// One listed name and the node it names.
struct Entry<'a> {
    name: String,
    node: &'a Node,
}

const EXIT_TROUBLE: i32 = 2;

pub fn ls(call: &Call, p: &mut Printer) -> i32 {
    let mut o = Options::default();
    let mut operands = Vec::new();
    let mut options_done = false;
    for arg in &call.args[1..] {
        if options_done || arg == "-" || !arg.starts_with('-') {
            operands.push(arg.clone());
            continue;
        }
        if arg == "--" {
            options_done = true;
            continue;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let known = match long.split('=').next().unwrap_or("") {
                "all" => {
                    o.all = true;
                    true
                }
                "almost-all" => {
                    o.almost_all = true;
                    true
                }
                "human-readable" => {
                    o.human = true;
                    true
                }
                "directory" => {
                    o.directory = true;
                    true
                }
                "reverse" => {
                    o.reverse = true;
                    true
                }
                "recursive" => {
                    o.recursive = true;
                    true
                }
                "classify" => {
                    o.classify = true;
                    true
                }
                "color" | "colour" => true,
                _ => false,
            };
            if !known {
                unrecognized_option(p, "ls", arg);
                return EXIT_TROUBLE;
            }
            continue;
        }
        for c in arg[1..].chars() {
            match c {
                'a' => o.all = true,
                'A' => o.almost_all = true,
                'l' => o.long = true,
                'h' => o.human = true,
                '1' => o.one_per_line = true,
                'C' => o.columns = true,
                'd' => o.directory = true,
                'r' => o.reverse = true,
                't' => o.by_time = true,
                'S' => o.by_size = true,
                'R' => o.recursive = true,
                'F' => o.classify = true,
                other => {
                    invalid_option(p, "ls", other);
                    return EXIT_TROUBLE;
                }
            }
        }
    }
    let show_header_always = operands.len() > 1 || o.recursive;
    if operands.is_empty() {
        operands.push(".".to_owned());
    }
    let listing = Listing {
        o: &o,
        tty: call.stdout_is_terminal(),
        width: usize::from(call.session().cols.get()),
        now: call.session().now(),
    };
    let cwd = call.interp.env().cwd().to_owned();
    let fs = call.session().fs.borrow();
    let mut status = 0;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for operand in &operands {
        let path = normalize(&cwd, operand);
        match fs.lookup(&path) {
            Err(e) => {
                p.err(format!("ls: cannot access '{operand}': {e}\n"));
                status = EXIT_TROUBLE;
            }
            Ok(node @ Node::Dir(_)) if !o.directory => dirs.push((operand.clone(), path, node)),
            Ok(node) => files.push(Entry {
                name: operand.clone(),
                node,
            }),
        }
    }
    listing.sort(&mut files);
    dirs.sort_by(|a, b| a.0.cmp(&b.0));
    if o.reverse {
        dirs.reverse();
    }
    let mut first_section = true;
    if !files.is_empty() {
        p.out(listing.render(&files, false));
        first_section = false;
    }
    for (shown, path, node) in dirs {
        listing.directory(
            &fs,
            &shown,
            &path,
            node,
            show_header_always,
            &mut first_section,
            p,
        );
    }
    status
}

struct Listing<'a> {
    o: &'a Options,
    tty: bool,
    width: usize,
    now: sim::SimTime,
}

impl Listing<'_> {
    #[allow(clippy::too_many_arguments)]
    fn directory(
        &self,
        fs: &Vfs,
        shown: &str,
        path: &str,
        node: &Node,
        header: bool,
        first_section: &mut bool,
        p: &mut Printer,
    ) {
        let Node::Dir(dir) = node else { return };
        if header {
            if !*first_section {
                p.out("\n");
            }
            p.out(format!("{shown}:\n"));
        }
        *first_section = false;
        let mut entries: Vec<Entry> = Vec::new();
        if self.o.all {
            entries.push(Entry {
                name: ".".into(),
                node,
            });
            let parent = fs.lookup(&normalize(path, "..")).unwrap_or(node);
            entries.push(Entry {
                name: "..".into(),
                node: parent,
            });
        }
        let show_hidden = self.o.all || self.o.almost_all;
        entries.extend(
            dir.entries
                .iter()
                .filter(|(name, _)| show_hidden || !name.starts_with('.'))
                .map(|(name, node)| Entry {
                    name: name.clone(),
                    node,
                }),
        );
        self.sort(&mut entries);
        p.out(self.render(&entries, true));
        if self.o.recursive {
            for e in entries
                .iter()
                .filter(|e| e.node.is_dir() && e.name != "." && e.name != "..")
            {
                let child_shown = if shown.ends_with('/') {
                    format!("{shown}{}", e.name)
                } else {
                    format!("{shown}/{}", e.name)
                };
                let child_path = normalize(path, &e.name);
                self.directory(
                    fs,
                    &child_shown,
                    &child_path,
                    e.node,
                    true,
                    first_section,
                    p,
                );
            }
        }
    }

    fn sort(&self, entries: &mut [Entry]) {
        entries.sort_by(|a, b| {
            let by_name = a.name.cmp(&b.name);
            if self.o.by_size {
                size_of(b.node).cmp(&size_of(a.node)).then(by_name)
            } else if self.o.by_time {
                b.node.meta().mtime.cmp(&a.node.meta().mtime).then(by_name)
            } else {
                by_name
            }
        });
        if self.o.reverse {
            entries.reverse();
        }
    }

    fn render(&self, entries: &[Entry], with_total: bool) -> String {
        if self.o.long {
            return self.long(entries, with_total);
        }
        let cells: Vec<Cell> = entries.iter().map(|e| self.cell(e)).collect();
        if self.o.one_per_line || (!self.tty && !self.o.columns) {
            return cells.iter().map(|c| format!("{}\n", c.text)).collect();
        }
        layout(&cells, self.width)
    }

    fn cell(&self, e: &Entry) -> Cell {
        let mut name = e.name.clone();
        let width = name.width() + usize::from(self.o.classify && indicator(e.node).is_some());
        if self.tty {
            if let Some(color) = color_of(&e.name, e.node) {
                name = format!("\x1b[{color}m{name}\x1b[0m");
            }
        }
        if self.o.classify {
            if let Some(c) = indicator(e.node) {
                name.push(c);
            }
        }
        Cell { text: name, width }
    }

    fn long(&self, entries: &[Entry], with_total: bool) -> String {
        let mut out = String::new();
        if with_total {
            let blocks: u64 = entries.iter().map(|e| blocks_kib(e.node)).sum();
            out.push_str(&format!(
                "total {}\n",
                self.size_text(blocks * 1024, blocks)
            ));
        }
        let links: Vec<String> = entries
            .iter()
            .map(|e| link_count(e.node).to_string())
            .collect();
        let sizes: Vec<String> = entries
            .iter()
            .map(|e| match size_of(e.node) {
                Some(s) => self.size_text(s, s),
                None => "?".to_owned(),
            })
            .collect();
        let link_w = links.iter().map(String::len).max().unwrap_or(1);
        let size_w = sizes.iter().map(String::len).max().unwrap_or(1);
        for ((e, links), size) in entries.iter().zip(&links).zip(&sizes) {
            let meta = e.node.meta();
            out.push_str(&format!(
                "{} {links:>link_w$} root root {size:>size_w$} {} {}\n",
                mode_string(e.node),
                ls_time(meta.mtime, self.now),
                self.cell(e).text
            ));
        }
        out
    }

    /// `-h` sizes as GNU prints them (4.7K, 12M); `plain` without `-h`.
    fn size_text(&self, bytes: u64, plain: u64) -> String {
        if !self.o.human {
            return plain.to_string();
        }
        human_size(bytes)
    }
}

fn human_size(bytes: u64) -> String {
    if bytes < 1024 {
        return bytes.to_string();
    }
    let units = ["K", "M", "G", "T", "P"];
    let mut value = bytes as f64;
    for unit in units {
        value /= 1024.0;
        if value < 1024.0 || unit == "P" {
            return if value < 10.0 {
                let rounded = (value * 10.0).ceil() / 10.0;
                if rounded >= 10.0 {
                    format!("{}{unit}", rounded as u64)
                } else {
                    format!("{rounded:.1}{unit}")
                }
            } else {
                format!("{}{unit}", value.ceil() as u64)
            };
        }
    }
    unreachable!("the loop returns at the last unit")
}

fn size_of(node: &Node) -> Option<u64> {
    match node {
        Node::Dir(_) => Some(4096),
        Node::File(f) => f.size(),
    }
}

/// Disk blocks in KiB, as `total` counts them (4 KiB blocks); a sparse
/// file's holes take none.
fn blocks_kib(node: &Node) -> u64 {
    let allocated = match node {
        Node::File(f) => f.allocated_size(),
        Node::Dir(_) => size_of(node),
    };
    allocated.map_or(0, |s| s.div_ceil(4096) * 4)
}

fn link_count(node: &Node) -> usize {
    match node {
        Node::Dir(d) => 2 + d.entries.values().filter(|n| n.is_dir()).count(),
        Node::File(_) => 1,
    }
}

fn mode_string(node: &Node) -> String {
    let mode = node.meta().mode;
    let mut s = String::with_capacity(10);
    s.push(match node {
        Node::Dir(_) => 'd',
        Node::File(f) if f.is_device() => 'c',
        Node::File(_) => '-',
    });
    for shift in [6, 3, 0] {
        let bits = (mode >> shift) & 0o7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    if mode & 0o1000 != 0 {
        // The sticky bit, as on /tmp: `t` over others' execute bit.
        let others_x = s.pop() == Some('x');
        s.push(if others_x { 't' } else { 'T' });
    }
    s
}

fn indicator(node: &Node) -> Option<char> {
    match node {
        Node::Dir(_) => Some('/'),
        Node::File(f) if f.is_executable() => Some('*'),
        Node::File(_) => None,
    }
}

/// The colours of GNU's default `dircolors`: directories, executables, archives.
fn color_of(name: &str, node: &Node) -> Option<&'static str> {
    match node {
        Node::Dir(_) => Some("01;34"),
        Node::File(f) if f.is_executable() => Some("01;32"),
        Node::File(_) => [".jar", ".tgz", ".gz", ".zip", ".tar"]
            .iter()
            .any(|ext| name.ends_with(ext))
            .then_some("01;31"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_sizes_round_up_like_gnu() {
        assert_eq!(human_size(1023), "1023");
        assert_eq!(human_size(4723), "4.7K");
        assert_eq!(human_size(4096), "4.0K");
        assert_eq!(human_size(10_240), "10K");
        assert_eq!(human_size(10_241), "11K");
        assert_eq!(human_size(536_870_912), "512M");
    }
}
