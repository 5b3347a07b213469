//! The code that binds [`Stmt`](super::Stmt) values and reads [`SqlRow`](super::SqlRow)
//! columns through sqlx is the same for every driver but for the codecs, so it is written once
//! here as a macro that each backend crate expands with its own sqlx types and codecs. (A
//! generic implementation over `sqlx::Database` would need a dozen bounds repeated on every
//! function, since Rust does not carry such bounds along; see docs/decisions.md.)

/// Expands, in a backend crate, to `Row`, `Tx` and `Conn` (a borrowed connection) implementing
/// the `storage::sql` traits.
///
/// - `time`: the type a time column decodes to, how a `Timestamp` encodes to it and back.
/// - `list`: the same for a list of names.
/// - `error`: maps a `sqlx::Error` (constraint names to conflicts).
/// - `dialect`: the backend's [`Dialect`](crate::sql::Dialect).
#[macro_export]
macro_rules! sql_glue {
    (
        database: $db:ty,
        connection: $conn:ty,
        row: $row:ty,
        time: $time:ty => encode $time_encode:expr, decode $time_decode:expr,
        list: $list:ty => encode $list_encode:expr, decode $list_decode:expr,
        error: $error:expr,
        dialect: $dialect:expr $(,)?
    ) => {
        /// A result row, read with this backend's codecs.
        pub struct Row(pub $row);

        /// A transaction holding its connection.
        pub struct Tx(pub sqlx::Transaction<'static, $db>);

        /// A connection borrowed from a transaction that code outside `storage::sql` began.
        pub struct Conn<'c>(pub &'c mut $conn);

        fn column<'r, T>(row: &'r $row, column: &str) -> $crate::StorageResult<T>
        where
            T: sqlx::Decode<'r, $db> + sqlx::Type<$db>,
        {
            sqlx::Row::try_get(row, column).map_err($error)
        }

        impl $crate::sql::SqlRow for Row {
            fn uuid(&self, name: &str) -> $crate::StorageResult<uuid::Uuid> {
                column(&self.0, name)
            }
            fn opt_uuid(&self, name: &str) -> $crate::StorageResult<Option<uuid::Uuid>> {
                column(&self.0, name)
            }
            fn text(&self, name: &str) -> $crate::StorageResult<String> {
                column(&self.0, name)
            }
            fn opt_text(&self, name: &str) -> $crate::StorageResult<Option<String>> {
                column(&self.0, name)
            }
            fn int(&self, name: &str) -> $crate::StorageResult<i64> {
                column::<i64>(&self.0, name).or_else(|_| column::<i32>(&self.0, name).map(i64::from))
            }
            fn opt_int(&self, name: &str) -> $crate::StorageResult<Option<i64>> {
                column::<Option<i64>>(&self.0, name)
                    .or_else(|_| column::<Option<i32>>(&self.0, name).map(|value| value.map(i64::from)))
            }
            fn bool(&self, name: &str) -> $crate::StorageResult<bool> {
                column(&self.0, name)
            }
            fn opt_bool(&self, name: &str) -> $crate::StorageResult<Option<bool>> {
                column(&self.0, name)
            }
            fn time(&self, name: &str) -> $crate::StorageResult<domain::Timestamp> {
                column::<$time>(&self.0, name).map($time_decode)
            }
            fn opt_time(&self, name: &str) -> $crate::StorageResult<Option<domain::Timestamp>> {
                column::<Option<$time>>(&self.0, name).map(|value| value.map($time_decode))
            }
            fn bytes(&self, name: &str) -> $crate::StorageResult<Vec<u8>> {
                column(&self.0, name)
            }
            fn opt_bytes(&self, name: &str) -> $crate::StorageResult<Option<Vec<u8>>> {
                column(&self.0, name)
            }
            fn text_list(&self, name: &str) -> $crate::StorageResult<Vec<String>> {
                column::<$list>(&self.0, name).and_then($list_decode)
            }
        }

        pub fn statement(
            stmt: $crate::sql::Stmt,
        ) -> sqlx::query::Query<'static, $db, <$db as sqlx::Database>::Arguments> {
            use $crate::sql::Arg;
            let mut query = sqlx::query(sqlx::AssertSqlSafe(stmt.sql));
            for arg in stmt.args {
                query = match arg {
                    Arg::Uuid(value) => query.bind(value),
                    Arg::Text(value) => query.bind(value),
                    Arg::Int(value) => query.bind(value),
                    Arg::Bool(value) => query.bind(value),
                    Arg::Time(value) => query.bind(value.map($time_encode)),
                    Arg::Bytes(value) => query.bind(value),
                    Arg::TextList(value) => query.bind($list_encode(value)),
                };
            }
            query
        }

        async fn execute_on(conn: &mut $conn, stmt: $crate::sql::Stmt) -> $crate::StorageResult<u64> {
            let done = statement(stmt).execute(conn).await.map_err($error)?;
            Ok(done.rows_affected())
        }

        async fn fetch_all_on(conn: &mut $conn, stmt: $crate::sql::Stmt) -> $crate::StorageResult<Vec<Row>> {
            let rows = statement(stmt).fetch_all(conn).await.map_err($error)?;
            Ok(rows.into_iter().map(Row).collect())
        }

        async fn fetch_optional_on(conn: &mut $conn, stmt: $crate::sql::Stmt) -> $crate::StorageResult<Option<Row>> {
            let row = statement(stmt).fetch_optional(conn).await.map_err($error)?;
            Ok(row.map(Row))
        }

        impl $crate::sql::SqlConn for Tx {
            type Row = Row;
            const DIALECT: $crate::sql::Dialect = $dialect;
            async fn execute(&mut self, stmt: $crate::sql::Stmt) -> $crate::StorageResult<u64> {
                execute_on(&mut self.0, stmt).await
            }
            async fn fetch_all(&mut self, stmt: $crate::sql::Stmt) -> $crate::StorageResult<Vec<Row>> {
                fetch_all_on(&mut self.0, stmt).await
            }
            async fn fetch_optional(&mut self, stmt: $crate::sql::Stmt) -> $crate::StorageResult<Option<Row>> {
                fetch_optional_on(&mut self.0, stmt).await
            }
        }

        impl $crate::sql::SqlConn for Conn<'_> {
            type Row = Row;
            const DIALECT: $crate::sql::Dialect = $dialect;
            async fn execute(&mut self, stmt: $crate::sql::Stmt) -> $crate::StorageResult<u64> {
                execute_on(self.0, stmt).await
            }
            async fn fetch_all(&mut self, stmt: $crate::sql::Stmt) -> $crate::StorageResult<Vec<Row>> {
                fetch_all_on(self.0, stmt).await
            }
            async fn fetch_optional(&mut self, stmt: $crate::sql::Stmt) -> $crate::StorageResult<Option<Row>> {
                fetch_optional_on(self.0, stmt).await
            }
        }

        impl $crate::sql::SqlTx for Tx {
            async fn commit(self) -> $crate::StorageResult<()> {
                self.0.commit().await.map_err($error)
            }
        }
    };
}
