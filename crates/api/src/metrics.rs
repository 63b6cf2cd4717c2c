//! Prometheus metrics: request counts and latency histograms by route and status, pool usage.
//! Every label comes from a closed set — registered route templates (or `unmatched`), the
//! standard methods (or `other`) and status codes — so no request can grow memory for ever.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;

const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Default)]
struct Series {
    count: AtomicU64,
    sum_micros: AtomicU64,
    buckets: [AtomicU64; 12],
}

type Key = (&'static str, String, u16);

/// The method label: one of the standard methods, else `other`.
pub fn method_label(method: &actix_web::http::Method) -> &'static str {
    use actix_web::http::Method;
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

#[derive(Default)]
pub struct Metrics {
    series: RwLock<HashMap<Key, Series>>,
}

impl Metrics {
    /// Counts one answer; `route` is a registered route template or `unmatched`.
    pub fn observe(
        &self,
        method: &actix_web::http::Method,
        route: &str,
        status: u16,
        seconds: f64,
    ) {
        let key = (method_label(method), route.to_string(), status);
        let record = |s: &Series| {
            s.count.fetch_add(1, Ordering::Relaxed);
            s.sum_micros.fetch_add(micros(seconds), Ordering::Relaxed);
            for (i, bound) in BUCKETS.iter().enumerate() {
                if seconds <= *bound {
                    if let Some(b) = s.buckets.get(i) {
                        b.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        };
        if let Ok(map) = self.series.read() {
            if let Some(s) = map.get(&key) {
                record(s);
                return;
            }
        }
        if let Ok(mut map) = self.series.write() {
            record(map.entry(key).or_default());
        }
    }

    /// The exposition text; `pools` are (name, connections, idle).
    pub fn render(&self, pools: &[(&str, u32, u32)]) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# HELP http_requests_total HTTP requests answered.");
        let _ = writeln!(out, "# TYPE http_requests_total counter");
        let map = match self.series.read() {
            Ok(m) => m,
            Err(_) => return out,
        };
        let mut keys: Vec<&Key> = map.keys().collect();
        keys.sort();
        for key @ (method, route, status) in &keys {
            if let Some(s) = map.get(*key) {
                let _ = writeln!(
                    out,
                    "http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {}",
                    s.count.load(Ordering::Relaxed)
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP http_request_duration_seconds Time to answer HTTP requests."
        );
        let _ = writeln!(out, "# TYPE http_request_duration_seconds histogram");
        for key @ (method, route, status) in &keys {
            let Some(s) = map.get(*key) else { continue };
            let labels = format!("method=\"{method}\",route=\"{route}\",status=\"{status}\"");
            for (i, bound) in BUCKETS.iter().enumerate() {
                let n = s.buckets.get(i).map_or(0, |b| b.load(Ordering::Relaxed));
                let _ = writeln!(
                    out,
                    "http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
                );
            }
            let count = s.count.load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {count}"
            );
            let sum = s.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
            let _ = writeln!(out, "http_request_duration_seconds_sum{{{labels}}} {sum}");
            let _ = writeln!(
                out,
                "http_request_duration_seconds_count{{{labels}}} {count}"
            );
        }
        let _ = writeln!(out, "# HELP db_pool_connections Open database connections.");
        let _ = writeln!(out, "# TYPE db_pool_connections gauge");
        for (name, conns, _) in pools {
            let _ = writeln!(out, "db_pool_connections{{pool=\"{name}\"}} {conns}");
        }
        let _ = writeln!(
            out,
            "# HELP db_pool_idle_connections Idle database connections."
        );
        let _ = writeln!(out, "# TYPE db_pool_idle_connections gauge");
        for (name, _, idle) in pools {
            let _ = writeln!(out, "db_pool_idle_connections{{pool=\"{name}\"}} {idle}");
        }
        out
    }
}

/// Seconds as whole microseconds, for the sum (negative or absurd values count as zero).
fn micros(seconds: f64) -> u64 {
    let m = (seconds * 1e6).round();
    if m.is_finite() && m > 0.0 && m < u64::MAX as f64 {
        m as u64
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::Method;

    #[test]
    fn invented_methods_share_one_series() {
        let m = Metrics::default();
        for name in ["FOO", "BAR", "BAZ"] {
            let method = Method::from_bytes(name.as_bytes()).unwrap_or(Method::GET);
            m.observe(&method, "unmatched", 405, 0.001);
        }
        m.observe(&Method::GET, "/api/v1/customers", 200, 0.001);
        let text = m.render(&[]);
        assert_eq!(text.matches("http_requests_total{").count(), 2, "{text}");
        assert!(text.contains("method=\"other\",route=\"unmatched\",status=\"405\"} 3"));
    }
}
