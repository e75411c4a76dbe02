//! Server-side request forgery rules (SD-JWT VC §"Server-Side Request Forgery").
//!
//! URLs come from untrusted input (`iss`, `vct`, `jwks_uri`, a status list `uri`). Before a
//! request to any of them, and to every redirect target, the Consumer "MUST validate the URL to
//! ensure that it is a valid HTTPS URL and that it does not point to internal resources":
//! hosts whose addresses are not globally reachable according to the IANA Special-Purpose
//! Address Registries (RFC 6890 and its updates), and internal host names.
//!
//! [`AddressClass::of`] classifies an address; [`AddressPolicy`] applies the rules to a URL
//! before resolution ([`AddressPolicy::check_host`]) and to every address the host resolves to
//! ([`AddressPolicy::check_address`]). The HTTP resolver (feature `http`) checks the addresses
//! inside its name resolution, so the address checked is the address connected to.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::FetchError;
use crate::url::HttpsUrl;

/// What an IP address is, according to the IANA IPv4 and IPv6 Special-Purpose Address
/// Registries (RFC 6890 and updates) and the address architecture. Only
/// [`AddressClass::Global`] may be connected to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AddressClass {
    /// Globally reachable unicast.
    Global,
    /// `0.0.0.0` or `::`.
    Unspecified,
    /// `0.0.0.0/8` other than `0.0.0.0` ("this network", RFC 791).
    ThisNetwork,
    /// `127.0.0.0/8` or `::1`.
    Loopback,
    /// `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16` (RFC 1918).
    Private,
    /// `100.64.0.0/10`, shared address space of carrier-grade NAT (RFC 6598).
    SharedCgnat,
    /// `169.254.0.0/16` or `fe80::/10` (RFC 3927, RFC 4291); cloud metadata services live here.
    LinkLocal,
    /// `fc00::/7` (RFC 4193).
    UniqueLocal,
    /// `fec0::/10`, deprecated site-local (RFC 3879).
    SiteLocal,
    /// `224.0.0.0/4` or `ff00::/8`.
    Multicast,
    /// `255.255.255.255`.
    Broadcast,
    /// `192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24`, `2001:db8::/32`, `3fff::/20`
    /// (RFC 5737, RFC 3849, RFC 9637).
    Documentation,
    /// `198.18.0.0/15` (RFC 2544).
    Benchmarking,
    /// `192.0.0.0/24` or `2001::/23`, IETF protocol assignments (RFC 6890); Teredo, ORCHID and
    /// the other blocks inside them are refused with them.
    ProtocolAssignment,
    /// `64:ff9b:1::/48`, local-use IPv4/IPv6 translation (RFC 8215).
    LocalTranslation,
    /// `100::/64` and `100:0:0:1::/64`, the discard-only prefix (RFC 6666) and the dummy prefix
    /// of the IANA IPv6 special-purpose registry.
    Discard,
    /// `240.0.0.0/4` (RFC 1112), `192.88.99.0/24` (deprecated 6to4 relays, RFC 7526), and
    /// every IPv6 address outside `2000::/3` not listed above (never allocated as global
    /// unicast), such as `5f00::/16` (SRv6 SIDs) and the deprecated IPv4-compatible `::/96`.
    Reserved,
}

impl AddressClass {
    /// Classifies `addr`. An IPv4 address embedded in IPv6 (`::ffff:0:0/96` IPv4-mapped,
    /// `64:ff9b::/96` NAT64, `2002::/16` 6to4) is classified by its IPv4 address, so that
    /// `::ffff:127.0.0.1` is [`AddressClass::Loopback`].
    pub fn of(addr: IpAddr) -> Self {
        match addr {
            IpAddr::V4(v4) => classify_v4(v4),
            IpAddr::V6(v6) => classify_v6(v6),
        }
    }

    /// Whether the address may be connected to: `true` only for [`AddressClass::Global`].
    pub fn is_global(self) -> bool {
        self == Self::Global
    }
}

fn classify_v4(addr: Ipv4Addr) -> AddressClass {
    let [a, b, c, _] = addr.octets();
    match (a, b, c) {
        _ if addr.is_unspecified() => AddressClass::Unspecified,
        _ if addr.is_broadcast() => AddressClass::Broadcast,
        (0, _, _) => AddressClass::ThisNetwork,
        (127, _, _) => AddressClass::Loopback,
        (10, _, _) | (192, 168, _) => AddressClass::Private,
        (172, 16..=31, _) => AddressClass::Private,
        (100, 64..=127, _) => AddressClass::SharedCgnat,
        (169, 254, _) => AddressClass::LinkLocal,
        (192, 0, 0) => AddressClass::ProtocolAssignment,
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => AddressClass::Documentation,
        (192, 88, 99) => AddressClass::Reserved,
        (198, 18..=19, _) => AddressClass::Benchmarking,
        (224..=239, _, _) => AddressClass::Multicast,
        (240..=255, _, _) => AddressClass::Reserved,
        _ => AddressClass::Global,
    }
}

fn classify_v6(addr: Ipv6Addr) -> AddressClass {
    let s = addr.segments();
    let [s0, s1, s2, s3, s4, s5, s6, s7] = s;
    let embedded_v4 = || {
        let [a, b] = s6.to_be_bytes();
        let [c, d] = s7.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    if addr.is_unspecified() {
        return AddressClass::Unspecified;
    }
    if addr.is_loopback() {
        return AddressClass::Loopback;
    }
    // ::ffff:0:0/96, IPv4-mapped.
    if [s0, s1, s2, s3, s4] == [0; 5] && s5 == 0xffff {
        return classify_v4(embedded_v4());
    }
    // 64:ff9b::/96, the well-known NAT64 prefix: reaches the embedded IPv4 address.
    if [s0, s1, s2, s3, s4, s5] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return classify_v4(embedded_v4());
    }
    if s0 == 0x64 && s1 == 0xff9b && s2 == 1 {
        return AddressClass::LocalTranslation;
    }
    if s0 == 0x100 && s1 == 0 && s2 == 0 && (s3 == 0 || s3 == 1) {
        return AddressClass::Discard;
    }
    match s0 {
        0xff00..=0xffff => return AddressClass::Multicast,
        0xfe80..=0xfebf => return AddressClass::LinkLocal,
        0xfec0..=0xfeff => return AddressClass::SiteLocal,
        0xfc00..=0xfdff => return AddressClass::UniqueLocal,
        _ => {}
    }
    // Global unicast is allocated from 2000::/3 only.
    if !(0x2000..=0x3fff).contains(&s0) {
        return AddressClass::Reserved;
    }
    if (s0 == 0x2001 && s1 == 0x0db8) || (s0 == 0x3fff && s1 <= 0x0fff) {
        return AddressClass::Documentation;
    }
    if s0 == 0x2001 && s1 <= 0x01ff {
        return AddressClass::ProtocolAssignment;
    }
    // 2002::/16, 6to4: reaches the IPv4 address in bits 16..48.
    if s0 == 0x2002 {
        let [a, b] = s1.to_be_bytes();
        let [c, d] = s2.to_be_bytes();
        return classify_v4(Ipv4Addr::new(a, b, c, d));
    }
    AddressClass::Global
}

/// Which hosts and addresses a resolver may connect to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AddressPolicy {
    /// Only globally reachable addresses and names that are not internal (the default; SD-JWT
    /// VC §"Server-Side Request Forgery").
    #[default]
    GlobalOnly,
    /// Also loopback addresses (`127.0.0.0/8`, `::1`) and the name `localhost`.
    ///
    /// <div class="warning">
    ///
    /// For tests against a server on the local machine only. A resolver with this policy lets
    /// a credential make the process send requests to services on its own machine.
    ///
    /// </div>
    DangerAllowLoopback,
}

/// DNS suffixes that designate internal hosts: `localhost` (RFC 6761 §6.3), `local`
/// (multicast DNS, RFC 6762), `home.arpa` (RFC 8375), `internal` (reserved by ICANN for
/// private use, 2024), and the names RFC 6762 Appendix G lists as used privately (`intranet`,
/// `private`, `corp`, `home`, `lan`).
const INTERNAL_SUFFIXES: &[&str] = &[
    "localhost",
    "local",
    "home.arpa",
    "internal",
    "intranet",
    "private",
    "corp",
    "home",
    "lan",
];

impl AddressPolicy {
    /// Checks the host of `url` before any resolution: an IP literal must be allowed by
    /// [`AddressPolicy::check_address`]; a DNS name must have at least two labels (a
    /// single-label name is resolved through the local search list, i.e. internally) and must
    /// not be, or end in, a suffix reserved for internal use (`localhost`, `local`,
    /// `internal`, `home.arpa`, ...; compared case-insensitively).
    ///
    /// This does not replace the check of the resolved addresses.
    ///
    /// # Errors
    ///
    /// [`FetchError::ForbiddenAddress`] or [`FetchError::ForbiddenHost`].
    pub fn check_host(self, url: &HttpsUrl) -> Result<(), FetchError> {
        let host = url.host();
        if let Some(ip) = url.ip() {
            return self.check_address(host, ip);
        }
        let lower = host.to_ascii_lowercase();
        if self == Self::DangerAllowLoopback && lower == "localhost" {
            return Ok(());
        }
        let internal = !lower.contains('.')
            || INTERNAL_SUFFIXES.iter().any(|suffix| {
                lower == *suffix
                    || lower
                        .strip_suffix(suffix)
                        .is_some_and(|rest| rest.ends_with('.'))
            });
        if internal {
            return Err(FetchError::ForbiddenHost {
                host: host.to_owned(),
            });
        }
        Ok(())
    }

    /// Checks one address that `host` is (or resolves to).
    ///
    /// # Errors
    ///
    /// [`FetchError::ForbiddenAddress`] unless the address is [`AddressClass::Global`] (or,
    /// under [`AddressPolicy::DangerAllowLoopback`], [`AddressClass::Loopback`]).
    pub fn check_address(self, host: &str, addr: IpAddr) -> Result<(), FetchError> {
        match AddressClass::of(addr) {
            AddressClass::Global => Ok(()),
            AddressClass::Loopback if self == Self::DangerAllowLoopback => Ok(()),
            _ => Err(FetchError::ForbiddenAddress {
                host: host.to_owned(),
                addr,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Tests: a failure names what broke.

    use super::*;

    fn class(text: &str) -> AddressClass {
        AddressClass::of(text.parse().unwrap_or_else(|e| panic!("{text}: {e}")))
    }

    #[test]
    fn classification_table() {
        use AddressClass::*;
        let table = [
            // IPv4
            ("0.0.0.0", Unspecified),
            ("0.1.2.3", ThisNetwork),
            ("127.0.0.1", Loopback),
            ("127.255.255.254", Loopback),
            ("10.0.0.1", Private),
            ("10.255.255.255", Private),
            ("172.16.0.1", Private),
            ("172.31.255.255", Private),
            ("172.15.255.255", Global),
            ("172.32.0.0", Global),
            ("192.168.1.1", Private),
            ("100.64.0.1", SharedCgnat),
            ("100.127.255.255", SharedCgnat),
            ("100.63.255.255", Global),
            ("100.128.0.0", Global),
            ("169.254.169.254", LinkLocal),
            ("192.0.0.9", ProtocolAssignment),
            ("192.0.2.1", Documentation),
            ("198.51.100.7", Documentation),
            ("203.0.113.9", Documentation),
            ("192.88.99.1", Reserved),
            ("198.18.0.1", Benchmarking),
            ("198.19.255.255", Benchmarking),
            ("198.20.0.0", Global),
            ("224.0.0.1", Multicast),
            ("239.255.255.250", Multicast),
            ("240.0.0.1", Reserved),
            ("255.255.255.255", Broadcast),
            ("8.8.8.8", Global),
            ("1.1.1.1", Global),
            ("93.184.215.14", Global),
            // IPv6
            ("::", Unspecified),
            ("::1", Loopback),
            ("::ffff:127.0.0.1", Loopback),
            ("::ffff:10.1.2.3", Private),
            ("::ffff:169.254.169.254", LinkLocal),
            ("::ffff:100.64.0.1", SharedCgnat),
            ("::ffff:0.0.0.0", Unspecified),
            ("::ffff:8.8.8.8", Global),
            ("::127.0.0.1", Reserved),
            ("64:ff9b::7f00:1", Loopback),
            ("64:ff9b::808:808", Global),
            ("64:ff9b:1::1", LocalTranslation),
            ("100::1", Discard),
            ("100:0:0:1::1", Discard),
            ("fe80::1", LinkLocal),
            ("febf::1", LinkLocal),
            ("fec0::1", SiteLocal),
            ("fc00::1", UniqueLocal),
            ("fd12:3456::1", UniqueLocal),
            ("ff02::1", Multicast),
            ("ff0e::1", Multicast),
            ("2001:db8::1", Documentation),
            ("3fff::1", Documentation),
            ("3fff:fff::1", Documentation),
            ("2001::1", ProtocolAssignment),
            ("2001:0:4136:e378::1", ProtocolAssignment),
            ("2001:10::1", ProtocolAssignment),
            ("2002:7f00:1::1", Loopback),
            ("2002:c0a8:101::1", Private),
            ("2002:808:808::1", Global),
            ("5f00::1", Reserved),
            ("4000::1", Reserved),
            ("1::1", Reserved),
            ("2606:4700:4700::1111", Global),
            ("2a00:1450:4001::1", Global),
            ("3ffe::1", Global),
        ];
        for (addr, expected) in table {
            assert_eq!(class(addr), expected, "{addr}");
            assert_eq!(class(addr).is_global(), expected == Global, "{addr}");
        }
    }

    fn url(text: &str) -> HttpsUrl {
        HttpsUrl::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn host_policy() {
        let strict = AddressPolicy::GlobalOnly;
        assert_eq!(strict.check_host(&url("https://example.com/")), Ok(()));
        assert_eq!(strict.check_host(&url("https://8.8.8.8/")), Ok(()));
        assert_eq!(
            strict.check_host(&url("https://[2606:4700:4700::1111]/")),
            Ok(())
        );
        for host in [
            "localhost",
            "LocalHost",
            "a.localhost",
            "intranet",
            "printer.local",
            "nas.home.arpa",
            "db.internal",
            "x.corp",
            "x.LAN",
        ] {
            assert_eq!(
                strict.check_host(&url(&format!("https://{host}/"))),
                Err(FetchError::ForbiddenHost {
                    host: host.to_owned()
                }),
                "{host}"
            );
        }
        // Suffix match is by label, not by characters.
        assert_eq!(strict.check_host(&url("https://notlocal.example/")), Ok(()));
        assert!(strict.check_host(&url("https://mylocal/")).is_err());
        assert_eq!(strict.check_host(&url("https://x.mylan/")), Ok(()));
        for literal in ["127.0.0.1", "10.0.0.1", "[::1]", "[::ffff:192.168.0.1]"] {
            assert!(
                matches!(
                    strict.check_host(&url(&format!("https://{literal}/"))),
                    Err(FetchError::ForbiddenAddress { .. })
                ),
                "{literal}"
            );
        }
    }

    #[test]
    fn loopback_opt_in() {
        let danger = AddressPolicy::DangerAllowLoopback;
        assert_eq!(danger.check_host(&url("https://localhost/")), Ok(()));
        assert_eq!(danger.check_host(&url("https://127.0.0.1/")), Ok(()));
        assert_eq!(danger.check_host(&url("https://[::1]/")), Ok(()));
        assert!(danger.check_host(&url("https://a.localhost/")).is_err());
        assert!(danger.check_host(&url("https://10.0.0.1/")).is_err());
        assert!(danger.check_host(&url("https://169.254.169.254/")).is_err());
        assert!(
            danger
                .check_address("x", "192.168.0.1".parse().unwrap())
                .is_err()
        );
        assert_eq!(
            danger.check_address("x", "127.0.0.2".parse().unwrap()),
            Ok(())
        );
        assert_eq!(
            AddressPolicy::GlobalOnly.check_address("x", "127.0.0.1".parse().unwrap()),
            Err(FetchError::ForbiddenAddress {
                host: "x".to_owned(),
                addr: "127.0.0.1".parse().unwrap()
            })
        );
    }
}
