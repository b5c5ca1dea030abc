//! Turns `data/<distribution>/` into a table of static files (`files.rs` in OUT_DIR).
//!
//! bin/ and config/ are included as text; libs/, licenses/ and site-docs/ are named
//! in list files and have no content in the playground (see `Content::NotStored`).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

const DISTRIBUTIONS: &[&str] = &["kafka_2.8.0-0.8.0", "kafka_2.13-2.8.2"];

fn main() {
    let data = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("data");
    println!("cargo:rerun-if-changed={}", data.display());
    let mut out = String::new();
    for dist in DISTRIBUTIONS {
        let root = data.join(dist);
        let mut files: Vec<String> = Vec::new();
        for sub in ["bin", "config"] {
            let mut paths = Vec::new();
            walk(&root.join(sub), &mut paths);
            paths.sort();
            for path in paths {
                let rel = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_owned();
                let executable = rel.starts_with("bin/") && rel.ends_with(".sh");
                files.push(format!(
                    "DistFile {{ path: {rel:?}, content: Content::Text(include_str!({:?})), executable: {executable} }},",
                    path.display()
                ));
            }
        }
        for (list, dir) in [("libs.txt", "libs"), ("licenses.txt", "licenses")] {
            let list_path = root.join(list);
            if let Ok(text) = fs::read_to_string(&list_path) {
                for name in text.lines().filter(|l| !l.trim().is_empty()) {
                    files.push(format!(
                        "DistFile {{ path: \"{dir}/{}\", content: Content::NotStored, executable: false }},",
                        name.trim()
                    ));
                }
            }
        }
        let top = fs::read_to_string(root.join("top.txt")).unwrap();
        for entry in top
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.ends_with('/'))
        {
            let content = match entry {
                "LICENSE" => format!(
                    "Content::Text(include_str!({:?}))",
                    data.join("common/LICENSE").display()
                ),
                "NOTICE" => {
                    let version = dist.rsplit('-').next().unwrap();
                    format!(
                        "Content::Text(include_str!({:?}))",
                        data.join(format!("common/NOTICE-{version}")).display()
                    )
                }
                _ => "Content::NotStored".to_owned(),
            };
            files.push(format!(
                "DistFile {{ path: {entry:?}, content: {content}, executable: false }},"
            ));
        }
        if top.lines().any(|l| l.trim() == "site-docs/") {
            files.push(format!(
                "DistFile {{ path: \"site-docs/{}-site-docs.tgz\", content: Content::NotStored, executable: false }},",
                dist
            ));
        }
        let ident = dist.replace(['.', '-'], "_").to_uppercase();
        writeln!(out, "static {ident}: &[DistFile] = &[").unwrap();
        for f in files {
            writeln!(out, "    {f}").unwrap();
        }
        writeln!(out, "];").unwrap();
        let classes = root.join("classes.tsv");
        writeln!(
            out,
            "static {ident}_CLASSES: &str = include_str!({:?});",
            classes.display()
        )
        .unwrap();
    }
    fs::write(
        PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("files.rs"),
        out,
    )
    .unwrap();
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}
