// The one diesel schema for both backends: only types that mean the same on SQLite and PostgreSQL.

diesel::table! {
    settings (name) {
        name -> Text,
        value -> Text,
    }
}

diesel::table! {
    counters (name) {
        name -> Text,
        value -> BigInt,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        password_hash -> Text,
        role -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        token_version -> BigInt,
    }
}

diesel::table! {
    login_attempts (username, client) {
        username -> Text,
        client -> Text,
        failures -> Integer,
        locked_until -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    customers (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        country -> Text,
        external_ref -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    products (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        form -> Text,
        min_purity_milli_pct -> Nullable<BigInt>,
        hs_code -> Nullable<Text>,
        export_controlled -> Bool,
        external_ref -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    price_indices (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        currency -> Text,
        source -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        unit -> Text,
        vat_milli_pct -> BigInt,
    }
}

diesel::table! {
    fx_rates (base, quote, rate_date) {
        base -> Text,
        quote -> Text,
        rate_date -> Date,
        rate_e6 -> BigInt,
        source -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    settlements (shipment_id) {
        shipment_id -> Text,
        customer_id -> Text,
        product_id -> Text,
        contract_id -> Nullable<Text>,
        order_id -> Nullable<Text>,
        period -> Text,
        currency -> Text,
        status -> Text,
        shipped_on -> Date,
        payment_milli_pct -> BigInt,
        provisional_json -> Text,
        final_json -> Nullable<Text>,
        book_currency -> Text,
        finalised_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    price_quotes (index_id, quote_date) {
        index_id -> Text,
        quote_date -> Date,
        price_e4 -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    audit_entries (seq) {
        seq -> BigInt,
        actor -> Text,
        action -> Text,
        entity_type -> Text,
        entity_id -> Text,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        request_id -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    events (seq) {
        seq -> BigInt,
        id -> Text,
        event_type -> Text,
        entity_type -> Text,
        entity_id -> Text,
        occurred_at -> Timestamp,
        data_json -> Text,
    }
}

diesel::table! {
    idempotency_keys (principal, idem_key) {
        principal -> Text,
        idem_key -> Text,
        request_hash -> Text,
        status_code -> Nullable<Integer>,
        response_headers -> Nullable<Text>,
        response_body -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(price_quotes -> price_indices (index_id));

diesel::table! {
    contracts (id) {
        id -> Text,
        number -> Text,
        customer_id -> Text,
        product_id -> Text,
        start_period -> Text,
        end_period -> Text,
        tolerance_milli_pct -> BigInt,
        incoterm -> Text,
        incoterm_place -> Text,
        currency -> Text,
        payment_terms -> Text,
        pricing_json -> Text,
        addon_premium_e4 -> Nullable<BigInt>,
        priority -> Integer,
        status -> Text,
        external_ref -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        ended_period -> Nullable<Text>,
        quality_terms_json -> Text,
        provisional_payment_milli_pct -> BigInt,
    }
}

diesel::table! {
    contract_lines (contract_id, period) {
        contract_id -> Text,
        period -> Text,
        quantity_g -> BigInt,
    }
}

diesel::table! {
    contract_amendments (id) {
        id -> Text,
        contract_id -> Text,
        actor -> Text,
        reason -> Text,
        old_schedule_json -> Text,
        new_schedule_json -> Text,
        atp_override -> Bool,
        at -> Timestamp,
    }
}

diesel::table! {
    orders (id) {
        id -> Text,
        number -> Text,
        order_type -> Text,
        customer_id -> Text,
        product_id -> Text,
        contract_id -> Nullable<Text>,
        period -> Text,
        quantity_g -> BigInt,
        pricing_json -> Text,
        pricing_source -> Text,
        currency -> Text,
        incoterm -> Text,
        incoterm_place -> Text,
        status -> Text,
        confirmed_at -> Nullable<Timestamp>,
        external_ref -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        quality_terms_json -> Text,
    }
}

diesel::table! {
    production_plans (id) {
        id -> Text,
        version_no -> BigInt,
        note -> Text,
        status -> Text,
        approved_at -> Nullable<Timestamp>,
        approved_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    production_plan_lines (plan_id, product_id, period) {
        plan_id -> Text,
        product_id -> Text,
        period -> Text,
        planned_g -> BigInt,
    }
}

diesel::table! {
    production_actuals (product_id, period) {
        product_id -> Text,
        period -> Text,
        actual_g -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    stock_snapshots (product_id, period) {
        product_id -> Text,
        period -> Text,
        quantity_g -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    export_licences (id) {
        id -> Text,
        number -> Text,
        product_id -> Text,
        customer_id -> Text,
        quantity_g -> BigInt,
        shipped_g -> BigInt,
        valid_from -> Date,
        valid_to -> Date,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    shipments (id) {
        id -> Text,
        number -> Text,
        order_id -> Nullable<Text>,
        contract_id -> Nullable<Text>,
        period -> Text,
        customer_id -> Text,
        product_id -> Text,
        quantity_g -> BigInt,
        lots_json -> Text,
        planned_ship_date -> Date,
        shipped_on -> Nullable<Date>,
        delivered_on -> Nullable<Date>,
        vessel -> Nullable<Text>,
        voyage -> Nullable<Text>,
        bl_number -> Nullable<Text>,
        containers_json -> Nullable<Text>,
        export_licence_id -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        transport_mode -> Text,
        air_waybill -> Nullable<Text>,
        flight -> Nullable<Text>,
        consignment_note -> Nullable<Text>,
    }
}

diesel::table! {
    positions (product_id, period) {
        product_id -> Text,
        period -> Text,
        planned_g -> Nullable<BigInt>,
        contract_g -> BigInt,
        addon_g -> BigInt,
        spot_g -> BigInt,
        pending_g -> BigInt,
    }
}

diesel::joinable!(contract_lines -> contracts (contract_id));
diesel::joinable!(production_plan_lines -> production_plans (plan_id));
diesel::allow_tables_to_appear_in_same_query!(
    settings,
    counters,
    users,
    login_attempts,
    customers,
    products,
    price_indices,
    price_quotes,
    fx_rates,
    settlements,
    audit_entries,
    events,
    idempotency_keys,
    contracts,
    contract_lines,
    contract_amendments,
    orders,
    production_plans,
    production_plan_lines,
    production_actuals,
    stock_snapshots,
    positions,
    webhook_subscriptions,
    webhook_deliveries,
    webhook_attempts,
);

diesel::table! {
    webhook_subscriptions (id) {
        id -> Text,
        url -> Text,
        event_types_json -> Text,
        description -> Nullable<Text>,
        status -> Text,
        disabled_reason -> Nullable<Text>,
        secret -> Text,
        cursor_seq -> BigInt,
        retry_at -> Nullable<Timestamp>,
        lease_until -> Nullable<Timestamp>,
        lease_token -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        owner_id -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        subscription_id -> Text,
        event_seq -> BigInt,
        event_id -> Text,
        event_type -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> Text,
        delivery_id -> Text,
        attempted_at -> Timestamp,
        response_status -> Nullable<Integer>,
        duration_ms -> BigInt,
        error -> Nullable<Text>,
    }
}

diesel::joinable!(webhook_deliveries -> webhook_subscriptions (subscription_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));
