//! Undo and Change at a door: an entry may name an earlier one it `replaces` (a mis-tap
//! corrected), or be an `undo` of it. The earlier entry is taken away in the same
//! transaction as the correction is stored, so the door is counted once however the two
//! arrive; a correction sent twice is stored once (by its own id) and removes once.
//! Only the same volunteer's entry on the same list and door can be replaced, and one the
//! server never had (still on the phone when undone) leaves nothing to remove.

use super::DoorResult;

/// Checks the link to the earlier entry: a real id, not the entry itself, and an undo
/// always names what it undoes.
pub fn check_replaces(id: &str, result: DoorResult, replaces: Option<&str>) -> Result<(), &'static str> {
    match replaces {
        None if result == DoorResult::Undo => Err("An undo must say which entry it undoes."),
        None => Ok(()),
        Some(r) if uuid::Uuid::parse_str(r).is_err() || r == id => {
            Err("The entry to replace could not be read.")
        }
        Some(_) => Ok(()),
    }
}

/// Removes the earlier entries `$rows` names: (replaced id, walk list, household,
/// volunteer, user deciding). Its conversation goes (its issues, answers and follow-ups
/// with it), so do a prospect it made who has not been met and the door's "do not knock"
/// when that entry alone set it; an entry held for review is marked rejected.
macro_rules! remove_replaced {
    ($tx:ident, $rows:expr, $now:expr) => {{
        let rows: &[(&str, $crate::ids::WalkListId, $crate::ids::HouseholdId, Option<i64>, i64)] = $rows;
        for (id, list, household, volunteer, user) in rows {
            // The earlier entry, when it is this volunteer's on this list and door.
            let (found, stayed_away): (i64, i64) = sqlx::query_as(
                "SELECT COUNT(*), CAST(COALESCE(SUM((SELECT COUNT(*) FROM follow_ups f
                                   WHERE f.conversation_id = c.id AND f.kind = 'do_not_knock')), 0) AS BIGINT)
                   FROM conversations c
                  WHERE c.id = $1 AND c.walk_list_id = $2 AND c.household_id = $3
                    AND (c.volunteer_id = $4 OR (c.volunteer_id IS NULL AND $4 IS NULL))")
                .bind(*id).bind(*list).bind(*household).bind(*volunteer)
                .fetch_one(&mut *$tx).await?;
            if found > 0 {
                sqlx::query("DELETE FROM volunteers WHERE conversation_id = $1 AND stage = 'prospect' AND user_id IS NULL")
                    .bind(*id).execute(&mut *$tx).await?;
                sqlx::query("DELETE FROM conversations WHERE id = $1").bind(*id).execute(&mut *$tx).await?;
            }
            if stayed_away > 0 {
                sqlx::query(
                    "UPDATE households SET do_not_knock = $2 WHERE id = $1 AND NOT EXISTS (
                        SELECT 1 FROM follow_ups f WHERE f.household_id = $1 AND f.kind = 'do_not_knock')")
                    .bind(*household).bind(false).execute(&mut *$tx).await?;
            }
            sqlx::query(
                "UPDATE doorstep_reviews SET status = 'rejected', decided_at = $5, decided_by = $6
                  WHERE id = $1 AND walk_list_id = $2 AND household_id = $3 AND status = 'open'
                    AND (volunteer_id = $4 OR (volunteer_id IS NULL AND $4 IS NULL))")
                .bind(*id).bind(*list).bind(*household).bind(*volunteer).bind($now).bind(*user)
                .execute(&mut *$tx).await?;
        }
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_correction_names_a_real_earlier_entry_and_an_undo_always_names_one() {
        let (a, b) = (uuid::Uuid::now_v7().to_string(), uuid::Uuid::now_v7().to_string());
        assert!(check_replaces(&a, DoorResult::NotIn, None).is_ok());
        assert!(check_replaces(&a, DoorResult::Refused, Some(&b)).is_ok());
        assert!(check_replaces(&a, DoorResult::Undo, Some(&b)).is_ok());
        assert!(check_replaces(&a, DoorResult::Undo, None).is_err());
        assert!(check_replaces(&a, DoorResult::Refused, Some(&a)).is_err(), "not itself");
        assert!(check_replaces(&a, DoorResult::Refused, Some("yesterday")).is_err());
    }
}
