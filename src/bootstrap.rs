//! First-start duties: the first admin, and the token signing secret.

use diesel::prelude::*;

use crate::auth::password;
use crate::config::Settings;
use crate::db::schema::settings as settings_table;
use crate::db::{Backend, Db};
use crate::domain::Role;
use crate::error::OpError;
use crate::ops::users::{self, NewUserRequest};

const SECRET_SETTING: &str = "jwt_secret";
pub const MIN_SECRET_BYTES: usize = 32;

/// On a database without users, creates `admin` with the configured password, or a random one
/// that is returned so it can be printed once.
pub fn ensure_first_admin(db: &Db, settings: &Settings) -> anyhow::Result<Option<String>> {
    let configured = settings.admin_password.as_ref().map(|s| s.0.clone());
    let generated = configured.is_none().then(|| password::random_secret(12));
    let chosen = configured.or(generated.clone()).unwrap_or_default();
    let created = db.write_blocking(|conn| {
        if crate::db::users::count(conn)? > 0 {
            return Ok(false);
        }
        users::add(
            conn,
            NewUserRequest {
                username: "admin".into(),
                password: chosen,
                role: Role::Admin,
            },
        )
        .map_err(|e| match e {
            OpError::Validation(errors) => OpError::unexpected(format!(
                "NDPR_ADMIN_PASSWORD {}",
                errors.first().map_or("is invalid", |e| e.message.as_str())
            )),
            other => other,
        })?;
        Ok(true)
    });
    let created = match created {
        Ok(c) => c,
        // Another instance starting at the same moment created it first: it exists once.
        Err(OpError::Conflict { .. })
            if db
                .write_blocking(crate::db::users::count)
                .map_err(describe)?
                > 0 =>
        {
            false
        }
        Err(e) => return Err(describe(e)),
    };
    Ok(if created { generated } else { None })
}

/// The HS256 secret: the configured one (required with PostgreSQL), or on the embedded
/// default one generated on first start and kept in the database so tokens survive restarts.
pub fn signing_secret(db: &Db, settings: &Settings) -> anyhow::Result<Vec<u8>> {
    if let Some(secret) = &settings.jwt_secret {
        if secret.0.len() < MIN_SECRET_BYTES {
            anyhow::bail!("NDPR_JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes long");
        }
        return Ok(secret.0.clone().into_bytes());
    }
    if db.backend == Backend::Postgres {
        anyhow::bail!(
            "NDPR_JWT_SECRET (at least {MIN_SECRET_BYTES} bytes) is required with PostgreSQL, \
             so that every instance signs and checks tokens alike"
        );
    }
    let secret = db
        .write_blocking(|conn| {
            let existing: Option<String> = settings_table::table
                .find(SECRET_SETTING)
                .select(settings_table::value)
                .first(conn)
                .optional()?;
            if let Some(s) = existing {
                return Ok(s);
            }
            let fresh = password::random_secret(48);
            diesel::insert_into(settings_table::table)
                .values((
                    settings_table::name.eq(SECRET_SETTING),
                    settings_table::value.eq(&fresh),
                ))
                .execute(conn)?;
            Ok(fresh)
        })
        .map_err(describe)?;
    Ok(secret.into_bytes())
}

/// One line for the operator.
pub fn describe(e: OpError) -> anyhow::Error {
    match e {
        OpError::Unexpected(e) => e,
        other => anyhow::anyhow!("{other}"),
    }
}
