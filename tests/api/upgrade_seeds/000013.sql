-- Version 13 (settlements): quality terms on the contract and the delivered shipment's
-- settlement, final.
UPDATE contracts SET quality_terms_json = '[{"assay_key":"TREO_pct","minimum":"99.0","step":"0.1","rate":"0.50","rejection_limit":"98.0"}]',
  provisional_payment_milli_pct = 90000 WHERE id = 'f0000000-0000-4000-8000-000000000001';
INSERT INTO settlements (shipment_id, customer_id, product_id, contract_id, order_id, period, currency, status, shipped_on, payment_milli_pct, provisional_json, final_json, book_currency, finalised_at, created_at, updated_at, version) VALUES
 ('5a000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', 'f0000000-0000-4000-8000-000000000001', NULL,
  '2026-10', 'USD', 'final', '2026-10-20', 90000,
  '{"valued_on":"2026-10-20","unit_price":"62.50","price_status":"fixed","basis_period":null,"lines":[{"lot_number":"BT-2026-10-A","quantity_kg":"10000.000","base_price":"62.50","adjustment":"0","unit_price":"62.50","amount":"625000.00","out_of_spec":false,"missing_assays":[]}],"value":"625000.00","book_rate":"7.120000","book_rate_date":"2026-10-01"}',
  '{"valued_on":"2026-11-20","unit_price":"62.50","price_status":"fixed","basis_period":null,"lines":[{"lot_number":"BT-2026-10-A","quantity_kg":"10000.000","base_price":"62.50","adjustment":"0","unit_price":"62.50","amount":"625000.00","out_of_spec":false,"missing_assays":[]}],"value":"625000.00","book_rate":"7.135000","book_rate_date":"2026-10-02"}',
  'CNY', '2026-11-20 10:00:00', '2026-10-20 09:00:00', '2026-11-20 10:00:00', 2);
