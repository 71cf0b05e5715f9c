//! Names for the records the audit log points at, looked up when the log is shown.
//!
//! The log keeps only a record's type and id, so a name is always today's: an erased
//! elector, volunteer or account reads as erased here, and nothing erased comes back
//! from the log (which an erasure does not rewrite).

use crate::error::AppResult;
use crate::on_store;
use crate::store::Store;
use std::collections::HashMap;

/// `ids` as bound values and the closing bracket (with -1, which is no record's id, so
/// an empty list is still valid SQL).
macro_rules! push_ids {
    ($q:expr, $ids:expr) => {{
        let mut list = $q.separated(", ");
        list.push_bind(-1i64);
        for id in $ids {
            list.push_bind(*id);
        }
        $q.push(")");
    }};
}

/// (object type, object id) → what the screen calls it.
pub type Names = HashMap<(String, String), String>;

/// Names for the records of these entries: a few queries per page, one per type. With
/// `seats`, only records of those seats are named (an organiser's log may hold entries
/// from a seat they no longer work in); the rest read as their kind alone.
pub async fn names(store: &Store, objects: &[(String, String)], seats: Option<&[i64]>) -> AppResult<Names> {
    let mut out = Names::new();
    let ids = |kind: &str| -> Vec<i64> {
        let mut ids: Vec<i64> =
            objects.iter().filter(|(t, _)| t == kind).filter_map(|(_, id)| id.parse().ok()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    for (id, name) in electors(store, &ids("elector"), seats).await? {
        out.insert(("elector".into(), id.to_string()), name);
    }
    for (id, name) in households(store, &ids("household"), seats).await? {
        out.insert(("household".into(), id.to_string()), name);
    }
    // (kind, query, whether the table has a seat to scope by)
    const SIMPLE: [(&str, &str, bool); 4] = [
        ("walk_list", "SELECT id, 'Walk list ' || name FROM walk_lists WHERE id IN (", true),
        ("user", "SELECT id, display_name FROM users WHERE id IN (", false),
        (
            "volunteer",
            "SELECT id, CASE WHEN erased_at IS NULL THEN 'Volunteer ' || first_name || ' ' || surname
                        ELSE 'Erased volunteer' END FROM volunteers WHERE id IN (",
            true,
        ),
        (
            "polling_district",
            "SELECT id, 'Polling district ' || code FROM polling_districts WHERE id IN (",
            false,
        ),
    ];
    for (kind, sql, seated) in SIMPLE {
        for (id, name) in by_ids(store, sql, &ids(kind), seats.filter(|_| seated)).await? {
            out.insert((kind.to_string(), id.to_string()), name);
        }
    }
    let mut seats: Vec<String> =
        objects.iter().filter(|(t, id)| t == "seat" && !id.is_empty()).map(|(_, id)| id.clone()).collect();
    seats.sort_unstable();
    seats.dedup();
    if !seats.is_empty() {
        let rows: Vec<(String, String)> = on_store!(store, pool => {
            let mut q = sqlx::QueryBuilder::new("SELECT gss_code, name FROM seats WHERE gss_code IN (");
            let mut list = q.separated(", ");
            for s in &seats {
                list.push_bind(s.clone());
            }
            q.push(")");
            q.build_query_as().fetch_all(pool).await
        })?;
        for (gss, name) in rows {
            out.insert(("seat".into(), gss), name);
        }
    }
    Ok(out)
}

/// "Mrs J Smith, 12 Elm Road", or "Erased elector".
async fn electors(store: &Store, ids: &[i64], seats: Option<&[i64]>) -> AppResult<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, Option<String>, String, String, String, bool)> = on_store!(store, pool => {
        let mut q = sqlx::QueryBuilder::new(
            "SELECT e.id, e.title, e.first_name, e.surname, h.address1, e.erased_at IS NOT NULL
               FROM electors e JOIN households h ON h.id = e.household_id WHERE e.id IN (");
        push_ids!(q, ids);
        if let Some(seats) = seats {
            q.push(" AND e.seat_id IN (");
            push_ids!(q, seats);
        }
        q.build_query_as().fetch_all(pool).await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, title, first, surname, address, erased)| {
            (
                id,
                if erased {
                    "Erased elector".to_string()
                } else {
                    elector_name(title, &first, &surname, &address)
                },
            )
        })
        .collect())
}

/// A register name as a letter would address it: title, initial, surname, and the door.
pub fn elector_name(title: Option<String>, first: &str, surname: &str, address: &str) -> String {
    let initial = first.chars().next().map(|c| c.to_uppercase().to_string());
    let name: Vec<String> = [title.filter(|t| !t.trim().is_empty()), initial, Some(surname.to_string())]
        .into_iter()
        .flatten()
        .collect();
    format!("{}, {address}", name.join(" "))
}

/// A door by its first address line; an address erased with its last resident says so.
async fn households(store: &Store, ids: &[i64], seats: Option<&[i64]>) -> AppResult<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, String, bool)> = on_store!(store, pool => {
        let mut q = sqlx::QueryBuilder::new(
            "SELECT id, address1 || COALESCE(', ' || postcode, ''), address_key LIKE 'erased:%' FROM households WHERE id IN (");
        push_ids!(q, ids);
        if let Some(seats) = seats {
            q.push(" AND seat_id IN (");
            push_ids!(q, seats);
        }
        q.build_query_as().fetch_all(pool).await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, address, erased)| (id, if erased { "Erased address".to_string() } else { address }))
        .collect())
}

async fn by_ids(
    store: &Store,
    sql: &str,
    ids: &[i64],
    seats: Option<&[i64]>,
) -> AppResult<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(on_store!(store, pool => {
        let mut q = sqlx::QueryBuilder::new(sql);
        push_ids!(q, ids);
        if let Some(seats) = seats {
            q.push(" AND seat_id IN (");
            push_ids!(q, seats);
        }
        q.build_query_as().fetch_all(pool).await
    })?)
}

/// The words for a record with no name to look up, or whose record has gone.
pub fn fallback(object_type: &str, object_id: &str) -> String {
    let kind = match object_type {
        "elector" => "Elector (no longer held)",
        "household" => "Door (no longer held)",
        "walk_list" => "Walk list (deleted)",
        "user" => "Account (deleted)",
        "volunteer" => "Volunteer (deleted)",
        "" => "",
        other => return format!("{} {object_id}", other.replace('_', " ")).trim().to_string(),
    };
    kind.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_elector_is_named_as_a_letter_would_address_them() {
        assert_eq!(
            elector_name(Some("Mrs".into()), "Jane", "Smith", "12 Elm Road"),
            "Mrs J Smith, 12 Elm Road"
        );
        assert_eq!(elector_name(None, "ömer", "Kaya", "1 Mill St"), "Ö Kaya, 1 Mill St");
        assert_eq!(elector_name(Some(" ".into()), "", "Lee", "3 Oak Way"), "Lee, 3 Oak Way");
    }

    #[test]
    fn a_record_with_nothing_to_look_up_is_named_by_its_kind() {
        assert_eq!(fallback("walk_list", "12"), "Walk list (deleted)");
        assert_eq!(fallback("follow_up", "7"), "follow up 7");
        assert_eq!(fallback("audit_log", ""), "audit log");
    }
}
