use crate::db::{orders, DbConnection};
use crate::domain::order::Order;
use crate::domain::OrderId;
use crate::error::OpError;

pub fn get(conn: &mut DbConnection, id: OrderId) -> Result<Order, OpError> {
    orders::find(conn, id)
}
