//! DCQL Trusted Authorities Queries (OpenID4VP 1.0 §6.1.1) answered from the `x5c` chain of
//! an SD-JWT VC, for the holder's [`DcqlQuery::select`](sdjwt_holder::dcql::DcqlQuery::select).
//!
//! A verifier may restrict a credential query to credentials whose issuer is certified by
//! authorities it names. For type `aki` (§6.1.1.1) a value is "the KeyIdentifier of the
//! AuthorityKeyIdentifier as defined in Section 4.2.1.1 of \[RFC5280\], encoded as base64url",
//! and "the raw byte representation of this element MUST match with the
//! AuthorityKeyIdentifier element of an X.509 certificate in the certificate chain present in
//! the Credential". For an SD-JWT VC that chain is the `x5c` parameter of the Issuer-signed
//! JWT's protected header (RFC 7515 §4.1.6; draft-ietf-oauth-sd-jwt-vc "Inline X.509
//! Certificates").
//!
//! ```
//! use sdjwt_holder::dcql::{DcqlQuery, MatchOptions};
//! use sdjwt_vc::authorities::X5cAuthorities;
//! # fn run(credential: &sdjwt_holder::Credential) -> Result<(), sdjwt_holder::dcql::DcqlError> {
//! let query = DcqlQuery::parse(r#"{"credentials": [{
//!     "id": "work", "format": "dc+sd-jwt",
//!     "meta": {"vct_values": ["https://credentials.gov.example/right-to-work"]},
//!     "trusted_authorities": [{"type": "aki", "values": ["s9tIpPmhxdiuNkHMEWNpYim8S8Y"]}]
//! }]}"#)?;
//! let selection = query.select(
//!     &[credential],
//!     &MatchOptions::new().with_authority_matcher(&X5cAuthorities),
//! )?;
//! # let _ = selection;
//! # Ok(()) }
//! ```

use sdjwt_holder::Credential;
use sdjwt_holder::dcql::AuthorityMatcher;
use sdjwt_jose::base64url;
use sdjwt_x509::{X5c, x5c_authority_key_identifiers};

/// The Trusted Authorities Query type `aki`, Authority Key Identifier (OpenID4VP 1.0
/// §6.1.1.1).
pub const AKI: &str = "aki";

/// An [`AuthorityMatcher`] that evaluates Trusted Authorities Queries of type [`AKI`] against
/// the credential's `x5c` certificate chain (OpenID4VP 1.0 §6.1.1.1).
///
/// * Type `aki`: `Some(true)` when one of the values, decoded from base64url, equals byte for
///   byte the `keyIdentifier` of the Authority Key Identifier extension (RFC 5280 §4.2.1.1)
///   of any certificate in the `x5c` array of the protected header of any issuer signature
///   (the JWS JSON serialization may carry several). Since the leaf's identifier names its
///   issuing CA and each CA certificate's names the CA above it, a verifier can name the root
///   even when the chain leaves the root's own certificate out, as §6.1.1.1 allows ("the
///   Credential can include the entire X.509 chain or parts of it").
///   Otherwise `Some(false)`: in particular when the credential has no `x5c`, when its `x5c`
///   or a certificate's extension is malformed, and for values that are not canonical
///   unpadded base64url (RFC 4648 §5, as [`base64url::decode`] reads it) or decode to no
///   bytes, which simply match nothing.
/// * Any other type (`etsi_tl` §6.1.1.2, `openid_federation` §6.1.1.3, ...): `None`, "cannot
///   evaluate", which the holder's selection treats as not matching.
///
/// Only the protected header is read: an unprotected `x5c` is not the issuer's statement.
/// The chain is not validated here (no signatures, validity periods or trust anchors): the
/// holder only uses the match to decide what to offer, and the verifier validates the chain
/// it receives. The `x5c` value is read within the default
/// [`X5cLimits`](sdjwt_x509::X5cLimits).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct X5cAuthorities;

impl X5cAuthorities {
    /// The Authority Key Identifier `keyIdentifier`s of every certificate in the `x5c` chain
    /// of each issuer signature's protected header, in signature then header order; empty
    /// when there is no `x5c`. Chains that are malformed contribute nothing.
    pub fn authority_key_identifiers(credential: &Credential) -> Vec<Vec<u8>> {
        credential
            .sd_jwt()
            .jws()
            .signatures()
            .filter_map(|signature| X5c::from_protected_header(signature.header()).ok())
            .flatten()
            .filter_map(|x5c| x5c_authority_key_identifiers(&x5c).ok())
            .flatten()
            .collect()
    }
}

impl AuthorityMatcher for X5cAuthorities {
    /// OpenID4VP 1.0 §6.1.1.1 for `kind == "aki"`, `None` for every other type; see
    /// [`X5cAuthorities`].
    fn matches(&self, credential: &Credential, kind: &str, values: &[String]) -> Option<bool> {
        if kind != AKI {
            return None;
        }
        let wanted: Vec<Vec<u8>> = values
            .iter()
            .filter_map(|value| base64url::decode(value).ok())
            .filter(|id| !id.is_empty())
            .collect();
        if wanted.is_empty() {
            return Some(false);
        }
        Some(
            Self::authority_key_identifiers(credential)
                .iter()
                .any(|id| wanted.contains(id)),
        )
    }
}
