//! The names a person reads beside ids — a customer's code and name, a product's code, an
//! order's or contract's number — each read once per page however many rows refer to it.

use std::collections::HashMap;

use crate::db::{self, DbConnection};
use crate::domain::{ContractId, CustomerId, OrderId, ProductId};
use crate::error::OpError;

/// A customer as a row names it.
#[derive(Debug, Clone, Default)]
pub struct Party {
    pub code: String,
    pub name: String,
}

impl Party {
    /// `JP-NMAG — Nippon Magnetics K.K.`
    pub fn label(&self) -> String {
        format!("{} — {}", self.code, self.name)
    }
}

/// Names read so far.
#[derive(Default)]
pub struct Names {
    customers: HashMap<CustomerId, Party>,
    products: HashMap<ProductId, String>,
    contracts: HashMap<ContractId, String>,
    orders: HashMap<OrderId, String>,
}

impl Names {
    pub fn customer(&mut self, conn: &mut DbConnection, id: CustomerId) -> Result<Party, OpError> {
        if let Some(p) = self.customers.get(&id) {
            return Ok(p.clone());
        }
        let c = db::customers::find(conn, id)?;
        let party = Party {
            code: c.code,
            name: c.name,
        };
        self.customers.insert(id, party.clone());
        Ok(party)
    }

    pub fn product(&mut self, conn: &mut DbConnection, id: ProductId) -> Result<String, OpError> {
        if let Some(code) = self.products.get(&id) {
            return Ok(code.clone());
        }
        let code = db::products::find(conn, id)?.code;
        self.products.insert(id, code.clone());
        Ok(code)
    }

    pub fn contract(&mut self, conn: &mut DbConnection, id: ContractId) -> Result<String, OpError> {
        if let Some(n) = self.contracts.get(&id) {
            return Ok(n.clone());
        }
        let number = db::contracts::find(conn, id)?.number;
        self.contracts.insert(id, number.clone());
        Ok(number)
    }

    pub fn order(&mut self, conn: &mut DbConnection, id: OrderId) -> Result<String, OpError> {
        if let Some(n) = self.orders.get(&id) {
            return Ok(n.clone());
        }
        let number = db::orders::find(conn, id)?.number;
        self.orders.insert(id, number.clone());
        Ok(number)
    }
}
