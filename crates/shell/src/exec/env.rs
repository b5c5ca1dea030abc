//! A shell's execution environment: variables, working directory, `$?`, `$1...`.
//!
//! A subshell (a pipeline's commands, `( ... )`, `$( ... )`, `&`) gets a copy,
//! so what it changes does not reach its parent, as in bash.

use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Var {
    pub value: String,
    pub exported: bool,
}

#[derive(Clone, Debug)]
pub struct Env {
    vars: BTreeMap<String, Var>,
    /// The working directory, absolute and normalised.
    cwd: String,
    pub positional: Vec<String>,
    pub last_status: i32,
}

impl Env {
    /// A login shell's environment for `user` on `host`, starting in `cwd`.
    pub fn login(user: &str, host: &str, home: &str, cwd: &str) -> Env {
        let mut env = Env {
            vars: BTreeMap::new(),
            cwd: cwd.to_owned(),
            positional: Vec::new(),
            last_status: 0,
        };
        for (name, value) in [
            ("HOME", home),
            ("USER", user),
            ("LOGNAME", user),
            ("SHELL", "/bin/bash"),
            (
                "PATH",
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ),
            ("TERM", "xterm-256color"),
            ("LANG", "C.UTF-8"),
            ("PWD", cwd),
        ] {
            env.export(name, Some(value.to_owned()));
        }
        env.set("HOSTNAME", host.to_owned());
        env
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(|v| v.value.as_str())
    }

    pub fn set(&mut self, name: &str, value: String) {
        match self.vars.get_mut(name) {
            Some(v) => v.value = value,
            None => {
                self.vars.insert(
                    name.to_owned(),
                    Var {
                        value,
                        exported: false,
                    },
                );
            }
        }
    }

    /// `export NAME[=value]`
    pub fn export(&mut self, name: &str, value: Option<String>) {
        let var = self.vars.entry(name.to_owned()).or_insert(Var {
            value: String::new(),
            exported: true,
        });
        var.exported = true;
        if let Some(v) = value {
            var.value = v;
        }
    }

    pub fn unset(&mut self, name: &str) {
        self.vars.remove(name);
    }

    pub fn vars(&self) -> impl Iterator<Item = (&str, &Var)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn cwd(&self) -> &str {
        &self.cwd
    }

    /// Changes directory and keeps `PWD` and `OLDPWD` in step, as `cd` does.
    pub fn set_cwd(&mut self, dir: String) {
        let old = std::mem::replace(&mut self.cwd, dir);
        self.export("OLDPWD", Some(old));
        let pwd = self.cwd.clone();
        self.export("PWD", Some(pwd));
    }

    pub fn home(&self) -> String {
        self.get("HOME").unwrap_or("/").to_owned()
    }

    /// `cwd` with the home directory shown as `~`, as bash's `\w` prompt shows it.
    pub fn cwd_for_prompt(&self) -> String {
        let home = self.home();
        if self.cwd == home {
            "~".to_owned()
        } else if let Some(rest) = self.cwd.strip_prefix(&format!("{home}/")) {
            format!("~/{rest}")
        } else {
            self.cwd.clone()
        }
    }
}
