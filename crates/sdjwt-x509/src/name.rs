//! An X.501 `Name` (RFC 5280 §4.1.2.4) rendered as an RFC 4514 string.
//!
//! The DER is read with the `der` crate; this module only chooses attribute labels and
//! escapes values.

use core::fmt::Write as _;

use spki::ObjectIdentifier;
use spki::der::asn1::AnyRef;
use spki::der::{Decode as _, Encode as _, Reader as _, SliceReader, Tag, Tagged as _};

/// Attribute type labels: the table of RFC 4514 §3, plus `serialNumber` (RFC 4519 §2.31) and
/// `organizationIdentifier` (X.520 §6.4.4), common in eIDAS and EUDI certificates.
const LABELS: &[(&str, &str)] = &[
    ("2.5.4.3", "CN"),
    ("2.5.4.7", "L"),
    ("2.5.4.8", "ST"),
    ("2.5.4.10", "O"),
    ("2.5.4.11", "OU"),
    ("2.5.4.6", "C"),
    ("2.5.4.9", "STREET"),
    ("0.9.2342.19200300.100.1.25", "DC"),
    ("0.9.2342.19200300.100.1.1", "UID"),
    ("2.5.4.5", "serialNumber"),
    ("2.5.4.97", "organizationIdentifier"),
];

/// Renders the content octets of a `Name` (the `RDNSequence` without its outer SEQUENCE
/// header, as webpki hands it out) as an RFC 4514 §2 string: RDNs last-to-first, separated by
/// `,`; multi-valued RDNs joined with `+`.
///
/// Values of a known label that are UTF8String, PrintableString or IA5String are written as
/// escaped text (RFC 4514 §2.4); every other value, and every value of an attribute written
/// as a dotted OID, is written as `#` and the hex of its DER encoding, as §2.4 requires.
///
/// Returns `None` if the DER is malformed.
pub(crate) fn rfc4514(rdn_sequence: &[u8]) -> Option<String> {
    let mut rdns = Vec::new();
    let mut reader = SliceReader::new(rdn_sequence).ok()?;
    while !reader.is_finished() {
        let set = AnyRef::decode(&mut reader).ok()?;
        if set.tag() != Tag::Set {
            return None;
        }
        let mut atvs = Vec::new();
        let mut inner = SliceReader::new(set.value()).ok()?;
        while !inner.is_finished() {
            let atv = inner
                .sequence(|r| {
                    let oid = ObjectIdentifier::decode(r)?;
                    let value = AnyRef::decode(r)?;
                    Ok::<_, spki::der::Error>((oid, value))
                })
                .ok()?;
            atvs.push(atv);
        }
        if atvs.is_empty() {
            return None;
        }
        rdns.push(atvs);
    }
    let mut out = String::new();
    for (i, rdn) in rdns.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, (oid, value)) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            write_attribute(&mut out, oid, *value)?;
        }
    }
    Some(out)
}

fn write_attribute(out: &mut String, oid: &ObjectIdentifier, value: AnyRef<'_>) -> Option<()> {
    let dotted = oid.to_string();
    let label = LABELS
        .iter()
        .find(|(known, _)| *known == dotted)
        .map(|(_, label)| *label);
    let text = match value.tag() {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String => {
            core::str::from_utf8(value.value()).ok()
        }
        _ => None,
    };
    match (label, text) {
        (Some(label), Some(text)) => {
            out.push_str(label);
            out.push('=');
            escape_value(out, text);
        }
        _ => {
            out.push_str(label.unwrap_or(&dotted));
            out.push_str("=#");
            for byte in value.to_der().ok()? {
                write!(out, "{byte:02x}").ok()?;
            }
        }
    }
    Some(())
}

/// RFC 4514 §2.4: escape `"`, `+`, `,`, `;`, `<`, `>`, `\` anywhere, a leading `#` or space,
/// a trailing space, and NUL (as `\00`).
fn escape_value(out: &mut String, text: &str) {
    let last = text.chars().count().saturating_sub(1);
    for (i, c) in text.chars().enumerate() {
        match c {
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            '\0' => out.push_str("\\00"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_specials_per_rfc4514() {
        let mut out = String::new();
        escape_value(&mut out, " #a,b+c\"d\\e; ");
        assert_eq!(out, "\\ #a\\,b\\+c\\\"d\\\\e\\;\\ ");
        let mut out = String::new();
        escape_value(&mut out, "#x");
        assert_eq!(out, "\\#x");
    }

    #[test]
    fn renders_rdns_last_first() {
        // RDNSequence content: SET { SEQ { C, PrintableString "DE" } },
        // SET { SEQ { CN, UTF8String "Issuer" } }.
        let der: &[u8] = &[
            0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02, b'D', b'E', 0x31,
            0x0f, 0x30, 0x0d, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x06, b'I', b's', b's', b'u',
            b'e', b'r',
        ];
        assert_eq!(rfc4514(der).as_deref(), Some("CN=Issuer,C=DE"));
    }

    #[test]
    fn unknown_attribute_is_hex() {
        // SET { SEQ { 2.5.4.4 (surname), UTF8String "X" } }
        let der: &[u8] = &[
            0x31, 0x0a, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x04, 0x0c, 0x01, b'X',
        ];
        assert_eq!(rfc4514(der).as_deref(), Some("2.5.4.4=#0c0158"));
    }

    #[test]
    fn malformed_is_none() {
        assert_eq!(rfc4514(&[0x31, 0x05, 0x30]), None);
        assert_eq!(rfc4514(&[0x30, 0x00]), None);
    }
}
