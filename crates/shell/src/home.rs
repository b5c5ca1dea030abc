//! A host's file system as a fresh Debian machine has it, with the Kafka
//! distributions unpacked in root's home directory.

use distribution::{Content, Distribution};
use sim::SimTime;

use crate::vfs::{new_file, Data, File, Meta, Program, Vfs};

/// root's home directory, where the distributions are unpacked.
pub const HOME: &str = "/root";

/// Builds a host's file system at time `now`.
pub fn install(now: SimTime) -> Vfs {
    let mut fs = Vfs::new(now);
    for dir in [
        "/bin", "/dev", "/etc", "/home", "/opt", HOME, "/tmp", "/usr/bin", "/var/log",
    ] {
        fs.create_dir_all(dir).expect("fresh directories");
    }
    fs.install_file("/dev/null", new_file(Data::Null, 0o666, now))
        .expect("a fresh /dev");
    fs.set_mode("/tmp", 0o1777).expect("a fresh /tmp");
    for dist in Distribution::all() {
        let root = format!("{HOME}/{}", dist.dir_name);
        fs.create_dir_all(&root).expect("fresh directory");
        for f in dist.files() {
            let data = match f.content {
                Content::Text(text) => Data::Static(text),
                Content::NotStored => Data::NotStored,
            };
            let program = f.executable.then(|| Program {
                distribution: dist.dir_name,
                script: f.path.rsplit('/').next().expect("a path has a name"),
            });
            let file = File {
                data,
                meta: Meta {
                    mode: if f.executable { 0o755 } else { 0o644 },
                    mtime: now,
                },
                program,
            };
            fs.install_file(&format!("{root}/{}", f.path), file)
                .expect("distribution paths are fresh");
        }
    }
    fs
}

/// The directory a fresh terminal starts in: the book's distribution.
pub fn start_dir() -> String {
    format!("{HOME}/{}", Distribution::book().dir_name)
}
