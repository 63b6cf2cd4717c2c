//! `/settlements`: what the shipped shipments are worth — what each customer owes per
//! currency, what today's prices do to the open settlements, and the settlements themselves,
//! filtered by status, customer and delivery months in the address.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};

use crate::domain::settlement::SettlementStatus;
use crate::domain::{CustomerId, Period};
use crate::error::DeskError;
use crate::extract::{DeskQuery, DeskSession};
use crate::layout::User;
use crate::ops::settlements::{
    Receivables, Revaluation, Settlement, SettlementFilter, SettlementReportQuery,
};
use crate::page;
use crate::state::AppState;
use crate::view;
use crate::worklist::{choices, parties, Choice};

/// Most settlements the page lists at once.
const SHOWN: i64 = 200;
/// The default months: a year back to six months ahead.
const BACK: i32 = 12;
const AHEAD: i32 = 6;

pub struct ReceivableLine {
    pub customer_id: String,
    pub customer: String,
    pub currency: String,
    pub settlements: usize,
    pub due: String,
    pub final_balances: String,
    pub open_estimate: String,
}

pub struct RevaluationLine {
    pub currency: String,
    pub provisional: String,
    pub estimate: String,
    pub difference: String,
    pub book: String,
}

pub struct SettlementLine {
    pub shipment_id: String,
    pub number: String,
    pub month: String,
    pub status: &'static str,
    pub provisional: String,
    pub due: String,
    pub later: String,
    pub balance: String,
}

#[derive(askama::Template)]
#[template(path = "settlements.html")]
struct SettlementsPage {
    user: User,
    statuses: Vec<Choice>,
    customers: Vec<Choice>,
    from: String,
    to: String,
    filtered: bool,
    range: String,
    receivables: Vec<ReceivableLine>,
    revaluation: Vec<RevaluationLine>,
    book_currency: String,
    rows: Vec<SettlementLine>,
    /// The next page's address, when there is one; the first page's, when this is not it.
    next_href: Option<String>,
    first_href: Option<String>,
}

fn money(currency: &str, v: Option<&String>) -> String {
    crate::settlement::money(currency, v).unwrap_or_else(|| "—".into())
}

fn line(s: &Settlement) -> SettlementLine {
    let c = s.currency.as_str();
    let later = s.final_valuation.as_ref().or(s.current.as_ref());
    SettlementLine {
        shipment_id: s.shipment_id.to_string(),
        number: s.shipment_number.clone(),
        month: view::month(s.period),
        status: s.status.as_str(),
        provisional: money(c, s.provisional.value.as_ref()),
        due: money(c, s.provisional_due.as_ref()),
        later: match later {
            Some(v) => format!(
                "{} ({})",
                money(c, v.value.as_ref()),
                match v.price_status {
                    crate::domain::pricing::PriceStatus::Fixed => "fixed price",
                    crate::domain::pricing::PriceStatus::Final => "price final",
                    crate::domain::pricing::PriceStatus::Provisional => "estimate",
                    crate::domain::pricing::PriceStatus::Unpriced => "unpriced",
                }
            ),
            None => "—".into(),
        },
        balance: money(c, s.balance.as_ref()),
    }
}

type Loaded = (
    Vec<Settlement>,
    Option<String>,
    Receivables,
    Revaluation,
    Vec<(String, String)>,
);

#[get("/settlements")]
pub async fn settlements_page(
    session: DeskSession,
    state: web::Data<AppState>,
    query: DeskQuery,
) -> Result<HttpResponse, DeskError> {
    let get = |k: &str| query.0.get(k).cloned().unwrap_or_default();
    let now = crate::domain::clock::current_period();
    let from = Period::parse(&get("from")).unwrap_or(now.plus(-BACK));
    let to = Period::parse(&get("to"))
        .filter(|t| *t >= from && from.months_until(*t) < 120)
        .unwrap_or(from.plus(BACK + AHEAD));
    let status = SettlementStatus::parse(&get("status"));
    let customer = CustomerId::parse(&get("customer_id"));
    let filtered = status.is_some() || customer.is_some() || !get("from").is_empty();
    let cursor = Some(get("cursor")).filter(|c| !c.is_empty());
    let reads = state.reads.clone();
    let key = format!("settlements:{from}:{to}:{status:?}:{customer:?}:{cursor:?}");
    let here = {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        if let Some(s) = status {
            q.append_pair("status", s.as_str());
        }
        if let Some(c) = customer {
            q.append_pair("customer_id", &c.to_string());
        }
        q.append_pair("from", &from.to_string())
            .append_pair("to", &to.to_string());
        q.finish()
    };
    let first_href = cursor.is_some().then(|| format!("/settlements?{here}"));
    let loaded = state
        .db
        .read(move |c| {
            reads.get_or_compute(c, &key, |c| -> Result<Loaded, crate::error::OpError> {
                let page = crate::ops::settlements::list(
                    c,
                    &SettlementFilter {
                        limit: Some(SHOWN),
                        status,
                        customer_id: customer,
                        from: Some(from),
                        to: Some(to),
                        cursor: cursor.clone(),
                        ..Default::default()
                    },
                )?;
                let q = SettlementReportQuery {
                    from,
                    to,
                    customer_id: customer,
                };
                Ok((
                    page.items,
                    page.next_cursor,
                    crate::ops::settlements::receivables(c, &q)?,
                    crate::ops::settlements::revaluation(c, &q)?,
                    parties(c)?.0,
                ))
            })
        })
        .await?;
    let (items, next, receivables, revaluation, customers) = &*loaded;
    Ok(page::render(
        StatusCode::OK,
        &SettlementsPage {
            user: User::of(&session),
            statuses: choices(
                [SettlementStatus::Open, SettlementStatus::Final]
                    .iter()
                    .map(|s| (s.as_str().to_string(), s.as_str().to_string())),
                &get("status"),
            ),
            customers: choices(customers.clone(), &get("customer_id")),
            from: from.to_string(),
            to: to.to_string(),
            filtered,
            range: format!("{} to {}", view::month(from), view::month(to)),
            receivables: receivables
                .rows
                .iter()
                .map(|r| ReceivableLine {
                    customer_id: r.customer_id.to_string(),
                    customer: r.customer_code.clone(),
                    currency: r.currency.clone(),
                    settlements: r.settlements,
                    due: money(&r.currency, Some(&r.provisional_due)),
                    final_balances: money(&r.currency, Some(&r.final_balances)),
                    open_estimate: money(&r.currency, Some(&r.open_balances_estimate)),
                })
                .collect(),
            revaluation: revaluation
                .totals
                .iter()
                .map(|t| RevaluationLine {
                    currency: t.currency.clone(),
                    provisional: money(&t.currency, Some(&t.provisional_value)),
                    estimate: money(&t.currency, Some(&t.estimate)),
                    difference: money(&t.currency, Some(&t.difference)),
                    book: match (&t.book_difference, &t.book_rate) {
                        (Some(d), Some(r)) => format!(
                            "{} at {}/{} {r}{}",
                            money(&revaluation.book_currency, Some(d)),
                            t.currency,
                            revaluation.book_currency,
                            t.book_rate_date
                                .map(|d| format!(" (fixing of {d})"))
                                .unwrap_or_default()
                        ),
                        _ => format!(
                            "no {}/{} fixing today",
                            t.currency, revaluation.book_currency
                        ),
                    },
                })
                .collect(),
            book_currency: revaluation.book_currency.clone(),
            rows: items.iter().map(line).collect(),
            next_href: next.as_ref().map(|c| {
                let mut q = url::form_urlencoded::Serializer::new(String::new());
                q.append_pair("cursor", c);
                format!("/settlements?{here}&{}", q.finish())
            }),
            first_href,
        },
    ))
}
