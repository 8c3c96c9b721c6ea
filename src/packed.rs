//! Bytes packed for long, deflated when that pays: `serve` holds the built site and the model's
//! HTML for as long as it runs.

use std::borrow::Cow;
use std::io::{Read as _, Write as _};
use std::sync::Arc;

/// Files smaller than this are packed as they are: deflating them saves too little to pay.
const MIN_DEFLATED: usize = 512;

/// Bytes deflated when that saves a quarter of them or more (a page of the site, its body's
/// HTML: the 10,000-page corpus's site is 155 MB as built, 30 MB deflated), inflated again
/// each time they are read (some 20 µs for a page). Cheap to clone: clones share the bytes.
#[derive(Clone, Debug)]
pub struct Packed {
    bytes: Arc<[u8]>,
    deflated: bool,
}

impl Packed {
    pub fn new(bytes: Vec<u8>) -> Packed {
        if bytes.len() >= MIN_DEFLATED {
            let mut encoder = flate2::write::DeflateEncoder::new(
                Vec::with_capacity(bytes.len() / 4),
                flate2::Compression::fast(),
            );
            // Writing into a Vec cannot fail.
            if encoder.write_all(&bytes).is_ok() {
                if let Ok(packed) = encoder.finish() {
                    if packed.len() <= bytes.len() / 4 * 3 {
                        return Packed {
                            bytes: packed.into(),
                            deflated: true,
                        };
                    }
                }
            }
        }
        Packed {
            bytes: bytes.into(),
            deflated: false,
        }
    }

    /// The bytes as they were given.
    pub fn bytes(&self) -> Cow<'_, [u8]> {
        if !self.deflated {
            return Cow::Borrowed(&self.bytes);
        }
        let mut out = Vec::with_capacity(self.bytes.len() * 5);
        // The bytes are our own encoder's, whole: inflating them cannot fail.
        let _ = flate2::read::DeflateDecoder::new(&self.bytes[..]).read_to_end(&mut out);
        Cow::Owned(out)
    }

    /// The bytes as text (they were given as a `String`'s).
    pub fn text(&self) -> Cow<'_, str> {
        match self.bytes() {
            Cow::Borrowed(b) => String::from_utf8_lossy(b),
            Cow::Owned(b) => Cow::Owned(
                String::from_utf8(b)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            ),
        }
    }
}

/// Equal when the bytes as given are. Deflating is deterministic: two deflated alike are
/// compared as they are held.
impl PartialEq for Packed {
    fn eq(&self, other: &Packed) -> bool {
        if self.deflated == other.deflated {
            self.bytes == other.bytes
        } else {
            self.bytes() == other.bytes()
        }
    }
}

impl Eq for Packed {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_come_back_as_given_deflated_or_not() {
        let page = "<li><a href=\"../x/index.html\">A page</a></li>\n".repeat(200);
        let packed = Packed::new(page.clone().into_bytes());
        assert!(packed.deflated && packed.bytes.len() < page.len() / 10);
        assert_eq!(packed.bytes(), page.as_bytes());
        // Too small, or not smaller deflated (already compressed bytes): packed as they are.
        assert!(!Packed::new(b"tiny".to_vec()).deflated);
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        let packed = Packed::new(noise.clone());
        assert!(!packed.deflated);
        assert_eq!(packed.bytes(), &noise[..]);
        assert_eq!(Packed::new(Vec::new()).bytes(), &b""[..]);
    }
}
