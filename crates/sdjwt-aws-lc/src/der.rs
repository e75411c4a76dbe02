//! A minimal DER reader (ITU-T X.690 §8 and §10), just enough to take apart the PKCS#8
//! `PrivateKeyInfo` (RFC 5208 §5) that aws-lc-rs produces for a freshly generated RSA key and the
//! PKCS#1 `RSAPrivateKey` (RFC 8017 Appendix A.1.2) inside it, and the EC
//! `SubjectPublicKeyInfo` (RFC 5480 §2) it produces for a parsed public key.
//!
//! Only definite lengths in minimal form are accepted; anything else is an error. The input is
//! always our own backend's output, so strictness costs nothing.

/// A DER decoding failure. Carries no detail: callers map it to `Error::Crypto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DerError;

impl From<DerError> for sdjwt_jose::Error {
    fn from(_: DerError) -> Self {
        Self::Crypto
    }
}

const TAG_INTEGER: u8 = 0x02;
const TAG_BIT_STRING: u8 = 0x03;
const TAG_OCTET_STRING: u8 = 0x04;
const TAG_SEQUENCE: u8 = 0x30;

/// A cursor over DER-encoded bytes.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Starts reading `input`.
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Self { rest: input }
    }

    /// Whether every byte has been consumed.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    fn byte(&mut self) -> Result<u8, DerError> {
        let (&first, rest) = self.rest.split_first().ok_or(DerError)?;
        self.rest = rest;
        Ok(first)
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], DerError> {
        if len > self.rest.len() {
            return Err(DerError);
        }
        let (value, rest) = self.rest.split_at(len);
        self.rest = rest;
        Ok(value)
    }

    /// Reads one TLV whose tag must be `tag`, returning its contents.
    fn element(&mut self, tag: u8) -> Result<&'a [u8], DerError> {
        if self.byte()? != tag {
            return Err(DerError);
        }
        let first = self.byte()?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            // Long form (X.690 §8.1.3.5): 1 to 4 length octets, minimal (§10.1).
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 4 {
                return Err(DerError);
            }
            let mut len = 0usize;
            for _ in 0..count {
                len = (len << 8) | usize::from(self.byte()?);
            }
            if len < 0x80 || len >> (8 * (count - 1)) == 0 {
                return Err(DerError);
            }
            len
        };
        self.take(len)
    }

    /// Reads a SEQUENCE and returns a reader over its contents.
    pub(crate) fn sequence(&mut self) -> Result<Reader<'a>, DerError> {
        self.element(TAG_SEQUENCE).map(Reader::new)
    }

    /// Reads an OCTET STRING.
    pub(crate) fn octet_string(&mut self) -> Result<&'a [u8], DerError> {
        self.element(TAG_OCTET_STRING)
    }

    /// Reads a BIT STRING of whole octets (X.690 §8.6: the first content octet, the number of
    /// unused bits, must be 0) and returns the octets.
    pub(crate) fn octet_aligned_bit_string(&mut self) -> Result<&'a [u8], DerError> {
        match self.element(TAG_BIT_STRING)?.split_first() {
            Some((0, octets)) => Ok(octets),
            _ => Err(DerError),
        }
    }

    /// Reads a non-negative INTEGER and returns its magnitude, big-endian, without leading zero
    /// bytes (the JWK "Base64urlUInt" form of RFC 7518 §2). Zero comes back as one `0x00` byte.
    pub(crate) fn unsigned_integer(&mut self) -> Result<&'a [u8], DerError> {
        let value = self.element(TAG_INTEGER)?;
        match value {
            [] => Err(DerError),
            // Negative numbers are never valid here.
            [first, ..] if first & 0x80 != 0 => Err(DerError),
            // Non-minimal encoding (X.690 §8.3.2).
            [0, second, ..] if second & 0x80 == 0 => Err(DerError),
            [0, rest @ ..] if !rest.is_empty() => Ok(rest),
            _ => Ok(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_structures() -> Result<(), DerError> {
        // SEQUENCE { INTEGER 0, INTEGER 0x80 (encoded 00 80), OCTET STRING "ab" }
        let der = [
            0x30, 0x0b, 0x02, 0x01, 0x00, 0x02, 0x02, 0x00, 0x80, 0x04, 0x02, b'a', b'b',
        ];
        let mut outer = Reader::new(&der);
        let mut seq = outer.sequence()?;
        assert!(outer.is_empty());
        assert_eq!(seq.unsigned_integer()?, &[0u8][..]);
        assert_eq!(seq.unsigned_integer()?, &[0x80u8][..]);
        assert_eq!(seq.octet_string()?, &b"ab"[..]);
        assert!(seq.is_empty());
        // BIT STRING { 0 unused bits, 0x04 0x05 }
        let bits = [0x03, 0x03, 0x00, 0x04, 0x05];
        assert_eq!(
            Reader::new(&bits).octet_aligned_bit_string()?,
            &[0x04u8, 0x05][..]
        );
        Ok(())
    }

    #[test]
    fn rejects_malformed_input() {
        // Truncated contents.
        assert_eq!(
            Reader::new(&[0x02, 0x02, 0x01]).unsigned_integer(),
            Err(DerError)
        );
        // Negative integer.
        assert_eq!(
            Reader::new(&[0x02, 0x01, 0x80]).unsigned_integer(),
            Err(DerError)
        );
        // Non-minimal integer.
        assert_eq!(
            Reader::new(&[0x02, 0x02, 0x00, 0x01]).unsigned_integer(),
            Err(DerError)
        );
        // Non-minimal long-form length.
        assert!(
            Reader::new(&[0x04, 0x81, 0x01, 0x00])
                .octet_string()
                .is_err()
        );
        // Wrong tag.
        assert!(Reader::new(&[0x04, 0x00]).sequence().is_err());
        // A BIT STRING with unused bits, and an empty one.
        assert!(
            Reader::new(&[0x03, 0x02, 0x01, 0xfe])
                .octet_aligned_bit_string()
                .is_err()
        );
        assert!(
            Reader::new(&[0x03, 0x00])
                .octet_aligned_bit_string()
                .is_err()
        );
    }
}
