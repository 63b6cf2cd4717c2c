//! Order entry's form: what it holds as typed, the choices it offers (active customers,
//! products, contracts for add-on orders, price indices), and the `NewOrder` it describes for
//! the operation `POST /api/v1/orders` runs. Spot or add-on; fixed, index-linked, or (for an
//! add-on) the contract's own terms.

use actix_web::web;

use crate::domain::customer::Customer;
use crate::domain::lifecycle::ContractStatus;
use crate::domain::price_index::PriceIndex;
use crate::domain::product::Product;
use crate::domain::reference::MasterStatus;
use crate::domain::Period;
use crate::error::OpError;
use crate::numbers;
use crate::ops::master::customer::CustomerFilter;
use crate::ops::master::price_index::PriceIndexFilter;
use crate::ops::master::product::ProductFilter;
use crate::ops::orders::NewOrder;
use crate::state::AppState;

pub use crate::extract::{field, Fields};

pub struct Choice {
    pub id: String,
    pub code: String,
    pub name: String,
}

/// The members of the form that name it, in the order of the form.
const MEMBERS: [&str; 15] = [
    "order_type",
    "contract_id",
    "customer_id",
    "product_id",
    "period",
    "quantity_kg",
    "pricing_type",
    "unit_price",
    "index_id",
    "qp_offset_months",
    "multiplier",
    "premium",
    "currency",
    "incoterm",
    "incoterm_place",
];

/// How the form prices the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PricingChoice {
    Fixed,
    Index,
    /// An add-on order on its contract's terms plus the contract's add-on premium.
    Contract,
}

impl PricingChoice {
    pub fn of(text: &str) -> PricingChoice {
        match text {
            "index" => PricingChoice::Index,
            "contract" => PricingChoice::Contract,
            _ => PricingChoice::Fixed,
        }
    }
}

/// What the form shows, as typed.
#[derive(Default, Clone)]
pub struct OrderForm {
    pub order_type: String,
    pub contract_id: String,
    pub customer_id: String,
    pub product_id: String,
    pub period: String,
    pub quantity_kg: String,
    /// `fixed`, `index`, or `contract` (an add-on on its contract's terms).
    pub pricing_type: String,
    pub unit_price: String,
    pub index_id: String,
    pub qp_offset_months: String,
    pub multiplier: String,
    pub premium: String,
    pub currency: String,
    pub incoterm: String,
    pub incoterm_place: String,
    pub idempotency_key: String,
}

impl OrderForm {
    pub fn from_fields(f: &Fields) -> OrderForm {
        let get = |n: &str| field(f, n).to_string();
        OrderForm {
            order_type: get("order_type"),
            contract_id: get("contract_id"),
            customer_id: get("customer_id"),
            product_id: get("product_id"),
            period: get("period"),
            quantity_kg: get("quantity_kg"),
            pricing_type: get("pricing_type"),
            unit_price: get("unit_price"),
            index_id: get("index_id"),
            qp_offset_months: get("qp_offset_months"),
            multiplier: get("multiplier"),
            premium: get("premium"),
            currency: get("currency"),
            incoterm: get("incoterm"),
            incoterm_place: get("incoterm_place"),
            idempotency_key: get("idempotency_key"),
        }
    }

    fn member(&self, name: &str) -> &str {
        match name {
            "order_type" => &self.order_type,
            "contract_id" => &self.contract_id,
            "customer_id" => &self.customer_id,
            "product_id" => &self.product_id,
            "period" => &self.period,
            "quantity_kg" => &self.quantity_kg,
            "pricing_type" => &self.pricing_type,
            "unit_price" => &self.unit_price,
            "index_id" => &self.index_id,
            "qp_offset_months" => &self.qp_offset_months,
            "multiplier" => &self.multiplier,
            "premium" => &self.premium,
            "currency" => &self.currency,
            "incoterm" => &self.incoterm,
            "incoterm_place" => &self.incoterm_place,
            _ => "",
        }
    }

    /// The address of the form filled in like this one, for another month.
    pub fn href_for(&self, period: Period) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        let month = period.to_string();
        for name in MEMBERS {
            let value = if name == "period" {
                &month
            } else {
                self.member(name)
            };
            if !value.is_empty() {
                q.append_pair(name, value);
            }
        }
        format!("/orders/new?{}", q.finish())
    }

    /// Fills what a new form leaves open with the desk's defaults.
    pub fn with_defaults(mut self, products: &[Choice]) -> OrderForm {
        let default = |v: &mut String, d: &str| {
            if v.is_empty() {
                *v = d.to_string();
            }
        };
        default(&mut self.order_type, "spot");
        default(
            &mut self.product_id,
            products.first().map(|p| p.id.as_str()).unwrap_or_default(),
        );
        let add_on = self.is_add_on();
        default(
            &mut self.pricing_type,
            if add_on { "contract" } else { "fixed" },
        );
        default(&mut self.currency, "USD");
        default(&mut self.incoterm, "CIF");
        default(&mut self.qp_offset_months, "-1");
        default(&mut self.multiplier, "1");
        default(&mut self.premium, "0");
        default(
            &mut self.period,
            &crate::domain::clock::current_period().next().to_string(),
        );
        self.idempotency_key = crate::extract::IdempotencyKey::parse(&self.idempotency_key)
            .unwrap_or_else(crate::extract::IdempotencyKey::fresh)
            .to_string();
        self
    }

    /// How the form prices the order.
    pub fn pricing_choice(&self) -> PricingChoice {
        PricingChoice::of(&self.pricing_type)
    }

    /// Whether the order is an add-on.
    pub fn is_add_on(&self) -> bool {
        crate::domain::lifecycle::OrderType::parse(&self.order_type)
            == Some(crate::domain::lifecycle::OrderType::AddOn)
    }

    /// The quantity as understood, when it is one (`12,000` is 12000 kg).
    pub fn quantity(&self) -> Option<crate::domain::Kg> {
        let text = numbers::understood(&self.quantity_kg)?;
        rust_decimal::Decimal::from_str_exact(&text)
            .ok()
            .and_then(crate::domain::Kg::new)
            .filter(|k| k.value() > rust_decimal::Decimal::ZERO)
    }

    /// The fixed unit price as understood, when the form has one.
    pub fn unit_price(&self) -> Option<crate::domain::Price> {
        if self.pricing_choice() != PricingChoice::Fixed {
            return None;
        }
        let text = numbers::understood(&self.unit_price)?;
        rust_decimal::Decimal::from_str_exact(&text)
            .ok()
            .and_then(crate::domain::Price::new)
            .filter(|p| p.value() > rust_decimal::Decimal::ZERO)
    }

    /// The pricing terms the form describes; none for an add-on on its contract's terms.
    fn pricing(&self) -> Option<serde_json::Value> {
        match self.pricing_choice() {
            PricingChoice::Contract => None,
            PricingChoice::Index => Some(serde_json::json!({
                "type": "index",
                "index_id": self.index_id,
                "qp_offset_months": self.qp_offset_months.trim().parse::<i64>().unwrap_or(i64::MIN),
                "multiplier": numbers::for_api(&self.multiplier),
                "premium": numbers::for_api(&self.premium),
            })),
            PricingChoice::Fixed => Some(
                serde_json::json!({"type": "fixed", "unit_price": numbers::for_api(&self.unit_price)}),
            ),
        }
    }

    /// The order the form describes, for the same operation the API runs. A field error names
    /// the form's input (`pricing.unit_price` → `unit_price`).
    pub fn new_order(&self) -> Result<NewOrder, OpError> {
        let add_on = self.is_add_on();
        let mut body = serde_json::json!({
            "order_type": if add_on { "add_on" } else { "spot" },
            "customer_id": self.customer_id,
            "product_id": self.product_id,
            "period": self.period,
            "quantity_kg": numbers::for_api(&self.quantity_kg),
            "currency": self.currency,
            "incoterm": self.incoterm,
            "incoterm_place": self.incoterm_place,
        });
        if add_on {
            body["contract_id"] = self.contract_id.clone().into();
        }
        if let Some(p) = self.pricing() {
            body["pricing"] = p;
        }
        let choice = self.pricing_choice();
        super::form::parse(body, |field| match field.strip_prefix("pricing") {
            Some(member) => pricing_input(member.trim_start_matches('.'), choice),
            None => field.split('.').next().unwrap_or("form").to_string(),
        })
    }

    /// The form filled in from an order: to copy it into a new one, or to show it again.
    pub fn from_order(o: &crate::domain::order::Order) -> OrderForm {
        use crate::domain::pricing_terms::PricingTerms;
        let mut form = OrderForm {
            order_type: o.order_type.as_str().to_string(),
            contract_id: o.contract_id.map(|c| c.to_string()).unwrap_or_default(),
            customer_id: o.customer_id.to_string(),
            product_id: o.product_id.to_string(),
            period: o.period.to_string(),
            quantity_kg: super::view::text(&o.quantity_kg),
            currency: o.currency.clone(),
            incoterm: o.incoterm.clone(),
            incoterm_place: o.incoterm_place.clone(),
            ..OrderForm::default()
        };
        match (&o.pricing_source, &o.pricing) {
            (crate::domain::order::PricingSource::Contract, _) => {
                form.pricing_type = "contract".into()
            }
            (_, PricingTerms::Fixed(f)) => {
                form.pricing_type = "fixed".into();
                form.unit_price = super::view::text(&f.unit_price);
            }
            (_, PricingTerms::Index(i)) => {
                form.pricing_type = "index".into();
                form.index_id = i.index_id.to_string();
                form.qp_offset_months = i.qp_offset_months.to_string();
                form.multiplier = super::view::text(&i.multiplier);
                form.premium = super::view::text(&i.premium);
            }
        }
        form
    }
}

/// The input a pricing error belongs to: the member of the terms it names, or the form's
/// first pricing input when it names none (the terms as a whole).
fn pricing_input(member: &str, choice: PricingChoice) -> String {
    match member {
        "" if choice == PricingChoice::Index => "index_id".into(),
        "" => "unit_price".into(),
        m => m.split('.').next().unwrap_or(m).to_string(),
    }
}

/// An API field path as the form's input: `pricing.unit_price` → `unit_price`.
pub fn input_of(path: &str) -> String {
    path.strip_prefix("pricing.").unwrap_or(path).to_string()
}

/// What the form offers to choose from.
pub struct Choices {
    pub customers: Vec<Choice>,
    pub products: Vec<Choice>,
    pub contracts: Vec<Choice>,
    pub indices: Vec<Choice>,
}

fn choice(id: impl std::fmt::Display, code: &str, name: &str) -> Choice {
    Choice {
        id: id.to_string(),
        code: code.to_string(),
        name: name.to_string(),
    }
}

/// Active customers, products and price indices, and active contracts for add-on orders.
pub async fn choices(state: &web::Data<AppState>) -> Result<Choices, OpError> {
    state
        .db
        .read(|c| {
            let customers = crate::ops::master::customer::list(
                c,
                &CustomerFilter {
                    limit: Some(500),
                    status: Some(MasterStatus::Active),
                    ..Default::default()
                },
            )?;
            let products = crate::ops::master::product::list(
                c,
                &ProductFilter {
                    limit: Some(500),
                    status: Some(MasterStatus::Active),
                    ..Default::default()
                },
            )?;
            let contracts = crate::ops::contracts::labels(c, Some(ContractStatus::Active))?;
            let indices = crate::ops::master::price_index::list(
                c,
                &PriceIndexFilter {
                    limit: Some(500),
                    status: Some(MasterStatus::Active),
                    ..Default::default()
                },
            )?;
            Ok(Choices {
                customers: customers
                    .items
                    .iter()
                    .map(|x: &Customer| choice(x.id, &x.code, &x.name))
                    .collect(),
                products: products
                    .items
                    .iter()
                    .map(|x: &Product| choice(x.id, &x.code, &x.name))
                    .collect(),
                contracts: contracts
                    .iter()
                    .map(|x| {
                        choice(
                            x.id,
                            &x.number,
                            &format!("{} to {}", x.start_period, x.end_period),
                        )
                    })
                    .collect(),
                indices: indices
                    .items
                    .iter()
                    .map(|x: &PriceIndex| choice(x.id, &x.code, &x.currency))
                    .collect(),
            })
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> OrderForm {
        OrderForm::from_fields(
            &pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    const IDS: [(&str, &str); 2] = [
        ("customer_id", "6aab728c-5d25-46c0-b1b1-b708c14db466"),
        ("product_id", "0b9f6c39-5d8e-4a53-9a43-5f1f2d3c4b5a"),
    ];

    #[test]
    fn an_add_on_on_contract_terms_sends_no_pricing() {
        let mut pairs = IDS.to_vec();
        pairs.extend([
            ("order_type", "add_on"),
            ("contract_id", "2f1c0d7e-8a3b-4c55-9a55-0d0f5b1e9a11"),
            ("pricing_type", "contract"),
            ("period", "2027-03"),
            ("quantity_kg", "2000"),
            ("currency", "USD"),
            ("incoterm", "CIF"),
            ("incoterm_place", "Busan"),
        ]);
        let new = form(&pairs).new_order().unwrap_or_else(|e| panic!("{e:?}"));
        assert!(new.pricing.is_none() && new.contract_id.is_some());
    }

    #[test]
    fn index_pricing_errors_name_the_form_input() {
        let mut pairs = IDS.to_vec();
        pairs.extend([
            ("pricing_type", "index"),
            ("index_id", "not-an-id"),
            ("period", "2027-03"),
            ("quantity_kg", "2000"),
        ]);
        match form(&pairs).new_order() {
            Err(OpError::Validation(e)) => assert_eq!(e[0].field, "index_id"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_nearby_month_keeps_everything_else() {
        let f = form(&[
            ("order_type", "add_on"),
            ("quantity_kg", "5"),
            ("period", "2027-01"),
        ]);
        let href = f.href_for(Period::parse("2027-04").unwrap_or_else(|| panic!()));
        assert_eq!(
            href,
            "/orders/new?order_type=add_on&period=2027-04&quantity_kg=5"
        );
    }
}
