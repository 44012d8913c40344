//! Small predicates on single values: names, quantities, addresses, keys.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use kube_quantity::ParsedQuantity;

/// A DNS-1123 label: lowercase alphanumerics and `-`, starting and ending alphanumeric.
pub(crate) fn is_dns_label(s: &str, max: usize) -> bool {
    let bytes = s.as_bytes();
    !s.is_empty()
        && s.len() <= max
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes[0] != b'-'
        && bytes[bytes.len() - 1] != b'-'
}

/// A DNS-1123 subdomain: dot-separated labels, at most 253 characters.
pub(crate) fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(|label| is_dns_label(label, 63))
}

/// A hostname as IoT Edge takes it: labels of letters, digits and `-`, at most 255 characters.
pub(crate) fn is_hostname(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 255
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

/// Bytes of a Kubernetes quantity, or `None` when it is not one.
pub(crate) fn quantity_bytes(s: &str) -> Option<u64> {
    let parsed = ParsedQuantity::try_from(s).ok()?;
    parsed.to_bytes_u64()
}

/// A MAC address `aa:bb:cc:dd:ee:ff` that is unicast.
pub(crate) fn mac_problem(s: &str) -> Option<&'static str> {
    let parts: Vec<&str> = s.split(':').collect();
    let well_formed = parts.len() == 6
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_hexdigit()));
    if !well_formed {
        return Some("is not a MAC address");
    }
    let first = u8::from_str_radix(parts[0], 16).unwrap_or(1);
    (first & 1 == 1).then_some("is a multicast MAC address")
}

/// An IPv4 or IPv6 address.
pub(crate) fn is_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

/// An address with a prefix length, e.g. `192.168.1.10/24`.
pub(crate) fn is_cidr(s: &str) -> bool {
    let Some((addr, len)) = s.split_once('/') else {
        return false;
    };
    let Ok(ip) = addr.parse::<std::net::IpAddr>() else {
        return false;
    };
    let max = if ip.is_ipv4() { 32 } else { 128 };
    len.parse::<u8>().is_ok_and(|l| l <= max)
}

/// The base64 engine IoT Hub keys need: standard alphabet, padding optional.
pub(crate) const KEY_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_encode_padding(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes a base64 key; `None` when it is not base64 or empty.
pub(crate) fn decode_key(s: &str) -> Option<Vec<u8>> {
    KEY_BASE64.decode(s.trim()).ok().filter(|k| !k.is_empty())
}

/// Text that can sit on one line of a config file: no control characters.
pub(crate) fn is_single_line(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

/// An `http://` or `https://` URL with a host and no whitespace.
pub(crate) fn is_http_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("http://")
        .or_else(|| s.strip_prefix("https://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'))
        && is_single_line(s)
        && !s.contains(' ')
}

/// Whether a URL carries credentials (`scheme://user:password@host`) in its authority.
pub(crate) fn has_credentials(url: &str) -> bool {
    url.split_once("://").is_some_and(|(_, rest)| {
        rest.split('/')
            .next()
            .is_some_and(|authority| authority.contains('@'))
    })
}

/// A URL as a message may show it: masked like any secret when it carries credentials.
pub(crate) fn shown_url(url: &str) -> String {
    if has_credentials(url) {
        crate::diagnostic::mask(url)
    } else {
        url.to_owned()
    }
}

/// Suggests the closest of `options` to a misspelt `value`.
pub(crate) fn expected_one_of(options: &[&str]) -> String {
    format!("expected one of {}", options.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_parse_as_kubernetes_does() {
        assert_eq!(quantity_bytes("4Gi"), Some(4 << 30));
        assert_eq!(quantity_bytes("1M"), Some(1_000_000));
        assert_eq!(quantity_bytes("12"), Some(12));
        assert_eq!(quantity_bytes("3Gb"), None);
        assert_eq!(quantity_bytes("four"), None);
    }

    #[test]
    fn macs_must_be_unicast() {
        assert_eq!(mac_problem("02:00:00:00:00:01"), None);
        assert_eq!(
            mac_problem("03:00:00:00:00:01"),
            Some("is a multicast MAC address")
        );
        assert_eq!(mac_problem("02:00:00:00:00"), Some("is not a MAC address"));
    }

    #[test]
    fn keys_decode_with_or_without_padding() {
        assert_eq!(decode_key("YWJj"), Some(b"abc".to_vec()));
        assert_eq!(decode_key("YWI="), Some(b"ab".to_vec()));
        assert_eq!(decode_key("YWI"), Some(b"ab".to_vec()));
        assert_eq!(decode_key("not base64!"), None);
    }

    #[test]
    fn names_follow_dns_1123() {
        assert!(is_dns_label("plant-a-edge-01", 63));
        assert!(!is_dns_label("Plant", 63));
        assert!(!is_dns_label("-a", 63));
        assert!(is_dns_subdomain("a.b-c"));
        assert!(is_cidr("10.0.0.1/24"));
        assert!(!is_cidr("10.0.0.1/33"));
        assert!(is_http_url("http://proxy:3128"));
        assert!(!is_http_url("proxy:3128"));
    }

    #[test]
    fn urls_with_credentials_are_shown_masked() {
        assert!(has_credentials("http://user:pw@proxy:3128"));
        assert!(has_credentials("https://token@est.example/est"));
        assert!(!has_credentials("http://proxy:3128/a@b"));
        assert!(!has_credentials("ops@example.com"));
        assert_eq!(shown_url("http://u:pw@h"), "<secret, 13 characters>");
        assert_eq!(shown_url("http://h/x"), "http://h/x");
    }
}
