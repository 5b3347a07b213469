//! Who is asking: the client's address for the audit trail, the sign-in defences and the rate
//! limits. `Forwarded` and `X-Forwarded-For` are believed only from proxies the deployment names
//! (`CASEDESK_TRUSTED_PROXIES`); from anyone else they are ignored and the peer address is used,
//! so a client cannot choose the address it is audited and limited under.

use actix_web::{HttpMessage, HttpRequest, http::header::HeaderMap};
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// The client's address for this request, worked out once by the middleware and kept in the
/// request's extensions.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

/// The client's address as the middleware in `app` worked it out for this request.
pub fn request_ip(req: &HttpRequest) -> Option<IpAddr> {
    req.extensions().get::<ClientIp>().and_then(|client| client.0)
}

/// The client's address as the audit trail records it (item 8 of SEC-11).
pub fn client_address(req: &HttpRequest) -> Option<String> {
    request_ip(req).map(|ip| ip.to_string())
}

/// The networks whose forwarding headers are believed: the deployment's reverse proxies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// A comma-separated list of addresses (`10.0.0.5`) and networks (`10.0.0.0/24`, `fd00::/8`).
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut networks = vec![];
        for item in list.split(',').map(str::trim).filter(|item| !item.is_empty()) {
            let network = item
                .parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("`{item}` is not an IP address or network (such as 10.0.0.0/24)"))?;
            networks.push(network);
        }
        Ok(Self(networks))
    }

    fn contains(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|network| network.contains(&address))
    }
}

/// The client's address: the peer, unless the peer is a trusted proxy, in which case the
/// forwarding chain is walked from the nearest hop back, past every trusted proxy, to the first
/// address that is not one. A hop that is not an address (`unknown`, an obfuscated name) stops
/// the walk at the proxy that reported it.
pub fn client_ip(peer: Option<SocketAddr>, headers: &HeaderMap, trusted: &TrustedProxies) -> Option<IpAddr> {
    let mut current = peer?.ip().to_canonical();
    if !trusted.contains(current) {
        return Some(current);
    }
    for hop in forwarding_chain(headers).into_iter().rev() {
        let Some(hop) = hop else { break };
        current = hop.to_canonical();
        if !trusted.contains(current) {
            break;
        }
    }
    Some(current)
}

/// The addresses a request passed through, client first, from `Forwarded` (RFC 7239) if present,
/// else `X-Forwarded-For`. `None` marks a hop that is not an address.
fn forwarding_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let forwarded: Vec<&str> = headers.get_all("forwarded").filter_map(|v| v.to_str().ok()).collect();
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .flat_map(|value| value.split(','))
            .map(|element| {
                let node = element.split(';').find_map(|pair| {
                    let (key, value) = pair.split_once('=')?;
                    key.trim().eq_ignore_ascii_case("for").then(|| value.trim().trim_matches('"'))
                });
                node.and_then(parse_node)
            })
            .collect();
    }
    headers
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|hop| parse_node(hop.trim()))
        .collect()
}

/// `192.0.2.1`, `192.0.2.1:8080`, `2001:db8::1` or `[2001:db8::1]:4711`.
fn parse_node(node: &str) -> Option<IpAddr> {
    node.parse::<IpAddr>().ok().or_else(|| node.parse::<SocketAddr>().ok().map(|s| s.ip())).or_else(|| {
        let inner = node.strip_prefix('[')?.split(']').next()?;
        inner.parse::<IpAddr>().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(HeaderName::from_static(name), HeaderValue::from_static(value));
        }
        map
    }

    fn peer(address: &str) -> Option<SocketAddr> {
        Some(SocketAddr::new(address.parse().expect("an address"), 50_000))
    }

    fn ip(address: &str) -> Option<IpAddr> {
        Some(address.parse().expect("an address"))
    }

    #[test]
    fn forwarding_headers_from_an_untrusted_peer_are_ignored() {
        let forged = headers(&[("x-forwarded-for", "203.0.113.9"), ("forwarded", "for=203.0.113.10")]);
        assert_eq!(client_ip(peer("198.51.100.7"), &forged, &TrustedProxies::default()), ip("198.51.100.7"));
        let trusted = TrustedProxies::parse("10.0.0.0/8").expect("a list");
        assert_eq!(client_ip(peer("198.51.100.7"), &forged, &trusted), ip("198.51.100.7"));
    }

    #[test]
    fn a_trusted_proxy_is_walked_past_to_the_first_untrusted_hop() {
        let trusted = TrustedProxies::parse("10.0.0.0/8, 192.0.2.1").expect("a list");
        // The client claims an address of its own; the proxies append what they saw.
        let chain = headers(&[("x-forwarded-for", "203.0.113.99, 198.51.100.7, 192.0.2.1")]);
        assert_eq!(client_ip(peer("10.1.2.3"), &chain, &trusted), ip("198.51.100.7"));
        let forwarded = headers(&[("forwarded", r#"for=203.0.113.99, for="[2001:db8::7]:4711";proto=https"#)]);
        assert_eq!(client_ip(peer("10.1.2.3"), &forwarded, &trusted), ip("2001:db8::7"));
        let with_port = headers(&[("forwarded", "for=198.51.100.8:6000;by=10.1.2.3")]);
        assert_eq!(client_ip(peer("10.1.2.3"), &with_port, &trusted), ip("198.51.100.8"));
    }

    #[test]
    fn a_hop_that_is_not_an_address_stops_at_the_proxy_that_reported_it() {
        let trusted = TrustedProxies::parse("10.0.0.0/8").expect("a list");
        let hidden = headers(&[("forwarded", "for=198.51.100.7, for=_hidden")]);
        assert_eq!(client_ip(peer("10.1.2.3"), &hidden, &trusted), ip("10.1.2.3"));
        assert_eq!(client_ip(peer("10.1.2.3"), &HeaderMap::new(), &trusted), ip("10.1.2.3"));
    }

    #[test]
    fn mapped_ipv4_peers_match_ipv4_proxies_and_bad_lists_are_refused() {
        let trusted = TrustedProxies::parse("127.0.0.1").expect("a list");
        let chain = headers(&[("x-forwarded-for", "198.51.100.7")]);
        assert_eq!(client_ip(peer("::ffff:127.0.0.1"), &chain, &trusted), ip("198.51.100.7"));
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.internal").is_err());
        assert_eq!(TrustedProxies::parse(" ").expect("a list"), TrustedProxies::default());
    }
}
