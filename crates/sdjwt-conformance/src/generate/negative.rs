//! Negative cases (being written; this placeholder lets the crate build meanwhile).

use sdjwt_jose::CryptoProvider;

use crate::{Error, Vector};

/// Every negative case.
pub(crate) fn cases(_provider: &CryptoProvider, _now: i64) -> Result<Vec<Vector>, Error> {
    Ok(Vec::new())
}
