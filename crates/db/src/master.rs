//! What customers, products and price indices share in the database: find by id, insert,
//! version-checked save, whether a code or an ERP reference is taken, and their status.

/// Generates `find`, `find_by_code`, `insert`, `save`, `code_taken` and `status` for a master-data
/// table whose module defines `to_entity(Row)` and `to_row(&Entity)`.
macro_rules! master_repo {
    ($table:ident, $row:ty, $entity:ty, $id:ty, $label:literal) => {
        pub fn find(
            conn: &mut $crate::DbConnection,
            id: $id,
        ) -> Result<$entity, $crate::error::OpError> {
            use diesel::prelude::*;
            let row = $table::table
                .find(id.to_string())
                .select(<$row>::as_select())
                .first(conn)
                .optional()?
                .ok_or_else(|| $crate::error::OpError::not_found($label))?;
            to_entity(row)
        }

        pub fn find_by_code(
            conn: &mut $crate::DbConnection,
            code: &str,
        ) -> Result<Option<$entity>, $crate::error::OpError> {
            use diesel::prelude::*;
            $table::table
                .filter($table::code.eq(code))
                .select(<$row>::as_select())
                .first(conn)
                .optional()?
                .map(to_entity)
                .transpose()
        }

        pub fn insert(
            conn: &mut $crate::DbConnection,
            entity: &$entity,
        ) -> Result<(), $crate::error::OpError> {
            use diesel::prelude::*;
            diesel::insert_into($table::table)
                .values(&to_row(entity)?)
                .execute(conn)?;
            Ok(())
        }

        pub fn save(
            conn: &mut $crate::DbConnection,
            before_version: i64,
            entity: &$entity,
        ) -> Result<(), $crate::error::OpError> {
            $crate::versioned::save(conn, $label, before_version, &to_row(entity)?)
        }

        /// Whether another row than `id` has this code.
        pub fn code_taken(
            conn: &mut $crate::DbConnection,
            code: &str,
            id: $id,
        ) -> Result<bool, $crate::error::OpError> {
            use diesel::prelude::*;
            let n: i64 = $table::table
                .filter($table::code.eq(code))
                .filter($table::id.ne(id.to_string()))
                .count()
                .get_result(conn)?;
            Ok(n > 0)
        }

        /// The status of the row, `None` when there is none.
        pub fn status(
            conn: &mut $crate::DbConnection,
            id: $id,
        ) -> Result<Option<$crate::domain::reference::MasterStatus>, $crate::error::OpError> {
            use diesel::prelude::*;
            let status: Option<String> = $table::table
                .find(id.to_string())
                .select($table::status)
                .first(conn)
                .optional()?;
            status
                .map(|s| {
                    $crate::parse::status(
                        &s,
                        concat!(stringify!($table), ".status"),
                        $crate::domain::reference::MasterStatus::parse,
                    )
                })
                .transpose()
        }
    };
}
pub(crate) use master_repo;

/// For tables that carry the ERP's reference: `ref_taken`, and with the row and entity types
/// (and the module's `to_entity(Row)`) also `find_by_ref`.
macro_rules! ref_taken {
    ($table:ident, $row:ty, $entity:ty, $id:ty) => {
        $crate::master::ref_taken!($table, $id);

        /// The row with this external reference, if any.
        pub fn find_by_ref(
            conn: &mut $crate::DbConnection,
            external_ref: &str,
        ) -> Result<Option<$entity>, $crate::error::OpError> {
            use diesel::prelude::*;
            $table::table
                .filter($table::external_ref.eq(external_ref))
                .select(<$row>::as_select())
                .first(conn)
                .optional()?
                .map(to_entity)
                .transpose()
        }
    };
    ($table:ident, $id:ty) => {
        /// Whether another row than `id` has this external reference.
        pub fn ref_taken(
            conn: &mut $crate::DbConnection,
            external_ref: &str,
            id: $id,
        ) -> Result<bool, $crate::error::OpError> {
            use diesel::prelude::*;
            let n: i64 = $table::table
                .filter($table::external_ref.eq(external_ref))
                .filter($table::id.ne(id.to_string()))
                .count()
                .get_result(conn)?;
            Ok(n > 0)
        }
    };
}
pub(crate) use ref_taken;
