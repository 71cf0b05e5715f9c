use super::MyWalkList;
use crate::error::AppResult;
use crate::on_store;
use crate::store::Store;

/// One query for all of a user's lists, door counts included.
#[tracing::instrument(skip(store))]
pub async fn assigned_to(store: &Store, user_id: i64) -> AppResult<Vec<MyWalkList>> {
    Ok(on_store!(store, pool => sqlx::query_as(
        "SELECT wl.id, wl.name, s.name AS seat_name, cs.title AS session_title, cs.starts_at,
                cs.meeting_point,
                (SELECT COUNT(*) FROM walk_list_households wh WHERE wh.walk_list_id = wl.id) AS doors
           FROM walk_lists wl
           JOIN walk_list_assignments a ON a.walk_list_id = wl.id
           JOIN volunteers v ON v.id = a.volunteer_id
           JOIN users u ON u.id = v.user_id
           JOIN seats s ON s.id = wl.seat_id
           LEFT JOIN canvass_sessions cs ON cs.id = wl.canvass_session_id
          WHERE v.user_id = $1 AND wl.status = 'active'
            -- A volunteer or team leader sees lists only in the seat they work in now.
            AND (u.role NOT IN ('volunteer', 'team_leader')
                 OR EXISTS (SELECT 1 FROM user_scopes us WHERE us.user_id = u.id AND us.seat_id = wl.seat_id))
          ORDER BY cs.starts_at, wl.name")
        .bind(user_id).fetch_all(pool).await)?)
}
