//! Access control lists: the scheme, id and permissions of each entry, as
//! `getAcl` shows them (`'world,'anyone` / `: cdrwa`). The playground keeps
//! and checks them for shape; every client is `world:anyone`.

use std::fmt;

/// Permission bits (`ZooDefs.Perms`).
pub mod perms {
    pub const READ: i32 = 1;
    pub const WRITE: i32 = 2;
    pub const CREATE: i32 = 4;
    pub const DELETE: i32 = 8;
    pub const ADMIN: i32 = 16;
    pub const ALL: i32 = 31;
}

/// One entry of an ACL.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Acl {
    pub perms: i32,
    pub scheme: String,
    pub id: String,
}

impl Acl {
    /// `ZooDefs.Ids.OPEN_ACL_UNSAFE`: everyone may do everything.
    pub fn open() -> Vec<Acl> {
        vec![Acl {
            perms: perms::ALL,
            scheme: "world".to_owned(),
            id: "anyone".to_owned(),
        }]
    }

    /// `cdrwa`, in the order the CLI prints the letters it has.
    pub fn perm_letters(&self) -> String {
        [
            (perms::CREATE, 'c'),
            (perms::DELETE, 'd'),
            (perms::READ, 'r'),
            (perms::WRITE, 'w'),
            (perms::ADMIN, 'a'),
        ]
        .iter()
        .filter(|(bit, _)| self.perms & bit != 0)
        .map(|(_, letter)| *letter)
        .collect()
    }

    /// `world:anyone:cdrwa` as the CLI's `setAcl` takes it.
    pub fn parse(text: &str) -> Option<Acl> {
        let mut parts = text.rsplitn(2, ':');
        let letters = parts.next()?;
        let (scheme, id) = parts.next()?.split_once(':')?;
        let mut perms = 0;
        for c in letters.chars() {
            perms |= match c {
                'r' => perms::READ,
                'w' => perms::WRITE,
                'c' => perms::CREATE,
                'd' => perms::DELETE,
                'a' => perms::ADMIN,
                _ => return None,
            };
        }
        Some(Acl {
            perms,
            scheme: scheme.to_owned(),
            id: id.to_owned(),
        })
    }

    /// Whether the server accepts the entry (`PrepRequestProcessor.fixupACL`):
    /// a known scheme with an id of its shape.
    pub fn is_valid(&self) -> bool {
        match self.scheme.as_str() {
            "world" => self.id == "anyone",
            "digest" => self.id.contains(':'),
            "ip" => !self.id.is_empty(),
            "auth" | "super" => true,
            _ => false,
        }
    }
}

/// Whether an ACL lets a client do `perm`. Every client of the playground
/// is `world:anyone` (no `addauth` digests, no `ip` matching yet).
pub fn permits(acl: &[Acl], perm: i32) -> bool {
    acl.iter()
        .any(|a| a.scheme == "world" && a.id == "anyone" && a.perms & perm != 0)
}

impl fmt::Display for Acl {
    /// The two lines `getAcl` prints for an entry.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "'{},'{}\n: {}",
            self.scheme,
            self.id,
            self.perm_letters()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_parse_print_and_validate() {
        let open = &Acl::open()[0];
        assert_eq!(open.to_string(), "'world,'anyone\n: cdrwa");
        assert_eq!(Acl::parse("world:anyone:cdrwa").as_ref(), Some(open));
        assert_eq!(Acl::parse("ip:10.0.0.1:r").unwrap().perm_letters(), "r");
        assert!(Acl::parse("world:anyone:x").is_none());
        assert!(!Acl::parse("nope:x:r").unwrap().is_valid());
        assert!(!Acl::parse("world:someone:r").unwrap().is_valid());
    }
}
