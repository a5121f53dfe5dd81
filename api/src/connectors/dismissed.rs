//! Entries from a source that the person deleted stay deleted: deleting
//! one records its external id (table `dismissed_drafts`), and a later sync
//! or capture that still lists the item — connectors re-read an overlap
//! window on every sync — skips it instead of writing it back as a draft.
//! Removals the source itself asks for (an item gone upstream) are not
//! recorded: nothing the person did is at stake there.

use std::collections::HashSet;

use chrono::Utc;
use entity::{dismissed_draft, log_entry};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::error::AppResult;

/// Statements stay well under both databases' bind limits.
const CHUNK: usize = 500;

/// Records the external ids of the person's entries among `entry_ids` that
/// came from a source, before they are deleted (in the same transaction).
pub async fn remember_deleted(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    entry_ids: &[Uuid],
) -> AppResult<()> {
    let now = Utc::now();
    for chunk in entry_ids.chunks(CHUNK) {
        let uids: Vec<String> = log_entry::Entity::find()
            .select_only()
            .column(log_entry::Column::ExternalUid)
            .filter(log_entry::Column::UserId.eq(user_id))
            .filter(log_entry::Column::Id.is_in(chunk.to_vec()))
            .filter(log_entry::Column::ExternalUid.is_not_null())
            .into_tuple::<Option<String>>()
            .all(db)
            .await?
            .into_iter()
            .flatten()
            .collect();
        if uids.is_empty() {
            continue;
        }
        let rows = uids
            .into_iter()
            .map(|external_uid| dismissed_draft::ActiveModel {
                user_id: sea_orm::Set(user_id),
                external_uid: sea_orm::Set(external_uid),
                dismissed_at: sea_orm::Set(now),
            });
        dismissed_draft::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([
                    dismissed_draft::Column::UserId,
                    dismissed_draft::Column::ExternalUid,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Which of `uids` the person deleted earlier.
pub async fn among(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    uids: &[String],
) -> AppResult<HashSet<String>> {
    let mut found = HashSet::new();
    for chunk in uids.chunks(CHUNK) {
        let rows = dismissed_draft::Entity::find()
            .select_only()
            .column(dismissed_draft::Column::ExternalUid)
            .filter(dismissed_draft::Column::UserId.eq(user_id))
            .filter(dismissed_draft::Column::ExternalUid.is_in(chunk.iter().cloned()))
            .into_tuple::<String>()
            .all(db)
            .await?;
        found.extend(rows);
    }
    Ok(found)
}
