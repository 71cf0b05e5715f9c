//! The yardstick: a bare axum handler that inserts the same conversation rows with no
//! app logic (no session, no access check, no validation, no duplicate or review
//! checks). The load run reports the app's throughput as a ratio of this one's.

use app::store::Store;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const PATH: &str = "/bare/conversations";

/// The columns the app stores for a doorstep entry.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BareRow {
    pub id: String,
    pub seat_id: i64,
    pub household_id: i64,
    pub walk_list_id: i64,
    pub volunteer_id: i64,
    pub result: String,
    pub intention: Option<String>,
    pub intention_source: Option<String>,
    pub firmness: Option<i64>,
    pub made_at: DateTime<Utc>,
}

pub fn router(store: Store) -> Router {
    Router::new().route(PATH, post(insert)).with_state(store)
}

async fn insert(State(store): State<Store>, Json(rows): Json<Vec<BareRow>>) -> StatusCode {
    let now = Utc::now();
    // The app's one way to write (see `Store::write`): SQLite's writer queue, and on
    // PostgreSQL the seats' locks that keep two batches from deadlocking on the
    // trigger-kept counters.
    let seats: Vec<i64> = rows.iter().map(|r| r.seat_id).collect();
    let result: Result<(), sqlx::Error> = store
        .write(&seats, |tx| {
            Box::pin(async {
                app::on_tx!(tx, tx => {
                    // Multi-row inserts of the same size as the app's, so that the yardstick
                    // is a fair lower bound on the work, not a slower row-at-a-time writer.
                    for chunk in rows.chunks(200) {
                        let mut q = sqlx::QueryBuilder::new(
                            "INSERT INTO conversations (id, seat_id, household_id, walk_list_id, volunteer_id,
                                    result, intention, intention_source, firmness, made_at, received_at) ",
                        );
                        q.push_values(chunk, |mut b, r| {
                            b.push_bind(&r.id).push_bind(r.seat_id).push_bind(r.household_id)
                                .push_bind(r.walk_list_id).push_bind(r.volunteer_id).push_bind(&r.result)
                                .push_bind(&r.intention).push_bind(&r.intention_source).push_bind(r.firmness)
                                .push_bind(r.made_at).push_bind(now);
                        });
                        // A batch sent again after its answer was lost (the load retries a
                        // timed-out batch, as the phone does) is stored once and answered
                        // 200, as the app answers it: without this, every retry of a batch
                        // that had in fact been written was a duplicate key and a 500.
                        q.push(" ON CONFLICT (id) DO NOTHING");
                        q.build().execute(&mut *tx).await?;
                    }
                    Ok(())
                })
            })
        })
        .await;
    match result {
        Ok(()) => StatusCode::OK,
        Err(e) => {
            tracing::error!(error = %e, "bare insert failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// Serves the bare handler on `listener` until the process is stopped.
pub async fn serve(listener: tokio::net::TcpListener, store: Store) -> std::io::Result<()> {
    axum::serve(listener, router(store)).await
}
