//! Organiser review: entries flagged (far from the address, or implausibly fast) and,
//! when the campaign turns review on, every entry held until an organiser confirms it.

use crate::error::AppError;
use crate::layout::{ErrorView, Loading};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub id: String,
    pub seat_name: String,
    pub list_name: String,
    pub address: String,
    pub volunteer: String,
    pub result: String,
    /// Why it was flagged; empty when it is only held.
    pub reasons: String,
    /// Held: counts nowhere until confirmed.
    pub held: bool,
    pub made_at: DateTime<Utc>,
}

#[server(prefix = "/api", endpoint = "doorstep/reviews")]
pub async fn doorstep_reviews() -> Result<Vec<ReviewItem>, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    super::queries::open_reviews(&state.store, &user).await
}

/// `decision` is `confirm` or `reject`.
#[server(prefix = "/api", endpoint = "doorstep/decide")]
pub async fn decide_entry(id: String, decision: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let confirm = match decision.as_str() {
        "confirm" => true,
        "reject" => false,
        _ => return Err(AppError::BadInput("Confirm or reject.".into())),
    };
    super::queries::decide(&state.store, &user, &id, confirm, Utc::now()).await
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let decide = ServerAction::<DecideEntry>::new();
    let items = Resource::new(move || decide.version().get(), |_| doorstep_reviews());
    let error = move || decide.value().get().and_then(Result::err);
    view! {
        <Title text="Doorstep review"/>
        <header class="page-head">
            <h1>"Doorstep review"</h1>
            <p class="muted">
                "Entries made far (over 250 m) from their address, or under 5 seconds after the same volunteer's \
                 previous entry, are flagged here; they already count unless held. When review is on for the \
                 campaign, every entry is held here and counts nowhere until you confirm it."
            </p>
        </header>
        {move || error().map(|e| view! { <p class="error" role="alert">{e.to_string()}</p> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match items.await {
                    Ok(items) if items.is_empty() => view! { <p class="card">"Nothing to review."</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="cards review-list" aria-label="Entries to review">
                            {items.into_iter().map(|r| { let entry = r.id.clone(); view! {
                                <li class="card review" data-entry=entry>
                                    <h2 class="review-addr">{r.address}</h2>
                                    <p class="muted">{r.list_name} " · " {r.seat_name}</p>
                                    <p>
                                        <strong>{super::result_label(&r.result)}</strong>
                                        " · " {r.volunteer} " · " {r.made_at.format("%a %-d %b %H:%M:%S").to_string()}
                                    </p>
                                    <p class="review-state">
                                        {if r.held { "Held: not counted until confirmed" } else { "Counted, flagged for a look" }}
                                    </p>
                                    {(!r.reasons.is_empty()).then(|| view! { <p class="review-reasons">"⚑ " {r.reasons}</p> })}
                                    <ActionForm action=decide attr:class="review-actions">
                                        <input type="hidden" name="id" value=r.id/>
                                        <button type="submit" name="decision" value="confirm" class="button primary">"Confirm"</button>
                                        <button type="submit" name="decision" value="reject" class="button secondary">"Reject"</button>
                                    </ActionForm>
                                </li>
                            }}).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}
