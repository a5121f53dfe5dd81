//! Reviewing drafts in bulk: the web journal's "confirm these" and
//! "confirm all of this day/week". Discarding many is `bulkDeleteLogEntries`.

use entity::log_entry;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, sea_query::Expr,
};
use uuid::Uuid;

use super::service::check_bulk_ids;
use crate::error::AppResult;

/// Confirms the caller's drafts among `ids` (1 to `Limits::BULK_MAX`) and
/// returns the ids it confirmed. Ids that are not the caller's, or are
/// already confirmed, are left alone and not returned, so a second click
/// or a stale selection is harmless.
pub async fn confirm(
    db: &DatabaseConnection,
    user_id: Uuid,
    ids: Vec<Uuid>,
) -> AppResult<Vec<Uuid>> {
    check_bulk_ids(&ids)?;
    let txn = crate::db::begin_write(db).await?;
    let drafts: Vec<Uuid> = log_entry::Entity::find()
        .select_only()
        .column(log_entry::Column::Id)
        .filter(log_entry::Column::UserId.eq(user_id))
        .filter(log_entry::Column::IsDraft.eq(true))
        .filter(log_entry::Column::Id.is_in(ids))
        .into_tuple()
        .all(&txn)
        .await?;
    if !drafts.is_empty() {
        log_entry::Entity::update_many()
            .col_expr(log_entry::Column::IsDraft, Expr::value(false))
            .col_expr(
                log_entry::Column::UpdatedAt,
                Expr::value(chrono::Utc::now()),
            )
            .filter(log_entry::Column::UserId.eq(user_id))
            .filter(log_entry::Column::Id.is_in(drafts.clone()))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(drafts)
}
