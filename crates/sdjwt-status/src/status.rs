//! Status Types (draft-ietf-oauth-status-list-20 §7) as a typed registry.

use core::fmt;

/// A Status Type value of one Referenced Token, as registered in the "OAuth Status Types"
/// registry (draft-ietf-oauth-status-list-20 §7.1, initial contents §14.5.2).
///
/// Every byte has exactly one variant: [`Status::from_value`] is total, and
/// [`Status::value`] gives the byte back. The application-specific and reserved variants carry
/// their value; one built by hand with a value the registry assigns elsewhere (say
/// `Reserved(0x01)`) is refused by [`crate::StatusList::set`] with
/// [`crate::Error::InconsistentStatus`].
///
/// ```
/// use sdjwt_status::Status;
///
/// assert_eq!(Status::from_value(0x02), Status::Suspended);
/// assert_eq!(Status::from_value(0x0d), Status::ApplicationSpecific(0x0d));
/// assert_eq!(Status::from_value(0x07), Status::Reserved(0x07));
/// assert_eq!(u8::from(Status::Invalid), 0x01);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// `0x00` VALID: "the status of the Referenced Token is valid, correct or legal".
    Valid,
    /// `0x01` INVALID: the Referenced Token is "revoked, annulled, taken back, recalled or
    /// cancelled".
    Invalid,
    /// `0x02` SUSPENDED: the Referenced Token is "temporarily invalid, hanging, debarred from
    /// privilege"; usually temporary.
    Suspended,
    /// `0x03` or `0x0C` to `0x0F`: APPLICATION_SPECIFIC, "permanently reserved as application
    /// specific"; their processing is up to the application.
    ApplicationSpecific(u8),
    /// Any other value (`0x04` to `0x0B`, `0x10` to `0xFF`): "reserved for future
    /// registration". A list may carry one; what it means is not defined yet, so a Relying
    /// Party should not treat it as VALID.
    Reserved(u8),
}

impl Status {
    /// The Status Type registered for `value` (§7.1).
    pub const fn from_value(value: u8) -> Self {
        match value {
            0x00 => Self::Valid,
            0x01 => Self::Invalid,
            0x02 => Self::Suspended,
            0x03 | 0x0c..=0x0f => Self::ApplicationSpecific(value),
            _ => Self::Reserved(value),
        }
    }

    /// The value written into the Status List (§7: "between 0 and 255").
    pub const fn value(self) -> u8 {
        match self {
            Self::Valid => 0x00,
            Self::Invalid => 0x01,
            Self::Suspended => 0x02,
            Self::ApplicationSpecific(v) | Self::Reserved(v) => v,
        }
    }

    /// Whether this is the variant [`Status::from_value`] gives for [`Status::value`]; false only
    /// for a hand-built `ApplicationSpecific` or `Reserved` with a value registered otherwise.
    pub const fn is_consistent(self) -> bool {
        match self {
            Self::Valid | Self::Invalid | Self::Suspended => true,
            Self::ApplicationSpecific(v) => matches!(v, 0x03 | 0x0c..=0x0f),
            Self::Reserved(v) => !matches!(v, 0x00..=0x03 | 0x0c..=0x0f),
        }
    }

    /// Whether this is VALID (`0x00`). Only a VALID status lets a Relying Party go on trusting
    /// the Referenced Token; everything else needs a decision by the application.
    pub const fn is_valid(self) -> bool {
        matches!(self, Self::Valid)
    }

    /// The registry's name: `VALID`, `INVALID`, `SUSPENDED`, `APPLICATION_SPECIFIC`, or
    /// `RESERVED` for unregistered values.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Valid => "VALID",
            Self::Invalid => "INVALID",
            Self::Suspended => "SUSPENDED",
            Self::ApplicationSpecific(_) => "APPLICATION_SPECIFIC",
            Self::Reserved(_) => "RESERVED",
        }
    }
}

impl From<u8> for Status {
    fn from(value: u8) -> Self {
        Self::from_value(value)
    }
}

impl From<Status> for u8 {
    fn from(status: Status) -> Self {
        status.value()
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({:#04x})", self.name(), self.value())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_round_trips_and_follows_the_registry() {
        for v in 0..=u8::MAX {
            let s = Status::from_value(v);
            assert_eq!(s.value(), v);
            assert!(s.is_consistent(), "{v:#04x}");
            let expected = match v {
                0 => "VALID",
                1 => "INVALID",
                2 => "SUSPENDED",
                3 | 12..=15 => "APPLICATION_SPECIFIC",
                _ => "RESERVED",
            };
            assert_eq!(s.name(), expected, "{v:#04x}");
        }
    }

    #[test]
    fn hand_built_variants_can_be_inconsistent() {
        assert!(!Status::ApplicationSpecific(0x04).is_consistent());
        assert!(!Status::ApplicationSpecific(0x00).is_consistent());
        assert!(!Status::Reserved(0x01).is_consistent());
        assert!(!Status::Reserved(0x0e).is_consistent());
        assert!(Status::Reserved(0x10).is_consistent());
        assert_eq!(Status::Suspended.to_string(), "SUSPENDED (0x02)");
    }
}
