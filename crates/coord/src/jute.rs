//! Jute, ZooKeeper's record serialization, as its transaction logs and
//! snapshots use it: big-endian ints and longs, booleans as one byte,
//! strings and buffers after their length (-1 for null), vectors after
//! their count.

use crate::acl::Acl;

/// Writes jute fields into a buffer.
#[derive(Debug, Default)]
pub struct JuteWriter {
    pub buf: Vec<u8>,
}

impl JuteWriter {
    pub fn int(&mut self, v: i32) -> &mut Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }

    pub fn long(&mut self, v: i64) -> &mut Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }

    pub fn boolean(&mut self, v: bool) -> &mut Self {
        self.buf.push(u8::from(v));
        self
    }

    pub fn byte(&mut self, v: u8) -> &mut Self {
        self.buf.push(v);
        self
    }

    pub fn buffer(&mut self, v: &[u8]) -> &mut Self {
        self.int(v.len() as i32);
        self.buf.extend_from_slice(v);
        self
    }

    /// A buffer that can be null (written as length -1).
    pub fn opt_buffer(&mut self, v: Option<&[u8]>) -> &mut Self {
        match v {
            Some(v) => self.buffer(v),
            None => self.int(-1),
        }
    }

    pub fn ustring(&mut self, v: &str) -> &mut Self {
        self.buffer(v.as_bytes())
    }

    pub fn acl(&mut self, acl: &[Acl]) -> &mut Self {
        self.int(acl.len() as i32);
        for a in acl {
            self.int(a.perms).ustring(&a.scheme).ustring(&a.id);
        }
        self
    }
}

/// Reads jute fields; every read fails cleanly past the end.
#[derive(Debug)]
pub struct JuteReader<'a> {
    buf: &'a [u8],
    pub pos: usize,
}

/// The data ended or held something impossible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JuteError(pub String);

impl<'a> JuteReader<'a> {
    pub fn new(buf: &'a [u8]) -> JuteReader<'a> {
        JuteReader { buf, pos: 0 }
    }

    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], JuteError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|e| *e <= self.buf.len())
            .ok_or_else(|| {
                JuteError(format!(
                    "{n} bytes wanted at {}, {} left",
                    self.pos,
                    self.remaining()
                ))
            })?;
        let out = &self.buf[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    pub fn int(&mut self) -> Result<i32, JuteError> {
        Ok(i32::from_be_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    pub fn long(&mut self) -> Result<i64, JuteError> {
        Ok(i64::from_be_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }

    pub fn boolean(&mut self) -> Result<bool, JuteError> {
        Ok(self.take(1)?[0] != 0)
    }

    pub fn byte(&mut self) -> Result<u8, JuteError> {
        Ok(self.take(1)?[0])
    }

    /// A buffer; null (-1) reads as empty.
    pub fn buffer(&mut self) -> Result<&'a [u8], JuteError> {
        let len = self.int()?;
        if len < 0 {
            return Ok(&[]);
        }
        self.take(len as usize)
    }

    /// A buffer that can be null.
    pub fn opt_buffer(&mut self) -> Result<Option<&'a [u8]>, JuteError> {
        let len = self.int()?;
        if len < 0 {
            return Ok(None);
        }
        self.take(len as usize).map(Some)
    }

    pub fn ustring(&mut self) -> Result<String, JuteError> {
        let bytes = self.buffer()?;
        String::from_utf8(bytes.to_vec())
            .map_err(|_| JuteError("a string that is not UTF-8".into()))
    }

    pub fn acl(&mut self) -> Result<Vec<Acl>, JuteError> {
        let count = self.int()?;
        if count < 0 || count as usize > self.remaining() {
            return Err(JuteError(format!("an ACL of {count} entries")));
        }
        (0..count)
            .map(|_| {
                Ok(Acl {
                    perms: self.int()?,
                    scheme: self.ustring()?,
                    id: self.ustring()?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip_and_short_data_fails() {
        let mut w = JuteWriter::default();
        w.int(-1)
            .long(0x0102_0304_0506_0708)
            .boolean(true)
            .ustring("/zk")
            .acl(&Acl::open());
        assert_eq!(&w.buf[..4], &[0xff; 4]);
        let mut r = JuteReader::new(&w.buf);
        assert_eq!(r.int().unwrap(), -1);
        assert_eq!(r.long().unwrap(), 0x0102_0304_0506_0708);
        assert!(r.boolean().unwrap());
        assert_eq!(r.ustring().unwrap(), "/zk");
        assert_eq!(r.acl().unwrap(), Acl::open());
        assert!(r.int().is_err());
        let mut huge = JuteReader::new(&[0x7f, 0, 0, 0]);
        assert!(huge.buffer().is_err());
    }
}
