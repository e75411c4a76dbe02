//! Bounds on the work an SD-JWT can make us do.

use core::fmt;

/// Upper bounds applied while parsing and processing SD-JWTs (and, for decoys, while issuing).
///
/// Every value is checked before the corresponding work is done, and exceeding one is
/// [`crate::Error::LimitExceeded`], never a panic or an unbounded allocation. The defaults are
/// generous for real credentials and small enough that a hostile input costs milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest accepted SD-JWT or presentation, in bytes.
    ///
    /// Default 1 MiB: the largest credentials seen in practice (an identity credential with a
    /// portrait photo) are a few hundred kilobytes.
    pub max_input_bytes: usize,
    /// Most Disclosures in one SD-JWT.
    ///
    /// Default 4096: an identity credential has tens of claims; even a credential with a
    /// thousand-entry disclosable list stays well under this. Each Disclosure costs one hash.
    pub max_disclosures: usize,
    /// Deepest nesting of objects and arrays in the payload and in Disclosure values.
    ///
    /// Default 32: real claim sets nest three or four levels; recursion during processing is
    /// bounded by this (and the JSON parser independently stops at
    /// [`sdjwt_jose::json::MAX_DEPTH`], 64).
    pub max_depth: usize,
    /// Longest array, including `_sd` digest arrays.
    ///
    /// Default 16384: four times `max_disclosures`, leaving room for decoys.
    pub max_array_len: usize,
    /// Most decoy digests an issuer adds to one object or array.
    ///
    /// Default 64: a handful of decoys per level already hides the claim count
    /// (RFC 9901 §4.2.5); more only inflates the credential.
    pub max_decoys: usize,
}

impl Limits {
    /// The defaults described on each field.
    pub const DEFAULT: Self = Self {
        max_input_bytes: 1024 * 1024,
        max_disclosures: 4096,
        max_depth: 32,
        max_array_len: 16384,
        max_decoys: 64,
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
    /// [`Limits::max_input_bytes`].
    InputBytes,
    /// [`Limits::max_disclosures`].
    Disclosures,
    /// [`Limits::max_depth`].
    Depth,
    /// [`Limits::max_array_len`].
    ArrayLength,
    /// [`Limits::max_decoys`].
    Decoys,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InputBytes => "input size in bytes",
            Self::Disclosures => "number of disclosures",
            Self::Depth => "nesting depth",
            Self::ArrayLength => "array length",
            Self::Decoys => "number of decoy digests",
        })
    }
}
