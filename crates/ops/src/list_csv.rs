//! Lists as spreadsheets: one page of customers, products, export licences, shipments,
//! contracts, production plans, orders or users as CSV, the same document from the API's `.csv`
//! twin and the desk's download link. Quantities and prices are the exact decimals the JSON
//! carries; beside every id of a customer, product, order or contract stand the code, name or
//! number a person reads, so the sheet serves people and machines alike.

use crate::db::DbConnection;
use crate::domain::contract::Contract;
use crate::domain::customer::Customer;
use crate::domain::licence::ExportLicence;
use crate::domain::order::Order;
use crate::domain::pricing_terms::PricingTerms;
use crate::domain::product::Product;
use crate::domain::production::ProductionPlan;
use crate::domain::shipment::Shipment;
use crate::domain::user::User;
use crate::domain::KgAmount;
use crate::error::OpError;
use crate::names::Names;
use crate::page::Page;
use crate::report::{kg, text, Csv};

/// The pricing type of terms, as the JSON's `type` says it.
fn pricing_type(p: &PricingTerms) -> &'static str {
    match p {
        PricingTerms::Fixed(_) => "fixed",
        PricingTerms::Index(_) => "index",
    }
}

impl Page<Customer> {
    pub fn csv(&self) -> Csv {
        Csv::new(
            "customers.csv",
            &["id", "code", "name", "country", "external_ref", "status"],
            self.items.iter().map(|x| {
                vec![
                    x.id.to_string(),
                    x.code.clone(),
                    x.name.clone(),
                    x.country.clone(),
                    x.external_ref.clone().unwrap_or_default(),
                    text(&x.status),
                ]
            }),
        )
    }
}

impl Page<Product> {
    pub fn csv(&self) -> Csv {
        Csv::new(
            "products.csv",
            &[
                "id",
                "code",
                "name",
                "form",
                "min_purity_pct",
                "hs_code",
                "export_controlled",
                "external_ref",
                "status",
            ],
            self.items.iter().map(|x| {
                vec![
                    x.id.to_string(),
                    x.code.clone(),
                    x.name.clone(),
                    text(&x.form),
                    text(&x.min_purity_pct),
                    x.hs_code.clone().unwrap_or_default(),
                    x.export_controlled.to_string(),
                    x.external_ref.clone().unwrap_or_default(),
                    text(&x.status),
                ]
            }),
        )
    }
}

impl Page<ExportLicence> {
    /// The licences with the product's code and the customer's code and name beside their ids.
    pub fn csv(&self, conn: &mut DbConnection) -> Result<Csv, OpError> {
        let mut names = Names::default();
        let rows = self
            .items
            .iter()
            .map(|x| {
                let customer = names.customer(conn, x.customer_id)?;
                Ok(vec![
                    x.id.to_string(),
                    x.number.clone(),
                    x.product_id.to_string(),
                    names.product(conn, x.product_id)?,
                    x.customer_id.to_string(),
                    customer.code,
                    customer.name,
                    kg(x.quantity_kg),
                    kg(x.shipped_kg),
                    kg(x.remaining_kg),
                    x.valid_from.to_string(),
                    x.valid_to.to_string(),
                    text(&x.status),
                ])
            })
            .collect::<Result<Vec<_>, OpError>>()?;
        Ok(Csv::new(
            "export-licences.csv",
            &[
                "id",
                "number",
                "product_id",
                "product_code",
                "customer_id",
                "customer_code",
                "customer_name",
                "quantity_kg",
                "shipped_kg",
                "remaining_kg",
                "valid_from",
                "valid_to",
                "status",
            ],
            rows,
        ))
    }
}

impl Page<Shipment> {
    /// The shipments with their customer, product, order and contract named beside the ids.
    pub fn csv(&self, conn: &mut DbConnection) -> Result<Csv, OpError> {
        let mut names = Names::default();
        let rows = self
            .items
            .iter()
            .map(|x| {
                let customer = names.customer(conn, x.customer_id)?;
                Ok(vec![
                    x.id.to_string(),
                    x.number.clone(),
                    x.customer_id.to_string(),
                    customer.code,
                    customer.name,
                    x.product_id.to_string(),
                    names.product(conn, x.product_id)?,
                    text(&x.order_id),
                    x.order_id
                        .map(|o| names.order(conn, o))
                        .transpose()?
                        .unwrap_or_default(),
                    text(&x.contract_id),
                    x.contract_id
                        .map(|c| names.contract(conn, c))
                        .transpose()?
                        .unwrap_or_default(),
                    x.period.to_string(),
                    kg(x.quantity_kg),
                    x.lots.len().to_string(),
                    x.planned_ship_date.to_string(),
                    x.transport_mode.as_str().to_string(),
                    x.bl_number.clone().unwrap_or_default(),
                    x.air_waybill.clone().unwrap_or_default(),
                    x.consignment_note.clone().unwrap_or_default(),
                    text(&x.shipped_on),
                    text(&x.delivered_on),
                    x.status.as_str().to_string(),
                ])
            })
            .collect::<Result<Vec<_>, OpError>>()?;
        Ok(Csv::new(
            "shipments.csv",
            &[
                "id",
                "number",
                "customer_id",
                "customer_code",
                "customer_name",
                "product_id",
                "product_code",
                "order_id",
                "order_number",
                "contract_id",
                "contract_number",
                "period",
                "quantity_kg",
                "lots",
                "planned_ship_date",
                "transport_mode",
                "bl_number",
                "air_waybill",
                "consignment_note",
                "shipped_on",
                "delivered_on",
                "status",
            ],
            rows,
        ))
    }
}

impl Page<Contract> {
    /// The contracts with the customer's code and name and the product's code beside the ids.
    pub fn csv(&self, conn: &mut DbConnection) -> Result<Csv, OpError> {
        let mut names = Names::default();
        let mut labels = Vec::with_capacity(self.items.len());
        for x in &self.items {
            labels.push((
                names.customer(conn, x.customer_id)?,
                names.product(conn, x.product_id)?,
            ));
        }
        Ok(Csv::new(
            "contracts.csv",
            &[
                "id",
                "number",
                "customer_id",
                "customer_code",
                "customer_name",
                "product_id",
                "product_code",
                "start_period",
                "end_period",
                "total_kg",
                "tolerance_pct",
                "currency",
                "incoterm",
                "incoterm_place",
                "pricing_type",
                "status",
                "due_kg",
                "shipped_kg",
                "delivered_kg",
                "external_ref",
            ],
            self.items
                .iter()
                .zip(labels)
                .map(|(x, (customer, product))| {
                    let totals = x.fulfilment.as_ref();
                    let total =
                        |f: fn(&crate::domain::fulfilment::FulfilmentTotals) -> KgAmount| {
                            totals
                                .map(|t| f(t).display().to_string())
                                .unwrap_or_default()
                        };
                    vec![
                        x.id.to_string(),
                        x.number.clone(),
                        x.customer_id.to_string(),
                        customer.code,
                        customer.name,
                        x.product_id.to_string(),
                        product,
                        x.start_period.to_string(),
                        x.end_period.to_string(),
                        x.total_kg.display().to_string(),
                        text(&x.tolerance_pct),
                        x.currency.clone(),
                        x.incoterm.clone(),
                        x.incoterm_place.clone(),
                        pricing_type(&x.pricing).to_string(),
                        x.status.as_str().to_string(),
                        total(|t| t.due_kg),
                        total(|t| t.shipped_kg),
                        total(|t| t.delivered_kg),
                        x.external_ref.clone().unwrap_or_default(),
                    ]
                }),
        ))
    }
}

impl Page<ProductionPlan> {
    pub fn csv(&self) -> Csv {
        Csv::new(
            "production-plans.csv",
            &[
                "id",
                "version_no",
                "status",
                "note",
                "lines",
                "approved_at",
                "approved_by",
            ],
            self.items.iter().map(|x| {
                vec![
                    x.id.to_string(),
                    x.version_no.to_string(),
                    text(&x.status),
                    x.note.clone(),
                    x.lines.len().to_string(),
                    text(&x.approved_at),
                    x.approved_by.clone().unwrap_or_default(),
                ]
            }),
        )
    }
}

impl Page<Order> {
    /// The orders with the customer's code and name, the product's code and the contract's
    /// number beside the ids.
    pub fn csv(&self, conn: &mut DbConnection) -> Result<Csv, OpError> {
        let mut names = Names::default();
        let mut labels = Vec::with_capacity(self.items.len());
        for x in &self.items {
            labels.push((
                names.customer(conn, x.customer_id)?,
                names.product(conn, x.product_id)?,
                x.contract_id
                    .map(|c| names.contract(conn, c))
                    .transpose()?
                    .unwrap_or_default(),
            ));
        }
        Ok(Csv::new(
            "orders.csv",
            &[
                "id",
                "number",
                "order_type",
                "customer_id",
                "customer_code",
                "customer_name",
                "product_id",
                "product_code",
                "contract_id",
                "contract_number",
                "period",
                "quantity_kg",
                "pricing_type",
                "unit_price",
                "index_id",
                "multiplier",
                "premium",
                "pricing_source",
                "currency",
                "incoterm",
                "incoterm_place",
                "status",
                "confirmed_at",
                "external_ref",
            ],
            self.items
                .iter()
                .zip(labels)
                .map(|(x, (customer, product, contract))| {
                    let (unit_price, index_id, multiplier, premium) = match &x.pricing {
                        PricingTerms::Fixed(f) => (
                            text(&f.unit_price),
                            String::new(),
                            String::new(),
                            String::new(),
                        ),
                        PricingTerms::Index(i) => (
                            String::new(),
                            i.index_id.to_string(),
                            text(&i.multiplier),
                            text(&i.premium),
                        ),
                    };
                    vec![
                        x.id.to_string(),
                        x.number.clone(),
                        text(&x.order_type),
                        x.customer_id.to_string(),
                        customer.code,
                        customer.name,
                        x.product_id.to_string(),
                        product,
                        text(&x.contract_id),
                        contract,
                        x.period.to_string(),
                        kg(x.quantity_kg),
                        pricing_type(&x.pricing).to_string(),
                        unit_price,
                        index_id,
                        multiplier,
                        premium,
                        x.pricing_source.as_str().to_string(),
                        x.currency.clone(),
                        x.incoterm.clone(),
                        x.incoterm_place.clone(),
                        x.status.as_str().to_string(),
                        text(&x.confirmed_at),
                        x.external_ref.clone().unwrap_or_default(),
                    ]
                }),
        ))
    }
}

impl Page<User> {
    pub fn csv(&self) -> Csv {
        Csv::new(
            "users.csv",
            &[
                "id",
                "username",
                "role",
                "active",
                "created_at",
                "updated_at",
            ],
            self.items.iter().map(|x| {
                vec![
                    x.id.to_string(),
                    x.username.clone(),
                    text(&x.role),
                    x.active.to_string(),
                    text(&x.created_at),
                    text(&x.updated_at),
                ]
            }),
        )
    }
}
