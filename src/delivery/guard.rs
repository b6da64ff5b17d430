//! The guard for outgoing HTTP: which addresses Tellus may post to. A
//! receiver's URL must be `https` (plain `http` only to `localhost` or a
//! loopback literal), and every address its host resolves to must be public:
//! loopback, link-local, private (RFC 1918, `fc00::/7`), shared (CGNAT
//! `100.64.0.0/10`), unspecified, multicast, broadcast, documentation and
//! other reserved ranges, cloud metadata addresses and IPv4 addresses
//! wrapped in IPv6 (mapped, 6to4, NAT64) are refused, unless the owner's
//! `TELLUS_WEBHOOK_ALLOW_PRIVATE` lists a range holding the address.
//!
//! The check runs when a URL is saved ([`check`]) and again when a message
//! is sent: the sender's client resolves names through [`GuardedResolver`],
//! which hands the connection only the addresses the guard approves, so a
//! name cannot resolve to a public address for the check and a private one
//! for the connection. Literal addresses never reach a resolver; the sender
//! checks them with [`check_literal`].

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::str::FromStr;
use url::{Host, Url};

/// An address range (`10.0.0.0/8`, `::1/128`; a bare address is one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Net {
    addr: IpAddr,
    prefix: u8,
}

impl Net {
    /// Whether `ip` is inside the range (IPv4 inside IPv6 counts as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => prefix_match(
                u128::from(u32::from(net)) << 96,
                u128::from(u32::from(ip)) << 96,
                self.prefix,
            ),
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                prefix_match(u128::from(net), u128::from(ip), self.prefix)
            }
            _ => false,
        }
    }
}

fn prefix_match(net: u128, ip: u128, prefix: u8) -> bool {
    if prefix == 0 {
        return true;
    }
    let mask = u128::MAX << (128 - u32::from(prefix));
    net & mask == ip & mask
}

impl fmt::Display for Net {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

impl FromStr for Net {
    type Err = String;

    fn from_str(s: &str) -> Result<Net, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (s, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("{s} is not an address range such as 10.0.0.0/8 or fd00::/8"))?;
        let addr = canonical(addr);
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{s}: the prefix length must be 0 to {max}"))?,
        };
        Ok(Net { addr, prefix })
    }
}

/// Parses a comma-separated list of ranges (`TELLUS_WEBHOOK_ALLOW_PRIVATE`).
pub fn parse_list(raw: &str) -> Result<Vec<Net>, String> {
    raw.split(',')
        .filter(|part| !part.trim().is_empty())
        .map(Net::from_str)
        .collect()
}

/// Why an address is not public.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    /// This computer (`127.0.0.0/8`, `::1`).
    Loopback,
    /// A private or shared network (RFC 1918, CGNAT, `fc00::/7`, site-local).
    Private,
    /// Link-local (`169.254.0.0/16`, `fe80::/10`).
    LinkLocal,
    /// A cloud's instance metadata service.
    Metadata,
    /// Unspecified, multicast, broadcast, documentation or otherwise reserved.
    Reserved,
}

/// An IPv4 address wrapped in IPv6 (`::ffff:a.b.c.d`) as the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => ip,
        },
        v4 => v4,
    }
}

fn in_v4(ip: Ipv4Addr, net: [u8; 4], prefix: u8) -> bool {
    prefix_match(
        u128::from(u32::from(Ipv4Addr::from(net))) << 96,
        u128::from(u32::from(ip)) << 96,
        prefix,
    )
}

fn classify_v4(ip: Ipv4Addr) -> Option<Blocked> {
    const TABLE: &[([u8; 4], u8, Blocked)] = &[
        ([169, 254, 169, 254], 32, Blocked::Metadata),
        ([0, 0, 0, 0], 8, Blocked::Reserved),
        ([10, 0, 0, 0], 8, Blocked::Private),
        ([100, 64, 0, 0], 10, Blocked::Private),
        ([127, 0, 0, 0], 8, Blocked::Loopback),
        ([169, 254, 0, 0], 16, Blocked::LinkLocal),
        ([172, 16, 0, 0], 12, Blocked::Private),
        ([192, 0, 0, 0], 24, Blocked::Reserved),
        ([192, 0, 2, 0], 24, Blocked::Reserved),
        ([192, 88, 99, 0], 24, Blocked::Reserved),
        ([192, 168, 0, 0], 16, Blocked::Private),
        ([198, 18, 0, 0], 15, Blocked::Reserved),
        ([198, 51, 100, 0], 24, Blocked::Reserved),
        ([203, 0, 113, 0], 24, Blocked::Reserved),
        ([224, 0, 0, 0], 4, Blocked::Reserved),
        ([240, 0, 0, 0], 4, Blocked::Reserved),
    ];
    TABLE
        .iter()
        .find(|(net, prefix, _)| in_v4(ip, *net, *prefix))
        .map(|(_, _, why)| *why)
}

fn classify_v6(ip: Ipv6Addr) -> Option<Blocked> {
    let bits = u128::from(ip);
    let seg = ip.segments();
    let within = |net: u128, prefix: u8| prefix_match(net, bits, prefix);
    if ip == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254) {
        return Some(Blocked::Metadata);
    }
    if ip.is_loopback() {
        return Some(Blocked::Loopback);
    }
    // IPv4 inside IPv6: NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the
    // IPv4 address they carry.
    if within(0x0064_ff9b_u128 << 96, 96) {
        return classify_v4(Ipv4Addr::from(bits as u32));
    }
    if seg[0] == 0x2002 {
        let v4 = Ipv4Addr::from(((u32::from(seg[1])) << 16) | u32::from(seg[2]));
        return classify_v4(v4);
    }
    const TABLE: &[(u128, u8, Blocked)] = &[
        // ::/96 holds the unspecified address and the old IPv4-compatible form.
        (0, 96, Blocked::Reserved),
        (0x0064_ff9b_0001_u128 << 80, 48, Blocked::Private),
        (0x0100_u128 << 112, 64, Blocked::Reserved),
        (0x2001_u128 << 112, 23, Blocked::Reserved),
        (0x2001_0db8_u128 << 96, 32, Blocked::Reserved),
        (0x3fff_u128 << 112, 20, Blocked::Reserved),
        (0xfc00_u128 << 112, 7, Blocked::Private),
        (0xfe80_u128 << 112, 10, Blocked::LinkLocal),
        (0xfec0_u128 << 112, 10, Blocked::Private),
        (0xff00_u128 << 112, 8, Blocked::Reserved),
    ];
    TABLE
        .iter()
        .find(|(net, prefix, _)| within(*net, *prefix))
        .map(|(_, _, why)| *why)
}

/// Why `ip` is not a public address, or `None` when it is.
pub fn classify(ip: IpAddr) -> Option<Blocked> {
    match canonical(ip) {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

/// Whether Tellus may connect to `ip`: a public address, or one inside a
/// range the owner allowed.
pub fn allowed(ip: IpAddr, allow: &[Net]) -> bool {
    classify(ip).is_none() || allow.iter().any(|net| net.contains(ip))
}

/// The first address of `addrs` that is refused, with why; `None` when all
/// are allowed. At save time one refused address refuses the URL.
pub fn first_refused(addrs: &[IpAddr], allow: &[Net]) -> Option<(IpAddr, Blocked)> {
    addrs
        .iter()
        .find(|ip| !allowed(**ip, allow))
        .map(|ip| (*ip, classify(*ip).unwrap_or(Blocked::Reserved)))
}

/// Why a URL was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a URL.
    Invalid,
    /// Not `https`, or `http` to a host that is not this computer.
    NotHttps,
    /// The host does not resolve.
    Unresolvable,
    /// An address of the host is not public.
    Blocked(IpAddr, Blocked),
}

impl Refusal {
    /// The catalogue key that explains it to the owner.
    pub fn message_key(&self) -> &'static str {
        match self {
            Refusal::Invalid => "webhook-url-invalid",
            Refusal::NotHttps => "webhook-url-https",
            Refusal::Unresolvable => "webhook-url-unresolvable",
            Refusal::Blocked(_, Blocked::Loopback) => "webhook-url-loopback",
            Refusal::Blocked(_, Blocked::Private) => "webhook-url-private",
            Refusal::Blocked(_, Blocked::LinkLocal | Blocked::Metadata) => "webhook-url-link-local",
            Refusal::Blocked(_, Blocked::Reserved) => "webhook-url-reserved",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Invalid => f.write_str("not a URL"),
            Refusal::NotHttps => f.write_str("only https (http only to localhost)"),
            Refusal::Unresolvable => f.write_str("the host does not resolve"),
            Refusal::Blocked(ip, why) => write!(f, "refused address {ip} ({why:?})"),
        }
    }
}

/// A URL the guard approved when it was saved (normalised by the URL parser).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approved(String);

impl Approved {
    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Longest URL accepted, in bytes.
pub const MAX_URL: usize = 2000;

/// Parses `raw` and checks its scheme: `https`, or `http` to `localhost` or a
/// loopback literal. Odd address forms (`2130706433`, `0x7f000001`, `127.1`,
/// `[::ffff:127.0.0.1]`) come out as the address they name.
pub fn parse(raw: &str) -> Result<Url, Refusal> {
    let raw = raw.trim();
    if raw.len() > MAX_URL {
        return Err(Refusal::Invalid);
    }
    let url = Url::parse(raw).map_err(|_| Refusal::Invalid)?;
    let host = url.host().ok_or(Refusal::Invalid)?;
    match url.scheme() {
        "https" => Ok(url),
        "http" => {
            let local = match host {
                Host::Domain(name) => is_localhost(name),
                Host::Ipv4(ip) => ip.is_loopback(),
                Host::Ipv6(ip) => canonical(IpAddr::V6(ip)).is_loopback(),
            };
            if local {
                Ok(url)
            } else {
                Err(Refusal::NotHttps)
            }
        }
        _ => Err(Refusal::NotHttps),
    }
}

fn is_localhost(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// The address of a literal host (`https://10.0.0.1/`), checked; `Ok(None)`
/// for a name, which the sender's [`GuardedResolver`] checks instead.
pub fn check_literal(url: &Url, allow: &[Net]) -> Result<Option<IpAddr>, Refusal> {
    let ip = match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
        Some(Host::Domain(_)) => return Ok(None),
        None => return Err(Refusal::Invalid),
    };
    match first_refused(&[ip], allow) {
        Some((ip, why)) => Err(Refusal::Blocked(ip, why)),
        None => Ok(Some(ip)),
    }
}

/// Resolves a host name to its addresses (port 0).
async fn resolve(name: &str) -> Vec<IpAddr> {
    match tokio::time::timeout(
        std::time::Duration::from_secs(5),
        tokio::net::lookup_host((name, 0)),
    )
    .await
    {
        Ok(Ok(addrs)) => addrs.map(|a| a.ip()).collect(),
        _ => Vec::new(),
    }
}

/// The save-time check: the URL's form and scheme, then every address its
/// host resolves to, with the resolution given (so tests can inject one).
pub fn check_resolved(url: &Url, addrs: &[IpAddr], allow: &[Net]) -> Result<Approved, Refusal> {
    if addrs.is_empty() {
        return Err(Refusal::Unresolvable);
    }
    match first_refused(addrs, allow) {
        Some((ip, why)) => Err(Refusal::Blocked(ip, why)),
        None => Ok(Approved(url.to_string())),
    }
}

/// The save-time check of a URL an owner typed: form, scheme, and every
/// address the host resolves to now.
pub async fn check(raw: &str, allow: &[Net]) -> Result<Approved, Refusal> {
    let url = parse(raw)?;
    if let Some(ip) = check_literal(&url, allow)? {
        return check_resolved(&url, &[ip], allow);
    }
    let name = match url.host() {
        Some(Host::Domain(name)) => name.to_owned(),
        _ => return Err(Refusal::Invalid),
    };
    let addrs = resolve(&name).await;
    check_resolved(&url, &addrs, allow)
}

/// The sender's resolver: resolves a name and keeps only the addresses the
/// guard allows, so the connection can only go there.
#[derive(Debug, Clone)]
pub struct GuardedResolver {
    allow: std::sync::Arc<Vec<Net>>,
}

impl GuardedResolver {
    /// A resolver allowing public addresses and the ranges in `allow`.
    pub fn new(allow: &[Net]) -> GuardedResolver {
        GuardedResolver {
            allow: std::sync::Arc::new(allow.to_vec()),
        }
    }
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow = std::sync::Arc::clone(&self.allow);
        let name = name.as_str().to_owned();
        Box::pin(async move {
            let found = resolve(&name).await;
            if found.is_empty() {
                return Err(format!("{name} does not resolve").into());
            }
            let kept: Vec<SocketAddr> = found
                .iter()
                .filter(|ip| allowed(**ip, &allow))
                .map(|ip| SocketAddr::new(*ip, 0))
                .collect();
            if kept.is_empty() {
                let (ip, why) =
                    first_refused(&found, &allow).unwrap_or((found[0], Blocked::Reserved));
                return Err(Refusal::Blocked(ip, why).to_string().into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(kept.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("address")
    }

    #[test]
    fn address_table() {
        let none: &[Net] = &[];
        let cases: &[(&str, Option<Blocked>)] = &[
            ("8.8.8.8", None),
            ("1.1.1.1", None),
            ("2606:4700:4700::1111", None),
            ("127.0.0.1", Some(Blocked::Loopback)),
            ("127.255.0.9", Some(Blocked::Loopback)),
            ("::1", Some(Blocked::Loopback)),
            ("::ffff:127.0.0.1", Some(Blocked::Loopback)),
            ("::ffff:10.1.2.3", Some(Blocked::Private)),
            ("10.0.0.1", Some(Blocked::Private)),
            ("172.16.5.4", Some(Blocked::Private)),
            ("172.31.255.255", Some(Blocked::Private)),
            ("172.32.0.1", None),
            ("192.168.1.1", Some(Blocked::Private)),
            ("100.64.0.1", Some(Blocked::Private)),
            ("100.127.255.254", Some(Blocked::Private)),
            ("100.128.0.1", None),
            ("169.254.169.254", Some(Blocked::Metadata)),
            ("169.254.1.1", Some(Blocked::LinkLocal)),
            ("fd00:ec2::254", Some(Blocked::Metadata)),
            ("fd12:3456::1", Some(Blocked::Private)),
            ("fc00::1", Some(Blocked::Private)),
            ("fe80::1", Some(Blocked::LinkLocal)),
            ("0.0.0.0", Some(Blocked::Reserved)),
            ("::", Some(Blocked::Reserved)),
            ("224.0.0.1", Some(Blocked::Reserved)),
            ("ff02::1", Some(Blocked::Reserved)),
            ("255.255.255.255", Some(Blocked::Reserved)),
            ("192.0.2.10", Some(Blocked::Reserved)),
            ("198.51.100.1", Some(Blocked::Reserved)),
            ("203.0.113.7", Some(Blocked::Reserved)),
            ("2001:db8::1", Some(Blocked::Reserved)),
            ("64:ff9b::a00:1", Some(Blocked::Private)),
            ("64:ff9b::808:808", None),
            ("2002:7f00:1::", Some(Blocked::Loopback)),
            ("2002:0808:0808::", None),
            ("::127.0.0.1", Some(Blocked::Reserved)),
        ];
        for (addr, expected) in cases {
            assert_eq!(classify(ip(addr)), *expected, "{addr}");
            assert_eq!(allowed(ip(addr), none), expected.is_none(), "{addr}");
        }
    }

    #[test]
    fn the_owner_can_allow_a_range() {
        let allow = parse_list("127.0.0.0/8, ::1/128,10.1.0.0/16").expect("ranges");
        assert!(allowed(ip("127.0.0.1"), &allow));
        assert!(allowed(ip("::ffff:127.0.0.1"), &allow));
        assert!(allowed(ip("::1"), &allow));
        assert!(allowed(ip("10.1.9.9"), &allow));
        assert!(!allowed(ip("10.2.0.1"), &allow));
        assert!(!allowed(ip("169.254.169.254"), &allow));
        assert!(parse_list("10.0.0.0/33").is_err());
        assert!(parse_list("localhost").is_err());
        assert!(parse_list("").expect("empty").is_empty());
        assert_eq!(
            parse_list("192.168.1.7").expect("one address")[0].to_string(),
            "192.168.1.7/32"
        );
    }

    #[test]
    fn odd_address_forms_are_the_address_they_name() {
        let none: &[Net] = &[];
        for raw in [
            "http://2130706433/",
            "http://0x7f000001/",
            "http://127.1/",
            "http://0177.0.0.1/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "https://127.0.0.1:8443/hook",
        ] {
            let url = parse(raw).unwrap_or_else(|e| panic!("{raw}: {e}"));
            assert!(
                matches!(
                    check_literal(&url, none),
                    Err(Refusal::Blocked(_, Blocked::Loopback))
                ),
                "{raw} is loopback"
            );
        }
        let allow = parse_list("127.0.0.0/8,::1/128").expect("ranges");
        let url = parse("http://2130706433/").expect("decimal");
        assert_eq!(check_literal(&url, &allow), Ok(Some(ip("127.0.0.1"))));
    }

    #[test]
    fn schemes() {
        assert_eq!(parse("http://example.com/hook"), Err(Refusal::NotHttps));
        assert_eq!(parse("http://10.0.0.1/hook"), Err(Refusal::NotHttps));
        assert_eq!(parse("ftp://example.com/"), Err(Refusal::NotHttps));
        assert_eq!(parse("file:///etc/passwd"), Err(Refusal::Invalid));
        assert_eq!(parse("not a url"), Err(Refusal::Invalid));
        assert!(parse("https://example.com/hook").is_ok());
        assert!(parse("http://localhost:9000/hook").is_ok());
        assert!(parse("http://LOCALHOST./hook").is_ok());
        assert!(parse("http://[::1]:9000/").is_ok());
    }

    #[test]
    fn a_name_resolving_inside_a_private_network_is_refused() {
        let none: &[Net] = &[];
        let url = parse("https://hooks.example.com/in").expect("url");
        assert_eq!(
            check_resolved(&url, &[ip("10.0.0.7")], none),
            Err(Refusal::Blocked(ip("10.0.0.7"), Blocked::Private))
        );
        assert_eq!(
            check_resolved(&url, &[ip("93.184.216.34"), ip("10.0.0.7")], none),
            Err(Refusal::Blocked(ip("10.0.0.7"), Blocked::Private)),
            "one private answer refuses the name"
        );
        assert_eq!(check_resolved(&url, &[], none), Err(Refusal::Unresolvable));
        assert!(check_resolved(&url, &[ip("93.184.216.34")], none).is_ok());
        let allow = parse_list("10.0.0.0/8").expect("range");
        assert!(check_resolved(&url, &[ip("10.0.0.7")], &allow).is_ok());
    }
}
