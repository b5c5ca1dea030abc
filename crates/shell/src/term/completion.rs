//! Tab completion of command and file names, as bash does it by default.

use crate::builtins;
use crate::vfs::{normalize, Vfs};

#[derive(Debug, PartialEq, Eq)]
pub enum Completion {
    /// Text to insert at the cursor.
    Insert(String),
    /// Several names share no longer prefix; a second Tab lists them.
    Choices(Vec<String>),
    Nothing,
}

/// Completes the word that ends at the cursor; `before` is the line up to the cursor.
pub fn complete(fs: &Vfs, cwd: &str, home: &str, before: &str) -> Completion {
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace() || ";|&<>(".contains(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    let head = before[..word_start].trim_end();
    let is_command = head.is_empty() || head.ends_with([';', '|', '&', '(']);
    // (candidate, is a directory)
    let candidates: Vec<(String, bool)> = if is_command && !word.contains('/') {
        builtins::names()
            .filter(|n| n.starts_with(word))
            .map(|n| (n.to_owned(), false))
            .collect()
    } else {
        file_candidates(fs, cwd, home, word)
    };
    let typed_name = word.rsplit('/').next().unwrap_or(word);
    match candidates.as_slice() {
        [] => Completion::Nothing,
        [(name, is_dir)] => {
            let rest = &name[typed_name.len()..];
            Completion::Insert(format!("{rest}{}", if *is_dir { "/" } else { " " }))
        }
        many => {
            let prefix = common_prefix(many.iter().map(|(n, _)| n.as_str()));
            if prefix.len() > typed_name.len() {
                Completion::Insert(prefix[typed_name.len()..].to_owned())
            } else {
                Completion::Choices(
                    many.iter()
                        .map(|(n, d)| if *d { format!("{n}/") } else { n.clone() })
                        .collect(),
                )
            }
        }
    }
}

fn file_candidates(fs: &Vfs, cwd: &str, home: &str, word: &str) -> Vec<(String, bool)> {
    let (dir_part, name_prefix) = match word.rfind('/') {
        Some(i) => (&word[..=i], &word[i + 1..]),
        None => ("", word),
    };
    let dir = if let Some(rest) = dir_part.strip_prefix("~/") {
        normalize(home, rest)
    } else if dir_part == "~" {
        home.to_owned()
    } else {
        normalize(cwd, if dir_part.is_empty() { "." } else { dir_part })
    };
    let Ok(entries) = fs.list(&dir) else {
        return Vec::new();
    };
    entries
        .into_iter()
        .filter(|(name, _)| name.starts_with(name_prefix))
        .filter(|(name, _)| !name.starts_with('.') || name_prefix.starts_with('.'))
        .map(|(name, node)| (name.to_owned(), node.is_dir()))
        .collect()
}

fn common_prefix<'a>(mut names: impl Iterator<Item = &'a str>) -> String {
    let Some(first) = names.next() else {
        return String::new();
    };
    let mut prefix: Vec<char> = first.chars().collect();
    for name in names {
        let shared = prefix
            .iter()
            .zip(name.chars())
            .take_while(|(a, b)| **a == *b)
            .count();
        prefix.truncate(shared);
    }
    prefix.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim::SimTime;

    fn fs() -> Vfs {
        let mut fs = Vfs::new(SimTime::default());
        fs.create_dir_all("/root/kafka/bin").unwrap();
        fs.create_dir_all("/root/kafka/config").unwrap();
        for f in [
            "kafka-server-start.sh",
            "kafka-server-stop.sh",
            "zookeeper-shell.sh",
        ] {
            fs.write(&format!("/root/kafka/bin/{f}"), vec![]).unwrap();
        }
        fs
    }

    #[test]
    fn completes_files_directories_and_commands() {
        let fs = fs();
        let c = |before: &str| complete(&fs, "/root/kafka", "/root", before);
        assert_eq!(c("ls co"), Completion::Insert("nfig/".into()));
        assert_eq!(c("bin/z"), Completion::Insert("ookeeper-shell.sh ".into()));
        assert_eq!(c("bin/k"), Completion::Insert("afka-server-st".into()));
        assert_eq!(
            c("bin/kafka-server-st"),
            Completion::Choices(vec![
                "kafka-server-start.sh".into(),
                "kafka-server-stop.sh".into()
            ])
        );
        assert_eq!(c("hist"), Completion::Insert("ory ".into()));
        assert_eq!(c("cat ~/ka"), Completion::Insert("fka/".into()));
        assert_eq!(c("ls nothing"), Completion::Nothing);
    }
}
