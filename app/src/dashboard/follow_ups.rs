//! Follow-ups outstanding: what voters asked us to do (a poster, a postal vote, a call
//! back, to volunteer…), counted on the seat dashboard and listed here for an organiser
//! to work through and mark done. Also the issues voters raise, counted per week.

use crate::error::AppError;
use crate::format::thousands;
use crate::layout::{ErrorView, Loading};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// Open follow-ups listed on one page; the CSV has them all.
pub const LIST_LIMIT: i64 = 500;

/// Follow-ups of one kind in a seat.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowUpCount {
    pub kind: String,
    pub open: i64,
    pub done: i64,
    /// When the longest-waiting open one was recorded.
    pub oldest_open: Option<DateTime<Utc>>,
}

/// One open follow-up, for the organiser's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowUpItem {
    pub id: i64,
    pub kind: String,
    pub raised_at: DateTime<Utc>,
    pub address: String,
    /// Empty when the knock was not with a named elector.
    pub elector: String,
    /// The canvasser's note on the conversation (what to call back about, say).
    pub notes: String,
    /// The volunteer record made on the doorstep, for a would-be volunteer.
    pub volunteer_id: Option<i64>,
    /// The phone number and email they gave at the door, with consent to be contacted.
    #[serde(default)]
    pub contact: String,
}

/// An issue voters raised: how often in all, and in each week the dashboard charts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssueTrend {
    pub issue: String,
    pub label: String,
    pub raised: i64,
    pub weekly: Vec<i64>,
}

impl IssueTrend {
    /// Raised in the last four weeks shown, and in the four before those.
    pub fn recent_and_before(&self) -> (i64, i64) {
        let n = self.weekly.len();
        let sum = |from: usize, to: usize| self.weekly[from..to].iter().sum::<i64>();
        (sum(n.saturating_sub(4), n), sum(n.saturating_sub(8), n.saturating_sub(4)))
    }
}

/// What the dashboard calls each kind. Kinds come from the rows; one not named here
/// (added by the campaign later) shows as its code made readable.
pub fn follow_up_label(kind: &str) -> String {
    match kind {
        "poster" => "Posters to deliver".into(),
        "postal_vote" => "Postal vote applications".into(),
        "volunteer" => "New volunteers to contact".into(),
        "join" => "Want to join".into(),
        "call_back" => "Call backs".into(),
        "do_not_knock" => "Do not knock again".into(),
        other => {
            let words = other.replace('_', " ");
            let mut chars = words.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowUpList {
    pub gss_code: String,
    pub seat_name: String,
    pub kind: Option<String>,
    pub counts: Vec<FollowUpCount>,
    pub items: Vec<FollowUpItem>,
}

#[server(prefix = "/api", endpoint = "seat_follow_ups")]
pub async fn seat_follow_ups(gss_code: String, kind: Option<String>) -> Result<FollowUpList, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    // Names, addresses and notes: organisers (their seats) and admins, not regional staff.
    if !user.role.sees_names() {
        return Err(AppError::Forbidden);
    }
    let seat = crate::seat::queries::find(&state.store, &gss_code).await?;
    crate::auth::scope::require_seat(&state.store, &user, seat.id).await?;
    let kind = kind.filter(|k| !k.is_empty());
    let (counts, items) = tokio::try_join!(
        super::follow_up_queries::follow_up_counts(&state.store, seat.id),
        super::follow_up_queries::open_follow_ups(&state.store, seat.id, kind.as_deref(), LIST_LIMIT),
    )?;
    // Names and addresses are personal data: each view of the list is on the record.
    crate::audit::record(&state.store, Some(user.id), "view", "seat", &gss_code, "follow-ups list").await?;
    Ok(FollowUpList { gss_code, seat_name: seat.name, kind, counts, items })
}

#[server(prefix = "/api", endpoint = "follow_up_done")]
pub async fn follow_up_done(gss_code: String, id: i64) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    // Names, addresses and notes: organisers (their seats) and admins, not regional staff.
    if !user.role.sees_names() {
        return Err(AppError::Forbidden);
    }
    let seat = crate::seat::queries::find(&state.store, &gss_code).await?;
    crate::auth::scope::require_seat(&state.store, &user, seat.id).await?;
    super::follow_up_queries::mark_done(&state.store, seat.id, id, user.id, Utc::now()).await?;
    crate::audit::record(&state.store, Some(user.id), "change", "follow_up", &id.to_string(), "marked done")
        .await
}

#[component]
pub fn FollowUpsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let done = ServerAction::<FollowUpDone>::new();
    let data = Resource::new(
        move || {
            (params.read().get("gss").unwrap_or_default(), query.read().get("kind"), done.version().get())
        },
        |(gss, kind, _)| seat_follow_ups(gss, kind),
    );
    let error = move || done.value().get().and_then(Result::err);
    view! {
        {move || error().map(|e| view! { <p class="error" role="alert">{e.to_string()}</p> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => view! { <List list done/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn List(list: FollowUpList, done: ServerAction<FollowUpDone>) -> impl IntoView {
    let base = format!("/dashboard/seats/{}/follow-ups", list.gss_code);
    let csv = match &list.kind {
        Some(k) => format!("/dashboard/export/{}/follow-ups.csv?kind={k}", list.gss_code),
        None => format!("/dashboard/export/{}/follow-ups.csv", list.gss_code),
    };
    let heading = list.kind.as_deref().map(follow_up_label).unwrap_or_else(|| "All follow-ups".into());
    let open: i64 =
        list.counts.iter().filter(|c| list.kind.as_ref().is_none_or(|k| *k == c.kind)).map(|c| c.open).sum();
    let shown = list.items.len() as i64;
    let gss = list.gss_code.clone();
    view! {
        <Title text=format!("{heading} · {}", list.seat_name)/>
        <header class="page-head">
            <p class="eyebrow">{list.seat_name.clone()} " · follow-ups outstanding"</p>
            <h1>{heading}</h1>
            <p class="muted">
                <a href=format!("/dashboard/seats/{}", list.gss_code)>"Seat dashboard"</a> " · "
                <a class="csv" href=csv download>"Download CSV"</a> " · "
                "In postcode and street order, so a list is a round."
            </p>
        </header>
        <nav class="region-filter" aria-label="Kinds of follow-up">
            <a href=base.clone() aria-current=list.kind.is_none().then_some("page")>"All"</a>
            {list.counts.iter().map(|c| {
                let current = (list.kind.as_deref() == Some(c.kind.as_str())).then_some("page");
                view! {
                    <a href=format!("{base}?kind={}", c.kind) aria-current=current data-kind=c.kind.clone()>
                        {follow_up_label(&c.kind)} " (" {thousands(c.open)} ")"
                    </a>
                }
            }).collect_view()}
        </nav>
        <p data-stat="open-shown">
            {if shown < open { format!("The first {} of {} open; the CSV has them all.", thousands(shown), thousands(open)) }
             else { format!("{} open.", thousands(open)) }}
        </p>
        {(shown == 0).then(|| view! { <p class="card">"Nothing outstanding."</p> })}
        <ul class="cards follow-up-list" aria-label="Open follow-ups">
            {list.items.into_iter().map(|f| {
                let gss = gss.clone();
                view! {
                    <li class="card follow-up" data-follow-up-id=f.id.to_string()>
                        <h2 class="review-addr">{f.address}</h2>
                        <p>
                            <strong>{follow_up_label(&f.kind)}</strong>
                            {(!f.elector.is_empty()).then(|| view! { " · " {f.elector.clone()} })}
                            " · asked " {f.raised_at.format("%a %-d %b").to_string()}
                        </p>
                        {(!f.notes.is_empty()).then(|| view! { <p class="muted">"Note: " {f.notes.clone()}</p> })}
                        {(!f.contact.is_empty()).then(|| view! { <p class="follow-up-contact">"Contact (they agreed): " {f.contact.clone()}</p> })}
                        {f.volunteer_id.map(|v| view! { <p><a href=format!("/volunteers/{v}")>"Their volunteer record"</a></p> })}
                        <ActionForm action=done attr:class="review-actions">
                            <input type="hidden" name="gss_code" value=gss/>
                            <input type="hidden" name="id" value=f.id.to_string()/>
                            <button type="submit" class="button primary">"Mark done"</button>
                        </ActionForm>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// The seat dashboard's card of follow-ups outstanding, each kind linking to its list.
#[component]
pub(super) fn FollowUpsCard(gss: String, counts: Vec<FollowUpCount>, lists: bool) -> impl IntoView {
    let base = format!("/dashboard/seats/{gss}/follow-ups");
    let csv = format!("/dashboard/export/{gss}/follow-ups.csv");
    let open: i64 = counts.iter().map(|c| c.open).sum();
    // Regional staff get the counts; the lists (names, addresses, notes) are the seat's.
    let total = view! { <span data-stat="follow-ups-open">{thousands(open)}</span> " open" };
    view! {
        <section class="card" aria-labelledby="follow-ups-h">
            <div class="card-head">
                <h2 id="follow-ups-h">"Follow-ups outstanding"</h2>
                {lists.then(|| view! { <a class="csv" href=csv download>"Download CSV"</a> })}
            </div>
            {if lists {
                view! {
                    <p class="muted">
                        "What voters asked us to do. Open one to see the doors in round order and mark each done. "
                        <a href=base.clone()>"All " {total}</a>
                    </p>
                }.into_any()
            } else {
                view! {
                    <p class="muted">"What voters asked us to do, counted. The seat's organisers see who and where. " {total}</p>
                }.into_any()
            }}
            {counts.is_empty().then(|| view! { <p>"None recorded yet."</p> })}
            {(!counts.is_empty()).then(|| view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label="Follow-ups by kind">
                    <table class="data" id="follow-ups">
                        <caption class="visually-hidden">"Follow-ups by kind"</caption>
                        <thead><tr>
                            <th scope="col">"Follow-up"</th><th scope="col" class="num">"Open"</th>
                            <th scope="col" class="num">"Done"</th><th scope="col">"Waiting since"</th>
                        </tr></thead>
                        <tbody>
                            {counts.into_iter().map(|c| view! {
                                <tr data-follow-up=c.kind.clone()>
                                    <th scope="row">{if lists {
                                        view! { <a href=format!("{base}?kind={}", c.kind)>{follow_up_label(&c.kind)}</a> }.into_any()
                                    } else {
                                        follow_up_label(&c.kind).into_any()
                                    }}</th>
                                    <td class="num" data-col="open">{thousands(c.open)}</td>
                                    <td class="num" data-col="done">{thousands(c.done)}</td>
                                    <td data-col="since">{c.oldest_open.map(|t| t.format("%-d %b").to_string()).unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}

/// Issues charted as lines: the most raised, so the chart stays readable.
const ISSUES_CHARTED: usize = 5;

/// The seat dashboard's card of the issues voters raise and how that changes by week.
#[component]
pub(super) fn IssuesCard(
    gss: String,
    issues: Vec<IssueTrend>,
    weeks: Vec<chrono::NaiveDate>,
) -> impl IntoView {
    let charted: Vec<IssueTrend> = issues.iter().take(ISSUES_CHARTED).cloned().collect();
    let labels: Vec<String> = weeks.iter().map(|m| m.format("%-d %b").to_string()).collect();
    let series: Vec<(String, Vec<i64>)> =
        charted.iter().map(|t| (t.label.clone(), t.weekly.clone())).collect();
    let svg = super::chart::line_chart(
        "issues-chart",
        "Issues raised per week",
        "How often voters raised each of the most raised issues in each week, starting on Monday, over the last twelve weeks",
        &labels,
        &series,
        3,
    );
    let csv = format!("/dashboard/export/{gss}/issues.csv");
    if issues.is_empty() {
        return view! {
            <section class="card" aria-labelledby="issues-h">
                <h2 id="issues-h">"The issues voters raise"</h2>
                <p>"None recorded yet."</p>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="card" aria-labelledby="issues-h">
            <div class="card-head">
                <h2 id="issues-h">"The issues voters raise"</h2>
                <a class="csv" href=csv download>"Download CSV"</a>
            </div>
            <div class="chart-with-table">
                <figure>
                    <div inner_html=svg></div>
                    <figcaption class="map-key">
                        {charted.iter().zip(super::chart::SERIES).map(|(t, (colour, _))| view! {
                            <span class="key-item"><span class="swatch" style=format!("background:{colour}")></span>{t.label.clone()}</span>
                        }).collect_view()}
                    </figcaption>
                    <details>
                        <summary>"Weekly numbers"</summary>
                        <div class="table-wrap" tabindex="0" role="region" aria-label="The issues voters raise, week by week">
                            <table class="data" id="issues-weekly">
                                <thead><tr>
                                    <th scope="col">"Week starting"</th>
                                    {charted.iter().map(|t| view! { <th scope="col" class="num">{t.label.clone()}</th> }).collect_view()}
                                </tr></thead>
                                <tbody>
                                    {weeks.iter().enumerate().map(|(w, monday)| view! {
                                        <tr data-week=monday.to_string()>
                                            <th scope="row">{monday.format("%-d %B %Y").to_string()}</th>
                                            {charted.iter().map(|t| view! {
                                                <td class="num" data-issue=t.issue.clone()>{thousands(t.weekly.get(w).copied().unwrap_or(0))}</td>
                                            }).collect_view()}
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    </details>
                </figure>
                <div class="table-wrap" tabindex="0" role="region" aria-label="Issues raised, in all and recently">
                    <table class="data" id="issues">
                        <caption class="visually-hidden">"Issues raised, in all and recently"</caption>
                        <thead><tr>
                            <th scope="col">"Issue"</th><th scope="col" class="num">"In all"</th>
                            <th scope="col" class="num">"Last 4 weeks"</th><th scope="col" class="num">"4 weeks before"</th>
                        </tr></thead>
                        <tbody>
                            {issues.into_iter().map(|t| { let (recent, before) = t.recent_and_before(); view! {
                                <tr data-issue=t.issue.clone()>
                                    <th scope="row">{t.label.clone()}</th>
                                    <td class="num" data-col="raised">{thousands(t.raised)}</td>
                                    <td class="num" data-col="recent">{thousands(recent)}</td>
                                    <td class="num" data-col="before">{thousands(before)}</td>
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                </div>
            </div>
        </section>
    }
    .into_any()
}
