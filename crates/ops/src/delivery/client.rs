//! One POST per attempt, signed (Standard Webhooks 1.0), to an address checked when it is
//! resolved: the name is resolved here and only allowed addresses are connected to, so a name
//! that starts pointing at a private address is refused at the next delivery. Redirects are not
//! followed and every wait is bounded.

use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::time::{Duration, Instant};

use crate::db::now_utc;
use crate::domain::webhook::{delivered, refused_target, signature, TargetPolicy, WebhookAttempt};
use crate::webhooks::deliver::Job;

/// How long a connection may take to open, and a whole attempt to finish.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest error text kept with an attempt.
const MAX_ERROR: usize = 500;

/// Resolves a host and keeps only the addresses the policy allows.
struct CheckedResolver {
    allow_private: bool,
}

impl ureq::Resolver for CheckedResolver {
    fn resolve(&self, netloc: &str) -> io::Result<Vec<SocketAddr>> {
        let all: Vec<SocketAddr> = netloc.to_socket_addrs()?.collect();
        let mut why = "no address";
        let allowed: Vec<SocketAddr> = all
            .into_iter()
            .filter(|a| match refused_target(a.ip(), self.allow_private) {
                Some(w) => {
                    why = w;
                    false
                }
                None => true,
            })
            .collect();
        if allowed.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!("refused: the host resolves to {why}, which webhooks may not call"),
            ));
        }
        Ok(allowed)
    }
}

/// Sends deliveries under one target policy.
pub struct WebhookClient {
    agent: ureq::Agent,
    policy: TargetPolicy,
}

impl WebhookClient {
    pub fn new(policy: TargetPolicy) -> WebhookClient {
        let agent = ureq::AgentBuilder::new()
            .redirects(0)
            .timeout_connect(CONNECT_TIMEOUT)
            .timeout(ATTEMPT_TIMEOUT)
            .user_agent(concat!(
                "ndpr-contracts-webhooks/",
                env!("CARGO_PKG_VERSION")
            ))
            .resolver(CheckedResolver {
                allow_private: policy.allow_private,
            })
            .build();
        WebhookClient { agent, policy }
    }

    pub fn policy(&self) -> &TargetPolicy {
        &self.policy
    }

    /// POSTs the job's event, signed now; blocking, at most [`ATTEMPT_TIMEOUT`].
    pub fn send(&self, job: &Job) -> WebhookAttempt {
        let attempted_at = now_utc();
        let started = Instant::now();
        let outcome = self.post(job);
        let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        let (response_status, error) = match outcome {
            Ok(status) => (Some(i32::from(status)), None),
            Err(e) => (None, Some(e.chars().take(MAX_ERROR).collect())),
        };
        WebhookAttempt {
            attempted_at,
            response_status,
            duration_ms,
            error,
            succeeded: response_status
                .and_then(|s| u16::try_from(s).ok())
                .is_some_and(delivered),
        }
    }

    fn post(&self, job: &Job) -> Result<u16, String> {
        // The URL is checked again: the settings may be stricter than when it was saved.
        self.policy
            .check_url(&job.url)
            .map_err(|why| format!("refused: the URL {why}"))?;
        let timestamp = now_utc().timestamp();
        let signed = signature(&job.secret, &job.message_id, timestamp, &job.body)
            .ok_or("the subscription's secret is unusable; rotate it")?;
        let answer = self
            .agent
            .post(&job.url)
            .set("content-type", "application/json")
            .set("webhook-id", &job.message_id)
            .set("webhook-timestamp", &timestamp.to_string())
            .set("webhook-signature", &signed)
            .send_bytes(&job.body);
        match answer {
            Ok(res) => Ok(res.status()),
            Err(ureq::Error::Status(status, _)) => Ok(status),
            Err(ureq::Error::Transport(t)) => Err(t.to_string()),
        }
    }
}
