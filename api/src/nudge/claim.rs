//! One nudge a day per person: before sending, an instance claims the day
//! with one conditional `UPDATE` (`last_sent_on` before today, or never);
//! only the instance whose update changed the row sends. Restarts and a
//! second API instance therefore find the day taken.

use chrono::NaiveDate;
use entity::missed_day_nudge::{self, Column, Entity};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::error::AppResult;

/// A claimed day, and what the row said before (to give the day back if
/// the mail could not be sent).
#[derive(Debug, Clone, Copy)]
pub struct Claim {
    pub user_id: Uuid,
    pub day: NaiveDate,
    previous: Option<NaiveDate>,
}

/// Claims `day` for the person; `None` when a nudge for that day (or a
/// later one) was already claimed.
pub async fn claim(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    day: NaiveDate,
) -> AppResult<Option<Claim>> {
    // The row to update exists from the first claim on (inserting it is
    // not the claim: two inserts race, one update per row does not).
    Entity::insert(missed_day_nudge::ActiveModel {
        user_id: Set(user_id),
        last_sent_on: Set(None),
    })
    .on_conflict(OnConflict::column(Column::UserId).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    let previous = Entity::find_by_id(user_id)
        .one(db)
        .await?
        .and_then(|row| row.last_sent_on);
    let updated = Entity::update_many()
        .col_expr(Column::LastSentOn, Expr::value(day))
        .filter(Column::UserId.eq(user_id))
        .filter(
            Condition::any()
                .add(Column::LastSentOn.is_null())
                .add(Column::LastSentOn.lt(day)),
        )
        .exec(db)
        .await?;
    Ok((updated.rows_affected == 1).then_some(Claim {
        user_id,
        day,
        previous,
    }))
}

/// Gives a claimed day back (the mail failed), so a later pass within the
/// morning may try again.
pub async fn release(db: &impl ConnectionTrait, claim: Claim) -> AppResult<()> {
    Entity::update_many()
        .col_expr(Column::LastSentOn, Expr::value(claim.previous))
        .filter(Column::UserId.eq(claim.user_id))
        .filter(Column::LastSentOn.eq(claim.day))
        .exec(db)
        .await?;
    Ok(())
}
