//! The delivery worker: a few lanes, each taking the next due delivery from the database,
//! sending it off the async executor, and recording the attempt. Claims are made in the
//! database, so any number of instances (and `ndpr-contracts webhooks run`) share the work
//! without sending one event twice to one subscription.

use std::sync::Arc;
use std::time::Duration;

use crate::db::connection::blocking;
use crate::db::Db;
use crate::delivery::WebhookClient;
use crate::domain::webhook::RETRY_SCHEDULE;
use crate::error::OpError;
use crate::webhooks::deliver;

/// How long a claim lasts: longer than any attempt can take (connecting and answering are
/// bounded by the client's timeouts), and no longer, since a worker that stops mid-delivery
/// (an instance stopped, the database cut) holds its subscription's deliveries back until then.
const LEASE: Duration = Duration::from_secs(
    super::client::CONNECT_TIMEOUT.as_secs() + super::client::ATTEMPT_TIMEOUT.as_secs() + 5,
);

#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// How often an idle lane looks for due deliveries.
    pub poll: Duration,
    /// The waits after each failed attempt; Standard Webhooks' schedule by default.
    pub schedule: Vec<Duration>,
    /// Deliveries sent at once by this instance (to different subscriptions).
    pub lanes: usize,
}

impl Default for WorkerSettings {
    fn default() -> WorkerSettings {
        WorkerSettings {
            poll: Duration::from_secs(1),
            schedule: RETRY_SCHEDULE.to_vec(),
            lanes: 4,
        }
    }
}

/// Takes, sends and records one delivery; `false` when nothing was due.
pub async fn step(
    db: &Db,
    client: &Arc<WebhookClient>,
    settings: &WorkerSettings,
) -> Result<bool, OpError> {
    let Some(job) = db.write(|c| deliver::next(c, LEASE)).await? else {
        return Ok(false);
    };
    let sender = client.clone();
    let sent = job.clone();
    let attempt = blocking(move || Ok(sender.send(&sent))).await?;
    if let Some(e) = &attempt.error {
        tracing::info!(url = %job.url, message_id = %job.message_id, error = %e, "webhook attempt failed");
    }
    let jitter = rand::random::<u32>() % 201;
    // The attempt was made: record it as soon as the database answers again, within the
    // lease, rather than leave the subscription held until its lease runs out (its receiver
    // would then get the same delivery again, and everything behind it would wait).
    let deadline = std::time::Instant::now() + LEASE;
    loop {
        let (job, attempt, schedule) = (job.clone(), attempt.clone(), settings.schedule.clone());
        match db
            .write(move |c| deliver::finish(c, &job, &attempt, &schedule, jitter))
            .await
        {
            Ok(()) => return Ok(true),
            Err(OpError::Unavailable(_)) if std::time::Instant::now() < deadline => {
                actix_web::rt::time::sleep(settings.poll).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// One lane: steps while there is work, and waits `poll` when there is none or the database
/// is away.
pub async fn lane(db: Db, client: Arc<WebhookClient>, settings: WorkerSettings) {
    loop {
        match step(&db, &client, &settings).await {
            Ok(true) => {}
            Ok(false) => actix_web::rt::time::sleep(settings.poll).await,
            Err(e) => {
                tracing::warn!(error = %e, "the webhook worker could not take a delivery");
                actix_web::rt::time::sleep(settings.poll).await;
            }
        }
    }
}

/// Starts the lanes on the current runtime.
pub fn spawn(db: &Db, client: &Arc<WebhookClient>, settings: &WorkerSettings) {
    for _ in 0..settings.lanes.max(1) {
        actix_web::rt::spawn(lane(db.clone(), client.clone(), settings.clone()));
    }
}
