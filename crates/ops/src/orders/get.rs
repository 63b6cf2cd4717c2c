use crate::db::{orders, DbConnection};
use crate::domain::order::Order;
use crate::error::OpError;

pub fn get(conn: &mut DbConnection, id: uuid::Uuid) -> Result<Order, OpError> {
    orders::find(conn, id)
}
