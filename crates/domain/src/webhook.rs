//! Webhooks (Standard Webhooks 1.0) as rules: which events a subscription takes, how a delivery
//! is signed, when a failed one is tried again, and which target addresses are never called.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use crate::ids::{DeliveryId, WebhookId};
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use utoipa::ToSchema;

/// A receiver of the change feed. The signing secret is never part of it: it is shown once,
/// when created or rotated.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Subscription {
    #[schema(value_type = uuid::Uuid)]
    pub id: WebhookId,
    /// Where deliveries are POSTed.
    #[schema(example = "https://erp.example.com/hooks/ndpr")]
    pub url: String,
    /// The event types delivered (`order.confirmed`, or `order.*` for every order event);
    /// empty for every event.
    #[schema(example = json!(["order.confirmed", "contract.*"]))]
    pub event_types: Vec<String>,
    pub description: Option<String>,
    pub status: WebhookStatus,
    /// Why it was disabled, when it is.
    pub disabled_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    /// The user who made it and manages it (besides admins); none for subscriptions made
    /// before owners were recorded, which only admins manage.
    #[schema(value_type = Option<uuid::Uuid>)]
    pub owner_id: Option<crate::UserId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WebhookStatus {
    Active,
    Disabled,
}

impl WebhookStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookStatus::Active => "active",
            WebhookStatus::Disabled => "disabled",
        }
    }

    pub fn parse(s: &str) -> Option<WebhookStatus> {
        match s {
            "active" => Some(WebhookStatus::Active),
            "disabled" => Some(WebhookStatus::Disabled),
            _ => None,
        }
    }
}

/// One event on its way to one subscription.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookDelivery {
    #[schema(value_type = uuid::Uuid)]
    pub id: DeliveryId,
    #[schema(value_type = uuid::Uuid)]
    pub subscription_id: WebhookId,
    /// The `webhook-id` header: the same on every attempt, so receivers can drop duplicates.
    #[schema(example = "msg_9f2c6b1e5a7d4c3b8e0f1a2b3c4d5e6f")]
    pub message_id: String,
    pub event_seq: i64,
    pub event_id: uuid::Uuid,
    pub event_type: String,
    pub status: WebhookDeliveryStatus,
    /// Attempts made so far.
    pub attempts: i32,
    /// When the worker tries again; absent once delivered or given up.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Every attempt, oldest first.
    pub attempt_log: Vec<WebhookAttempt>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WebhookDeliveryStatus {
    /// Not yet delivered; tried again at `next_attempt_at`.
    Pending,
    Succeeded,
    /// Given up after the retry schedule.
    Failed,
}

impl WebhookDeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookDeliveryStatus::Pending => "pending",
            WebhookDeliveryStatus::Succeeded => "succeeded",
            WebhookDeliveryStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<WebhookDeliveryStatus> {
        match s {
            "pending" => Some(WebhookDeliveryStatus::Pending),
            "succeeded" => Some(WebhookDeliveryStatus::Succeeded),
            "failed" => Some(WebhookDeliveryStatus::Failed),
            _ => None,
        }
    }
}

/// One POST to the receiver and what came of it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookAttempt {
    pub attempted_at: DateTime<Utc>,
    /// The receiver's HTTP status; absent when no answer came.
    pub response_status: Option<i32>,
    pub duration_ms: i64,
    /// Why it failed without an answer (refused target, timeout, connection error).
    pub error: Option<String>,
    pub succeeded: bool,
}

/// Whether an answer counts as delivered: any 2xx. Redirects are not followed, so they fail.
pub fn delivered(status: u16) -> bool {
    (200..300).contains(&status)
}

/// The most event types one subscription may name.
pub const MAX_EVENT_TYPES: usize = 50;

/// Whether a subscription with these types takes an event of `event_type`.
pub fn takes(event_types: &[String], event_type: &str) -> bool {
    event_types.is_empty()
        || event_types.iter().any(|t| match t.strip_suffix(".*") {
            Some(entity) => event_type
                .strip_prefix(entity)
                .is_some_and(|rest| rest.starts_with('.')),
            None => t == event_type,
        })
}

/// Whether `t` is an event type a subscription may name: `entity.action` or `entity.*`, in
/// lower case.
pub fn is_event_type(t: &str) -> bool {
    let word = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    t.len() <= 100
        && match t.split_once('.') {
            Some((entity, action)) => word(entity) && (action == "*" || word(action)),
            None => false,
        }
}

/// The `webhook-id` of a delivery: stable across its attempts.
pub fn message_id(delivery_id: DeliveryId) -> String {
    format!("msg_{}", delivery_id.uuid().simple())
}

/// A new signing secret from 24 random bytes: `whsec_` and their base64.
pub fn new_secret(random: [u8; 24]) -> String {
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(random)
    )
}

/// The `webhook-signature` header: `v1,` and the base64 HMAC-SHA256, keyed with the secret's
/// bytes, of `id.timestamp.body`. `None` when the secret is not a `whsec_` secret.
pub fn signature(secret: &str, message_id: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret.strip_prefix("whsec_")?)
        .ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(message_id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Some(format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// The waits after each failed attempt, Standard Webhooks' suggestion: 5 s, 5 min, 30 min, 2 h,
/// 5 h, 10 h, 10 h — about 27 hours from the first attempt to the eighth and last.
pub const RETRY_SCHEDULE: [Duration; 7] = [
    Duration::from_secs(5),
    Duration::from_secs(5 * 60),
    Duration::from_secs(30 * 60),
    Duration::from_secs(2 * 3600),
    Duration::from_secs(5 * 3600),
    Duration::from_secs(10 * 3600),
    Duration::from_secs(10 * 3600),
];

/// How long to wait after `failed` attempts have failed, with up to ±10 % jitter
/// (`jitter_permille` in 0–200, 100 for none) so receivers coming back are not hit by every
/// retry at once; `None` when the schedule is used up and the delivery is given up.
pub fn retry_delay(schedule: &[Duration], failed: usize, jitter_permille: u32) -> Option<Duration> {
    let base = *schedule.get(failed.checked_sub(1)?)?;
    let factor = 900 + u128::from(jitter_permille.min(200));
    let millis = base.as_millis().saturating_mul(factor) / 1000;
    Some(Duration::from_millis(
        u64::try_from(millis).unwrap_or(u64::MAX),
    ))
}

/// Why a target address is never called whatever the settings: link-local (cloud metadata at
/// 169.254.169.254), unspecified, multicast and broadcast addresses.
fn always_refused(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => {
            if v4.is_link_local() {
                Some("a link-local address")
            } else if v4.is_unspecified() || v4.octets()[0] == 0 {
                Some("an unspecified address")
            } else if v4.is_multicast() || v4.is_broadcast() {
                Some("a multicast or broadcast address")
            } else {
                None
            }
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = mapped_v4(v6) {
                return always_refused(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            if first & 0xffc0 == 0xfe80 {
                Some("a link-local address")
            } else if v6.is_unspecified() {
                Some("an unspecified address")
            } else if v6.is_multicast() {
                Some("a multicast address")
            } else {
                None
            }
        }
    }
}

/// Why a target is refused unless private targets are allowed: loopback, private networks,
/// shared address space (100.64.0.0/10) and unique local IPv6.
fn private(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            if v4.is_loopback() {
                Some("a loopback address")
            } else if v4.is_private() || (a == 100 && (64..128).contains(&b)) {
                Some("a private address")
            } else {
                None
            }
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = mapped_v4(v6) {
                return private(IpAddr::V4(v4));
            }
            if v6.is_loopback() {
                Some("a loopback address")
            } else if v6.segments()[0] & 0xfe00 == 0xfc00 {
                Some("a private address")
            } else {
                None
            }
        }
    }
}

fn mapped_v4(v6: Ipv6Addr) -> Option<Ipv4Addr> {
    match v6.segments() {
        [0, 0, 0, 0, 0, 0xffff, ..] => Some(v6.to_ipv4_mapped()?),
        _ => None,
    }
}

/// Why a delivery may not go to `ip`, if it may not.
pub fn refused_target(ip: IpAddr, allow_private: bool) -> Option<&'static str> {
    always_refused(ip).or_else(|| if allow_private { None } else { private(ip) })
}

/// Which URLs may be saved and called.
#[derive(Debug, Clone, Copy, Default)]
pub struct TargetPolicy {
    /// `http` as well as `https` (`NDPR_WEBHOOKS_ALLOW_HTTP`).
    pub allow_http: bool,
    /// Loopback and private networks (`NDPR_WEBHOOKS_ALLOW_PRIVATE`).
    pub allow_private: bool,
}

/// The longest URL a subscription may have.
pub const MAX_URL_LEN: usize = 2000;

impl TargetPolicy {
    /// Why `url` may not be a target, if it may not. A host name is checked again, on the
    /// addresses it resolves to, at each delivery.
    pub fn check_url(&self, url: &str) -> Result<url::Url, String> {
        if url.len() > MAX_URL_LEN {
            return Err(format!("must be at most {MAX_URL_LEN} characters"));
        }
        let parsed = url::Url::parse(url).map_err(|e| format!("is not a URL ({e})"))?;
        match parsed.scheme() {
            "https" => {}
            "http" if self.allow_http => {}
            "http" => {
                return Err(
                    "must use https (http is allowed only with NDPR_WEBHOOKS_ALLOW_HTTP=true)"
                        .into(),
                )
            }
            _ => return Err("must be an https URL".into()),
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err("must not carry a user name or password".into());
        }
        if parsed.fragment().is_some() {
            return Err("must not have a fragment".into());
        }
        let ip = match parsed.host() {
            None => return Err("must name a host".into()),
            Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
            Some(url::Host::Domain(_)) => None,
        };
        if let Some(why) = ip.and_then(|ip| refused_target(ip, self.allow_private)) {
            return Err(format!(
                "points at {why}, which webhooks may not call{}",
                if why.contains("loopback") || why.contains("private") {
                    " (allowed only with NDPR_WEBHOOKS_ALLOW_PRIVATE=true)"
                } else {
                    ""
                }
            ));
        }
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn link_local_is_refused_even_when_private_targets_are_allowed() {
        for a in [
            "169.254.169.254",
            "fe80::1",
            "::ffff:169.254.169.254",
            "0.0.0.0",
            "::",
        ] {
            assert!(refused_target(ip(a), true).is_some(), "{a}");
        }
    }

    #[test]
    fn private_targets_need_the_setting() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(refused_target(ip(a), false).is_some(), "{a}");
            assert!(refused_target(ip(a), true).is_none(), "{a}");
        }
        for a in ["93.184.216.34", "2606:2800:220:1::1", "172.32.0.1"] {
            assert!(refused_target(ip(a), false).is_none(), "{a}");
        }
    }

    #[test]
    fn urls() {
        let strict = TargetPolicy::default();
        assert!(strict.check_url("https://erp.example.com/hook").is_ok());
        assert!(strict.check_url("http://erp.example.com/hook").is_err());
        assert!(strict.check_url("ftp://erp.example.com/").is_err());
        assert!(strict
            .check_url("https://user:pw@erp.example.com/")
            .is_err());
        assert!(strict.check_url("https://127.0.0.1/").is_err());
        assert!(strict.check_url("https://[::1]/").is_err());
        assert!(strict.check_url("not a url").is_err());
        let open = TargetPolicy {
            allow_http: true,
            allow_private: true,
        };
        assert!(open.check_url("http://127.0.0.1:9000/").is_ok());
        assert!(open
            .check_url("http://169.254.169.254/latest/meta-data")
            .is_err());
    }

    #[test]
    fn event_types() {
        let types = vec!["order.*".to_string(), "contract.activated".to_string()];
        assert!(takes(&types, "order.confirmed"));
        assert!(takes(&types, "contract.activated"));
        assert!(!takes(&types, "contract.created"));
        assert!(!takes(&types, "orders.created"));
        assert!(takes(&[], "anything.at_all"));
        assert!(is_event_type("order.*"));
        assert!(is_event_type("price_quote.upserted"));
        assert!(!is_event_type("order"));
        assert!(!is_event_type("Order.created"));
        assert!(!is_event_type("*.created"));
    }

    #[test]
    fn the_signature_is_the_standard_one() {
        // The example of the Standard Webhooks specification.
        let sig = signature(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(
            sig.as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
        assert!(signature("not-a-secret", "msg", 1, b"").is_none());
    }

    #[test]
    fn the_schedule_lasts_about_a_day() {
        let total: Duration = RETRY_SCHEDULE.iter().sum();
        assert!(total > Duration::from_secs(24 * 3600) && total < Duration::from_secs(30 * 3600));
        assert_eq!(retry_delay(&RETRY_SCHEDULE, 0, 100), None);
        assert_eq!(
            retry_delay(&RETRY_SCHEDULE, 1, 100),
            Some(Duration::from_secs(5))
        );
        assert_eq!(retry_delay(&RETRY_SCHEDULE, 8, 100), None);
    }

    proptest! {
        #[test]
        fn jitter_stays_within_ten_percent(failed in 1usize..8, jitter in 0u32..10_000) {
            let base = RETRY_SCHEDULE[failed - 1].as_millis();
            let delay = retry_delay(&RETRY_SCHEDULE, failed, jitter).map(|d| d.as_millis());
            prop_assert!(delay.is_some_and(|d| d * 10 >= base * 9 && d * 10 <= base * 11));
        }
    }
}
