//! The postal-vote screen: the chase queue of postal-vote promises (organisers record
//! what each said), the absent-voters list and marked register uploads, and the seat's
//! past turnout. Regional staff see the counts only. Plain HTML forms throughout.

use super::pages::Flash;
use super::postal::{postal_votes, status_label, ChaseLine, PostalView, STATUSES};
use crate::format::thousands;
use crate::layout::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PostalPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || params.read().get("gss").unwrap_or_default(), postal_votes);
    view! {
        <Flash/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Postal view/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Postal(view: PostalView) -> impl IntoView {
    let gss = view.gss_code.clone();
    let to_chase = view.promises - view.sent;
    view! {
        <Title text=format!("Postal votes · {}", view.seat_name)/>
        <header class="page-head">
            <p class="eyebrow">{view.seat_name.clone()} " · polling day"</p>
            <h1>"Postal votes"</h1>
            <p class="muted"><a href=format!("/seats/{gss}/polling-day")>"Polling-day dashboard"</a></p>
        </header>
        <section class="stats stats-wide" aria-label="Postal votes in the seat">
            <p class="stat"><span class="stat-n" data-stat="postal-voters">{thousands(view.postal_voters)}</span> <span class="stat-label">"postal voters"</span></p>
            <p class="stat"><span class="stat-n" data-stat="postal-promises">{thousands(view.promises)}</span> <span class="stat-label">"of them our promises"</span></p>
            <p class="stat"><span class="stat-n" data-stat="postal-sent">{thousands(view.sent)}</span> <span class="stat-label">"said it is sent"</span></p>
            <p class="stat"><span class="stat-n" data-stat="postal-to-chase">{thousands(to_chase)}</span>
                <span class="stat-label">"to chase (" {thousands(view.lost)} " lost, " {thousands(view.not_yet)} " not yet, " {thousands(view.not_asked)} " not asked)"</span></p>
        </section>
        {view.names_shown.then(|| view! { <Queue gss=gss.clone() queue=view.queue.clone()/> })}
        {view.names_shown.then(|| view! { <Imports gss=gss.clone()/> })}
        <section class="card" aria-labelledby="marked-h">
            <h2 id="marked-h">"Turnout at past elections"</h2>
            {if view.marked.is_empty() {
                view! { <p class="muted">"No marked register has been imported for this seat yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data">
                        <caption>"From each election's marked register. The latest gives the usual turnout in the promises-needed calculator."</caption>
                        <thead><tr><th scope="col">"Election"</th><th scope="col">"Date"</th><th scope="col" class="num">"Electors"</th><th scope="col" class="num">"Voted"</th><th scope="col" class="num">"Turnout"</th></tr></thead>
                        <tbody>{view.marked.into_iter().map(|m| view! {
                            <tr data-election=m.label.clone()>
                                <th scope="row">{m.label.clone()}</th>
                                <td>{m.election_date.format("%-d %B %Y").to_string()}</td>
                                <td class="num">{thousands(m.electorate)}</td>
                                <td class="num">{thousands(m.voted)}</td>
                                <td class="num">{if m.electorate > 0 { format!("{:.1}%", m.voted as f64 * 100.0 / m.electorate as f64) } else { "—".into() }}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Queue(gss: String, queue: Vec<ChaseLine>) -> impl IntoView {
    view! {
        <section aria-labelledby="queue-h">
            <h2 id="queue-h">"Chase queue"</h2>
            <p class="muted">"Our promises with a postal vote who have not said it is sent: lost ballots first (a replacement has a deadline), then “not yet”, then those not asked. Record what each says; “Sent” takes them off this list and off the polling-day knock-up."</p>
            {queue.is_empty().then(|| view! { <p class="card success" data-empty="queue">"Nobody to chase: every postal-vote promise has said their vote is sent."</p> })}
            <ul class="cards chase-queue">
                {queue.into_iter().map(|l| view! { <ChaseCard gss=gss.clone() line=l/> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn ChaseCard(gss: String, line: ChaseLine) -> impl IntoView {
    let last = match (&line.status, &line.at) {
        (Some(s), Some(at)) => format!(
            "{}: recorded by {} on {}",
            status_label(s),
            line.by.clone().unwrap_or_else(|| "a former user".into()),
            at.format("%-d %b at %H:%M")
        ),
        _ => "Not asked yet".into(),
    };
    let heading = format!("chase-{}", line.elector_id);
    view! {
        <li class="card" data-chase=line.number.clone() aria-labelledby=heading.clone()>
            <h3 id=heading.clone()>{line.name.clone()}</h3>
            <p>{line.address.clone()} " · " <span class="muted">{line.number.clone()}</span></p>
            <p class="muted" data-status=line.status.clone().unwrap_or_default()>{last}</p>
            <form method="post" action=format!("/seats/{gss}/polling-day/postal/chase") class="actions">
                <input type="hidden" name="elector_id" value=line.elector_id.to_string()/>
                {STATUSES.iter().map(|(code, label)| view! {
                    <button type="submit" name="status" value=*code
                        class=if *code == "sent" { "button primary" } else { "button secondary" }
                        aria-label=format!("{label}: {}", line.name)>{*label}</button>
                }).collect_view()}
            </form>
        </li>
    }
}

#[component]
fn Imports(gss: String) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="absent-h">
            <h2 id="absent-h">"Absent-voters list"</h2>
            <p class="muted">"The council's list of postal voters, as a CSV from its election software: the elector number (one column such as “AB-123/1”, or prefix, number and suffix columns), the surname, and the forename and postcode if it has them. Other columns are ignored. A new list replaces the last. A file with any unreadable row saves nothing and names each line and column; numbers not on this seat's register, or naming someone else, are listed and not imported."</p>
            <form class="stack" method="post" enctype="multipart/form-data" action=format!("/seats/{gss}/polling-day/postal/import")>
                <label for="absent-file">"Absent-voters list (CSV)"</label>
                <input id="absent-file" name="file" type="file" accept=".csv,.tsv,.txt,text/csv" required/>
                <button type="submit" class="button primary">"Import postal voters"</button>
            </form>
        </section>
        <section class="card" aria-labelledby="marked-import-h">
            <h2 id="marked-import-h">"Marked register"</h2>
            <p class="muted">"After an election: who voted, by elector number, with a “voted” column (yes or no) or listing only those who voted. It goes into each elector's turnout history. Importing the same election again replaces it."</p>
            <form class="stack" method="post" enctype="multipart/form-data" action=format!("/seats/{gss}/polling-day/marked-register")>
                <label for="marked-label">"Election"</label>
                <input id="marked-label" name="label" required maxlength="80" placeholder="General election 2024"/>
                <label for="marked-date">"Polling day"</label>
                <input id="marked-date" name="date" type="date" required/>
                <label for="marked-file">"Marked register (CSV)"</label>
                <input id="marked-file" name="file" type="file" accept=".csv,.tsv,.txt,text/csv" required/>
                <button type="submit" class="button primary">"Import marked register"</button>
            </form>
        </section>
    }
}
