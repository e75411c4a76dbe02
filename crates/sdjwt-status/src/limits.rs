//! Bounds on the work a hostile Status List Token can cause.

use core::fmt;

/// Hard limits applied while decoding a Status List or parsing a Status List Token.
///
/// Every value is checked before or while the corresponding work is done, and exceeding one is
/// [`crate::Error::LimitExceeded`], never a panic or an unbounded allocation. DEFLATE can expand
/// data about a thousandfold, so a token of a few hundred kilobytes could otherwise make a
/// Relying Party allocate gigabytes (a "zip bomb"; draft-ietf-oauth-status-list-20 §11.1 asks
/// for careful decoding).
///
/// Adjust a copy of [`Limits::DEFAULT`]:
///
/// ```
/// let mut limits = sdjwt_status::Limits::DEFAULT;
/// limits.max_decompressed_bytes = 1 << 20;
/// # assert_eq!(limits.max_token_bytes, sdjwt_status::Limits::DEFAULT.max_token_bytes);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest accepted Status List Token (the compact JWS text), in bytes.
    ///
    /// Default 64 MiB (2^26): a national-scale list of 100 million 2-bit entries whose values
    /// look random (the worst case for compression) is 25 MB compressed, about 33 MB in
    /// base64url. Real lists, mostly VALID, compress to a small fraction of that (the
    /// draft's §13.4 size table).
    pub max_token_bytes: usize,
    /// Largest accepted decompressed byte array (`lst` after ZLIB/DEFLATE, §4.1), in bytes.
    ///
    /// Default 128 MiB (2^27): room for a little over a billion 1-bit entries, 268 million
    /// 4-bit or 134 million 8-bit entries, which covers the status of every credential of a
    /// large country; decompression stops as soon as the output would pass it.
    pub max_decompressed_bytes: usize,
}

impl Limits {
    /// The defaults described on each field.
    pub const DEFAULT: Self = Self {
        max_token_bytes: 1 << 26,
        max_decompressed_bytes: 1 << 27,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Names a field of [`Limits`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Limit {
    /// [`Limits::max_token_bytes`].
    TokenBytes,
    /// [`Limits::max_decompressed_bytes`].
    DecompressedBytes,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::TokenBytes => "status list token size in bytes",
            Self::DecompressedBytes => "decompressed status list size in bytes",
        })
    }
}
