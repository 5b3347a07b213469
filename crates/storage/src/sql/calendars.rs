//! Business calendars and the tenant's bank-holidays file.

use super::{SqlBackend, SqlConn, SqlRow, SqlTx, Stmt, audit, clocks::Calendars};
use crate::{CalendarRepo, StorageError, StorageResult, TenantScope};
use async_trait::async_trait;
use domain::{
    CalendarId, Timestamp,
    audit::AuditEvent,
    calendar::{Calendar, CalendarDefinition, NamedCalendar},
};
use serde_json::json;
use std::collections::HashMap;

const SELECT: &str = "SELECT id, definition, version FROM business_calendars";

fn calendar_of(row: &impl SqlRow) -> StorageResult<NamedCalendar> {
    let definition: CalendarDefinition = serde_json::from_str(&row.text("definition")?)
        .map_err(|e| StorageError::Backend(format!("business_calendars.definition: {e}").into()))?;
    Ok(NamedCalendar {
        id: CalendarId::from_uuid(row.uuid("id")?),
        definition,
        version: row.int("version")?,
        built_in: false,
    })
}

fn definition_json(definition: &CalendarDefinition) -> String {
    serde_json::to_string(definition).unwrap_or_default()
}

fn saved(calendar: &NamedCalendar, action: &str) -> AuditEvent {
    let payload = json!({"after": calendar.definition, "version": calendar.version});
    AuditEvent::new(action, "calendar", calendar.id.as_uuid(), payload)
}

async fn one<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    id: CalendarId,
    lock: bool,
) -> StorageResult<Option<NamedCalendar>> {
    let sql = format!("{SELECT} WHERE tenant_id = $1 AND id = $2{}", if lock { C::DIALECT.for_update } else { "" });
    let row = conn.fetch_optional(Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(id.as_uuid())).await?;
    row.as_ref().map(calendar_of).transpose()
}

/// The version of the tenant's uploaded file, locked until the transaction ends.
async fn file_version<C: SqlConn>(conn: &mut C, scope: &TenantScope) -> StorageResult<Option<i64>> {
    let sql = format!("SELECT version FROM bank_holiday_files WHERE tenant_id = $1{}", C::DIALECT.for_update);
    let row = conn.fetch_optional(Stmt::new(sql).bind(scope.tenant_id.as_uuid())).await?;
    row.map(|row| row.int("version")).transpose()
}

#[async_trait]
impl<S: SqlBackend> CalendarRepo for S {
    async fn list_calendars(&self, scope: &TenantScope) -> StorageResult<Vec<NamedCalendar>> {
        let sql = format!("{SELECT} WHERE tenant_id = $1 ORDER BY lower(name), id");
        let mut tx = self.read(scope.tenant_id).await?;
        let rows = tx.fetch_all(Stmt::new(sql).bind(scope.tenant_id.as_uuid())).await?;
        tx.commit().await?;
        rows.iter().map(calendar_of).collect()
    }

    async fn get_calendar(&self, scope: &TenantScope, id: CalendarId) -> StorageResult<Option<NamedCalendar>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let found = one(&mut tx, scope, id, false).await?;
        tx.commit().await?;
        Ok(found)
    }

    async fn create_calendar(
        &self,
        scope: &TenantScope,
        definition: CalendarDefinition,
    ) -> StorageResult<NamedCalendar> {
        let now = Timestamp::now();
        let calendar = NamedCalendar { id: CalendarId::new(), definition, version: 1, built_in: false };
        let mut tx = self.write(scope.tenant_id).await?;
        let insert = Stmt::new(
            "INSERT INTO business_calendars (tenant_id, id, name, definition, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 1, $5, $5)",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(calendar.id.as_uuid())
        .bind(calendar.definition.name.trim())
        .bind(definition_json(&calendar.definition))
        .bind(now);
        tx.execute(insert).await?;
        audit::append(&mut tx, scope, &saved(&calendar, "calendar.created")).await?;
        tx.commit().await?;
        Ok(calendar)
    }

    async fn update_calendar(
        &self,
        scope: &TenantScope,
        id: CalendarId,
        expected_version: i64,
        definition: CalendarDefinition,
    ) -> StorageResult<NamedCalendar> {
        let mut tx = self.write(scope.tenant_id).await?;
        let before = one(&mut tx, scope, id, true).await?.ok_or(StorageError::NotFound)?;
        if before.version != expected_version {
            return Err(StorageError::VersionMismatch { current: before.version });
        }
        let after = NamedCalendar { definition, version: before.version + 1, ..before };
        let update = Stmt::new(
            "UPDATE business_calendars SET name = $3, definition = $4, version = $5, updated_at = $6
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(after.definition.name.trim())
        .bind(definition_json(&after.definition))
        .bind(after.version)
        .bind(Timestamp::now());
        tx.execute(update).await?;
        audit::append(&mut tx, scope, &saved(&after, "calendar.updated")).await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn calendars_in_force(
        &self,
        scope: &TenantScope,
        ids: &[CalendarId],
    ) -> StorageResult<HashMap<CalendarId, Calendar>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let mut calendars = Calendars::default();
        let mut found = HashMap::new();
        for id in ids {
            if let Some(calendar) = calendars.get(&mut tx, scope, *id).await? {
                found.insert(*id, calendar);
            }
        }
        tx.commit().await?;
        Ok(found)
    }

    async fn bank_holiday_file(&self, scope: &TenantScope) -> StorageResult<Option<(String, i64, Timestamp)>> {
        let stmt = Stmt::new("SELECT content, version, uploaded_at FROM bank_holiday_files WHERE tenant_id = $1")
            .bind(scope.tenant_id.as_uuid());
        let mut tx = self.read(scope.tenant_id).await?;
        let row = tx.fetch_optional(stmt).await?;
        tx.commit().await?;
        row.map(|row| Ok((row.text("content")?, row.int("version")?, row.time("uploaded_at")?))).transpose()
    }

    async fn set_bank_holiday_file(
        &self,
        scope: &TenantScope,
        content: String,
        expected_version: Option<i64>,
    ) -> StorageResult<i64> {
        let mut tx = self.write(scope.tenant_id).await?;
        let current = file_version(&mut tx, scope).await?;
        if current != expected_version {
            return Err(StorageError::VersionMismatch { current: current.unwrap_or(0) });
        }
        let version = current.unwrap_or(0) + 1;
        let now = Timestamp::now();
        let write = if current.is_some() {
            "UPDATE bank_holiday_files SET content = $2, version = $3, uploaded_at = $4 WHERE tenant_id = $1"
        } else {
            "INSERT INTO bank_holiday_files (tenant_id, content, version, uploaded_at) VALUES ($1, $2, $3, $4)"
        };
        let stmt = Stmt::new(write).bind(scope.tenant_id.as_uuid()).bind(content).bind(version).bind(now);
        tx.execute(stmt).await?;
        let event =
            AuditEvent::new("bank_holidays.uploaded", "tenant", scope.tenant_id.as_uuid(), json!({"version": version}));
        audit::append(&mut tx, scope, &event).await?;
        tx.commit().await?;
        Ok(version)
    }
}
