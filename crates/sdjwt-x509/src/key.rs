//! The leaf certificate's `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7) as a JWK.
//!
//! Decoding is done by the RustCrypto `spki`/`der` crates; this module only maps the decoded
//! algorithm identifiers and key bytes onto [`KeyParams`].

use sdjwt_jose::{EcCurve, Jwk, KeyParams};
use spki::der::asn1::UintRef;
use spki::der::{Decode as _, Reader as _, SliceReader};
use spki::{ObjectIdentifier, SubjectPublicKeyInfoRef};

use crate::error::X509Error;

/// `id-ecPublicKey` (RFC 5480 §2.1.1).
const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// `secp256r1` / P-256 (RFC 5480 §2.1.1.1).
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
/// `secp384r1` / P-384 (RFC 5480 §2.1.1.1).
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
/// `secp521r1` / P-521 (RFC 5480 §2.1.1.1).
const SECP521R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
/// `secp256k1` (SEC 2 §A.2.1; JOSE use in RFC 8812 §3.1).
const SECP256K1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.10");
/// `id-Ed25519` (RFC 8410 §3).
const ID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
/// `rsaEncryption` (RFC 3279 §2.3.1, RFC 8017 Appendix C).
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// Largest RSA modulus accepted, in bytes (8192 bits): the bound webpki and common TLS stacks
/// use, so a hostile certificate cannot make every later signature check arbitrarily slow.
const MAX_RSA_MODULUS_LEN: usize = 8192 / 8;

/// Decodes a DER `SubjectPublicKeyInfo` into a public [`Jwk`].
///
/// * EC (RFC 5480 §2): `id-ecPublicKey` with a `namedCurve` parameter for P-256, P-384,
///   P-521 or secp256k1, and an uncompressed point `04 || x || y` (RFC 5480 §2.2 makes
///   compressed points optional; they are refused here).
/// * Ed25519 (RFC 8410 §3, §4): `id-Ed25519` with absent parameters and a 32-byte key.
/// * RSA (RFC 3279 §2.3.1): `rsaEncryption` with NULL parameters and an `RSAPublicKey`
///   (modulus and exponent, positive DER INTEGERs) of at most 8192 bits.
///
/// Whether an EC point lies on its curve is left to the crypto provider, which checks it
/// when the key is used.
pub(crate) fn jwk_from_spki(spki_der: &[u8]) -> Result<Jwk, X509Error> {
    let spki =
        SubjectPublicKeyInfoRef::from_der(spki_der).map_err(|_| X509Error::MalformedPublicKey)?;
    let oid = spki.algorithm.oid;
    // A BIT STRING with unused bits is never a valid key encoding for these algorithms.
    let key = spki
        .subject_public_key
        .as_bytes()
        .ok_or(X509Error::MalformedPublicKey)?;
    let params = if oid == ID_EC_PUBLIC_KEY {
        let curve_oid: ObjectIdentifier = spki
            .algorithm
            .parameters
            .ok_or(X509Error::MalformedPublicKey)?
            .decode_as()
            .map_err(|_| X509Error::MalformedPublicKey)?;
        let crv = match curve_oid {
            c if c == SECP256R1 => EcCurve::P256,
            c if c == SECP384R1 => EcCurve::P384,
            c if c == SECP521R1 => EcCurve::P521,
            c if c == SECP256K1 => EcCurve::Secp256k1,
            other => {
                return Err(X509Error::UnsupportedPublicKey {
                    algorithm: format!("{oid} with curve {other}"),
                });
            }
        };
        ec_point(crv, key)?
    } else if oid == ID_ED25519 {
        if spki.algorithm.parameters.is_some() || key.len() != 32 {
            return Err(X509Error::MalformedPublicKey);
        }
        KeyParams::Ed25519 {
            x: key.to_vec(),
            d: None,
        }
    } else if oid == RSA_ENCRYPTION {
        if !spki.algorithm.parameters.is_some_and(|p| p.is_null()) {
            return Err(X509Error::MalformedPublicKey);
        }
        rsa_public_key(key)?
    } else {
        return Err(X509Error::UnsupportedPublicKey {
            algorithm: oid.to_string(),
        });
    };
    Jwk::new(params).map_err(|_| X509Error::MalformedPublicKey)
}

/// An uncompressed point `04 || x || y` (SEC 1 §2.3.3) split into its coordinates.
fn ec_point(crv: EcCurve, point: &[u8]) -> Result<KeyParams, X509Error> {
    let len = crv.coordinate_len();
    match point.split_first() {
        Some((0x04, xy)) if xy.len() == 2 * len => {
            let (x, y) = xy.split_at(len);
            Ok(KeyParams::Ec {
                crv,
                x: x.to_vec(),
                y: y.to_vec(),
                d: None,
            })
        }
        Some((0x02 | 0x03, _)) => Err(X509Error::UnsupportedPublicKey {
            algorithm: format!("{ID_EC_PUBLIC_KEY} with a compressed point"),
        }),
        _ => Err(X509Error::MalformedPublicKey),
    }
}

/// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }` (RFC 8017
/// Appendix A.1.1), both positive; leading zero octets are dropped as RFC 7518 §6.3.1 wants.
fn rsa_public_key(der: &[u8]) -> Result<KeyParams, X509Error> {
    let malformed = |_| X509Error::MalformedPublicKey;
    let mut reader = SliceReader::new(der).map_err(malformed)?;
    let (n, e) = reader
        .sequence(|r| {
            let n = UintRef::decode(r)?;
            let e = UintRef::decode(r)?;
            Ok::<_, spki::der::Error>((n.as_bytes(), e.as_bytes()))
        })
        .map_err(malformed)?;
    reader.finish().map_err(malformed)?;
    if n.len() > MAX_RSA_MODULUS_LEN {
        return Err(X509Error::UnsupportedPublicKey {
            algorithm: format!("{RSA_ENCRYPTION} with a modulus over 8192 bits"),
        });
    }
    Ok(KeyParams::Rsa {
        n: n.to_vec(),
        e: e.to_vec(),
        private: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// DER `SubjectPublicKeyInfo` of an Ed25519 key: algorithm `1.3.101.112`, no parameters.
    fn ed25519_spki(key: &[u8; 32]) -> Vec<u8> {
        let mut der = vec![
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ];
        der.extend_from_slice(key);
        der
    }

    /// DER `SubjectPublicKeyInfo` of a P-256 key with the given 33- or 65-byte point.
    fn p256_spki(point: &[u8]) -> Vec<u8> {
        let bit_string_len = u8::try_from(point.len() + 1).unwrap_or(0);
        let mut der = vec![
            0x30,
            0x15 + 2 + bit_string_len,
            0x30,
            0x13,
            0x06,
            0x07,
            0x2a,
            0x86,
            0x48,
            0xce,
            0x3d,
            0x02,
            0x01,
            0x06,
            0x08,
            0x2a,
            0x86,
            0x48,
            0xce,
            0x3d,
            0x03,
            0x01,
            0x07,
            0x03,
            bit_string_len,
            0x00,
        ];
        der.extend_from_slice(point);
        der
    }

    #[test]
    fn ed25519_key() {
        let jwk = jwk_from_spki(&ed25519_spki(&[7; 32])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            jwk.params(),
            &KeyParams::Ed25519 {
                x: vec![7; 32],
                d: None
            }
        );
    }

    #[test]
    fn p256_uncompressed_point() {
        let mut point = vec![0x04];
        point.extend_from_slice(&[1; 32]);
        point.extend_from_slice(&[2; 32]);
        let jwk = jwk_from_spki(&p256_spki(&point)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            jwk.params(),
            &KeyParams::Ec {
                crv: EcCurve::P256,
                x: vec![1; 32],
                y: vec![2; 32],
                d: None
            }
        );
    }

    #[test]
    fn compressed_point_is_unsupported() {
        let mut point = vec![0x02];
        point.extend_from_slice(&[1; 32]);
        assert!(matches!(
            jwk_from_spki(&p256_spki(&point)),
            Err(X509Error::UnsupportedPublicKey { .. })
        ));
    }

    #[test]
    fn wrong_point_length_is_malformed() {
        let mut point = vec![0x04];
        point.extend_from_slice(&[1; 63]);
        assert_eq!(
            jwk_from_spki(&p256_spki(&point)),
            Err(X509Error::MalformedPublicKey)
        );
    }

    #[test]
    fn ed25519_with_parameters_or_unused_bits_is_malformed() {
        // Parameters NULL present (RFC 8410 §3 says absent).
        let mut with_null = vec![
            0x30, 0x2c, 0x30, 0x07, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x05, 0x00, 0x03, 0x21, 0x00,
        ];
        with_null.extend_from_slice(&[7; 32]);
        assert_eq!(
            jwk_from_spki(&with_null),
            Err(X509Error::MalformedPublicKey)
        );
        // BIT STRING with unused bits.
        let mut unused = ed25519_spki(&[7; 32]);
        unused[11] = 0x01;
        assert_eq!(jwk_from_spki(&unused), Err(X509Error::MalformedPublicKey));
    }

    #[test]
    fn other_algorithms_are_unsupported() {
        // Ed448, 1.3.101.113, 57-byte key.
        let mut ed448 = vec![
            0x30, 0x43, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x71, 0x03, 0x3a, 0x00,
        ];
        ed448.extend_from_slice(&[7; 57]);
        assert_eq!(
            jwk_from_spki(&ed448),
            Err(X509Error::UnsupportedPublicKey {
                algorithm: "1.3.101.113".into()
            })
        );
    }

    #[test]
    fn garbage_and_trailing_data_are_malformed() {
        assert_eq!(jwk_from_spki(b"junk"), Err(X509Error::MalformedPublicKey));
        let mut trailing = ed25519_spki(&[7; 32]);
        trailing.push(0);
        assert_eq!(jwk_from_spki(&trailing), Err(X509Error::MalformedPublicKey));
    }
}
