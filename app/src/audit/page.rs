//! The audit log screen: who did what to which record, when, and why. Read-only: the app
//! has no way to change or delete an entry.

use crate::error::AppError;
use crate::layout::{ErrorView, Loading};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    /// The account as it is now, "Name (email)" (an erased account reads "Erased account").
    pub who: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub reason: Option<String>,
    /// What the record is called today: see `audit::names`.
    #[cfg_attr(feature = "ssr", sqlx(default))]
    #[serde(default)]
    pub record: String,
}

/// The actions the screen filters by, as it says them.
pub const ACTIONS: [(&str, &str); 8] = [
    ("sign_in", "Signed in"),
    ("view", "Viewed"),
    ("cache", "Cached for offline use"),
    ("search", "Searched"),
    ("export", "Exported"),
    ("change", "Changed"),
    ("erase", "Erased"),
    ("sign_out", "Signed out"),
];

/// An action in words; one not in [`ACTIONS`] as it is stored.
pub fn action_label(action: &str) -> String {
    ACTIONS
        .iter()
        .find(|(a, _)| *a == action)
        .map_or_else(|| action.replace('_', " "), |(_, l)| l.to_string())
}

/// Shown per page; the filters narrow it down.
pub const PAGE: i64 = 200;

/// Admins search everything; organisers see what was done to their seats and what
/// they did themselves. `text` matches the person's email, the object or the reason.
#[server(prefix = "/api", endpoint = "audit_log")]
pub async fn search_audit_log(
    text: Option<String>,
    action: Option<String>,
) -> Result<Vec<AuditEntry>, AppError> {
    use crate::auth::Role;
    use crate::on_store;
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let (own_seats, seat_ids): (Option<Vec<String>>, Option<Vec<i64>>) = match user.role {
        Role::Admin => (None, None),
        Role::Organiser => {
            let scope = crate::auth::scope::seat_scope(&state.store, &user).await?;
            let seats: Vec<_> = crate::seat::queries::list(&state.store)
                .await?
                .into_iter()
                .filter(|s| scope.contains(s.id))
                .collect();
            (
                Some(seats.iter().map(|s| s.gss_code.clone()).collect()),
                Some(seats.iter().map(|s| s.id).collect()),
            )
        }
        _ => return Err(AppError::Forbidden),
    };
    let store = &state.store;
    let entries: Vec<AuditEntry> = on_store!(store, pool => {
        let mut q = sqlx::QueryBuilder::new(
            "SELECT a.at, u.display_name || ' (' || u.email || ')' AS who, a.action, a.object_type, a.object_id, a.reason
               FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE 1 = 1");
        if let Some(seats) = &own_seats {
            q.push(" AND (a.user_id = ").push_bind(user.id).push(" OR a.object_id IN (");
            let mut list = q.separated(", ");
            list.push_bind("");
            for s in seats {
                list.push_bind(s.clone());
            }
            q.push("))");
        }
        if let Some(text) = text.as_ref().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            let like = format!("%{}%", text.to_lowercase());
            q.push(" AND (LOWER(COALESCE(u.email, '')) LIKE ").push_bind(like.clone())
                .push(" OR LOWER(COALESCE(u.display_name, '')) LIKE ").push_bind(like.clone())
                .push(" OR LOWER(COALESCE(a.object_id, '')) LIKE ").push_bind(like.clone())
                .push(" OR LOWER(COALESCE(a.reason, '')) LIKE ").push_bind(like).push(")");
        }
        if let Some(action) = action.as_ref().filter(|a| !a.is_empty()) {
            q.push(" AND a.action = ").push_bind(action.clone());
        }
        q.push(" ORDER BY a.at DESC, a.id DESC LIMIT ").push_bind(PAGE);
        q.build_query_as().fetch_all(pool).await
    })?;
    let objects: Vec<(String, String)> =
        entries.iter().map(|e| (e.object_type.clone(), e.object_id.clone().unwrap_or_default())).collect();
    let names = crate::audit::names::names(store, &objects, seat_ids.as_deref()).await?;
    let entries = entries
        .into_iter()
        .zip(objects)
        .map(|(e, key)| {
            let record =
                names.get(&key).cloned().unwrap_or_else(|| crate::audit::names::fallback(&key.0, &key.1));
            AuditEntry { record, ..e }
        })
        .collect();
    crate::audit::record(store, Some(user.id), "view", "audit_log", "", "audit log screen").await?;
    Ok(entries)
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let query = use_query_map();
    let filters = move || {
        let q = query.read();
        (q.get("text"), q.get("action"))
    };
    let entries = Resource::new(filters, |(text, action)| search_audit_log(text, action));
    view! {
        <Title text="Audit log"/>
        <h1>"Audit log"</h1>
        <p class="muted">"Every sign-in, export, import and change, with who, when and why. Entries cannot be edited or deleted."</p>
        <form class="filters" method="get" action="/audit">
            <label for="audit-text">"Person, record or reason"</label>
            <input id="audit-text" name="text" type="search" value=move || filters().0.unwrap_or_default()/>
            <label for="audit-action">"Action"</label>
            <select id="audit-action" name="action">
                {std::iter::once(("", "Any")).chain(ACTIONS).map(|(a, label)| {
                    let selected = move || filters().1.unwrap_or_default() == a;
                    view! { <option value=a selected=selected>{label}</option> }
                }).collect_view()}
            </select>
            <button type="submit" class="button primary">"Search"</button>
        </form>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(entries) if entries.is_empty() => view! { <p class="card">"Nothing matches."</p> }.into_any(),
                    Ok(entries) => view! {
                        <div class="table-wrap"><table class="data audit">
                            <caption class="visually-hidden">"Audit entries, newest first"</caption>
                            <thead><tr>
                                <th scope="col">"When (UTC)"</th><th scope="col">"Who"</th><th scope="col">"Action"</th>
                                <th scope="col">"Record"</th><th scope="col">"Why"</th>
                            </tr></thead>
                            <tbody>
                                {entries.into_iter().map(|e| view! {
                                    <tr>
                                        <td>{e.at.format("%-d %b %Y %H:%M:%S").to_string()}</td>
                                        <td>{e.who.unwrap_or_else(|| "(deleted user)".into())}</td>
                                        <td>{action_label(&e.action)}</td>
                                        <td>{e.record}</td>
                                        <td>{e.reason.unwrap_or_default()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
