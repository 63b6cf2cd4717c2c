//! Committed kilograms by pricing status — fixed, index final, index provisional, not yet
//! priced — one line per product over the months asked, never summed across products.

use rust_decimal::Decimal;

use crate::domain::ProductId;
use crate::ops::pricing::ExposureRow;
use crate::view;

/// One product's committed kilograms by pricing status.
#[derive(Clone)]
pub struct ExposureLine {
    pub product: String,
    pub fixed: String,
    pub final_kg: String,
    pub provisional: String,
    pub unpriced: String,
}

/// The rows (product × month) added up per product, in the order products first appear; only
/// `only` when given.
pub fn lines(rows: &[ExposureRow], only: Option<ProductId>) -> Vec<ExposureLine> {
    let mut sums: Vec<(ProductId, String, [Decimal; 4])> = Vec::new();
    for r in rows
        .iter()
        .filter(|r| only.is_none_or(|p| p == r.product_id))
    {
        let kg = [
            r.fixed_kg.display(),
            r.final_kg.display(),
            r.provisional_kg.display(),
            r.unpriced_kg.display(),
        ];
        match sums.iter_mut().find(|(p, _, _)| *p == r.product_id) {
            Some((_, _, total)) => total.iter_mut().zip(kg).for_each(|(t, k)| *t += k),
            None => sums.push((r.product_id, r.product_code.clone(), kg)),
        }
    }
    sums.into_iter()
        .map(
            |(_, product, [fixed, final_kg, provisional, unpriced])| ExposureLine {
                product,
                fixed: view::kg(fixed),
                final_kg: view::kg(final_kg),
                provisional: view::kg(provisional),
                unpriced: view::kg(unpriced),
            },
        )
        .collect()
}
