//! The seat list and the seat overview.

use super::{get_seat_overview, list_seats, ElectionResult, SeatChecklist, SeatOverview, SeatSummary};
use crate::format::thousands;
use crate::layout::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SeatsPage() -> impl IntoView {
    view! {
        <Title text="Seats"/>
        <h1>"Target seats"</h1>
        <SeatsList/>
    }
}

/// The seats the signed-in user may see, most winnable first.
#[component]
pub fn SeatsList() -> impl IntoView {
    let seats = Resource::new(|| (), |_| list_seats());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match seats.await {
                    Ok(seats) if seats.is_empty() => view! {
                        <p class="card">"No seats are in your patch yet. Ask an admin to add you to a seat or region."</p>
                    }.into_any(),
                    Ok(seats) => view! { <SeatTable seats/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SeatTable(seats: Vec<SeatSummary>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data">
                <caption class="visually-hidden">"Seats in your patch, smallest majority first"</caption>
                <thead>
                    <tr><th scope="col">"Seat"</th><th scope="col">"Region"</th><th scope="col">"Held by"</th><th scope="col" class="num">"Majority"</th></tr>
                </thead>
                <tbody>
                    {seats.into_iter().map(|s| view! {
                        <tr>
                            <th scope="row"><a href=format!("/seats/{}", s.gss_code)>{s.name}</a></th>
                            <td>{s.region.unwrap_or_default()}</td>
                            <td>{s.winner.map(|w| format!("{w} ({})", s.result_year.unwrap_or_default())).unwrap_or_else(|| "—".into())}</td>
                            <td class="num">{s.majority.map(thousands).unwrap_or_else(|| "—".into())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn SeatPage() -> impl IntoView {
    let params = use_params_map();
    let overview = Resource::new(move || params.read().get("gss").unwrap_or_default(), get_seat_overview);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => view! { <Overview overview/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(overview: SeatOverview) -> impl IntoView {
    let SeatOverview { seat, results, counts, wards, checklist, can_manage_register } = overview;
    let electors = counts.electors;
    let last = results.first().cloned();
    let stats = [
        ("Electors", counts.electors),
        ("Households", counts.households),
        ("Volunteers", counts.volunteers),
        ("Conversations", counts.conversations),
        ("Walk lists", counts.walk_lists),
    ];
    view! {
        <Title text=seat.name.clone()/>
        <header class="page-head">
            <p class="eyebrow">{seat.region.clone().unwrap_or_default()} " · " {seat.gss_code.clone()}</p>
            <h1>{seat.name.clone()}</h1>
            {last.map(|r| view! {
                <p class="lede">
                    {r.winner.clone()} " held the seat in " {r.year} " by "
                    <strong class="majority">{thousands(r.majority)}</strong> " votes over " {r.runner_up.clone()} "."
                </p>
            })}
        </header>
        {can_manage_register.then(|| view! {
            <p class="actions">
                <a class="button primary" href=format!("/seats/{}/map", seat.gss_code) rel="external">"Map and walk lists"</a>
                <a class="button secondary" href=format!("/seats/{}/register", seat.gss_code)>"Electoral register: import and export"</a>
                <a class="button secondary" href=format!("/seats/{}/volunteers", seat.gss_code)>"Volunteers"</a>
                <a class="button secondary" href=format!("/seats/{}/sessions", seat.gss_code)>"Canvass sessions"</a>
                <a class="button secondary" href=format!("/dashboard/seats/{}", seat.gss_code)>"Seat dashboard"</a>
                <a class="button secondary" href=format!("/dashboard/seats/{}/follow-ups", seat.gss_code)>"Follow-ups"</a>
                <a class="button secondary" href=format!("/seats/{}/electors", seat.gss_code)>"Find an elector"</a>
                <a class="button secondary" href=format!("/seats/{}/polling-day", seat.gss_code)>"Polling day"</a>
            </p>
        })}
        <Checklist gss=seat.gss_code.clone() electors checklist/>
        <section aria-labelledby="counts-h">
            <h2 id="counts-h" class="visually-hidden">"What is loaded"</h2>
            <ul class="stats">
                {stats.into_iter().map(|(label, n)| view! {
                    <li class="stat"><span class="stat-n">{thousands(n)}</span><span class="stat-label">{label}</span></li>
                }).collect_view()}
            </ul>
        </section>
        <section class="card" aria-labelledby="results-h">
            <h2 id="results-h">"Past results"</h2>
            <ResultsTable results/>
        </section>
        <section class="card" aria-labelledby="wards-h">
            <h2 id="wards-h">"Wards"</h2>
            <div class="table-wrap">
                <table class="data">
                    <thead><tr><th scope="col">"Ward"</th><th scope="col" class="num">"Households"</th><th scope="col" class="num">"Electors"</th></tr></thead>
                    <tbody>
                        {wards.into_iter().map(|w| view! {
                            <tr><th scope="row">{w.name}</th><td class="num">{thousands(w.households)}</td><td class="num">{thousands(w.electors)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

fn plural(n: i64, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// What the seat still needs, each step done or not, with where to do it.
#[component]
fn Checklist(gss: String, electors: i64, checklist: SeatChecklist) -> impl IntoView {
    let c = checklist;
    let households = c.households_placed + c.households_unplaced;
    let steps = [
        (
            "register",
            "Electoral register imported",
            electors > 0,
            if electors > 0 { format!("{} electors", thousands(electors)) } else { "No electors yet".into() },
            format!("/seats/{gss}/register"),
            "Import the register",
        ),
        (
            "postcodes",
            "Postcodes loaded for the map",
            households > 0 && c.households_unplaced == 0,
            format!(
                "{} households placed, {} not placed",
                thousands(c.households_placed),
                thousands(c.households_unplaced)
            ),
            format!("/seats/{gss}/register"),
            "Load postcodes (groundwork import postcodes FILE)",
        ),
        (
            "organiser",
            "An organiser assigned",
            c.organisers > 0,
            plural(c.organisers, "organiser"),
            "/people".to_string(),
            "Invite an organiser",
        ),
        (
            "session",
            "A canvass session planned",
            c.canvass_sessions > 0,
            plural(c.canvass_sessions, "session"),
            format!("/seats/{gss}/sessions"),
            "Plan a session",
        ),
    ];
    let left = steps.iter().filter(|s| !s.2).count();
    view! {
        <section class="card checklist" aria-labelledby="checklist-h">
            <h2 id="checklist-h">"Getting the seat ready"</h2>
            <p class="muted">{if left == 0 { "Everything is in place.".to_string() } else { format!("{left} of 4 steps still to do.") }}</p>
            <ul class="plain-list">
                {steps.into_iter().map(|(key, label, done, detail, href, action)| view! {
                    <li class="check" class:done=done data-step=key>
                        <span class="check-mark" aria-hidden="true">{if done { "✓" } else { "○" }}</span>
                        <span><strong>{label}</strong> <span class="visually-hidden">{if done { " (done)" } else { " (not done)" }}</span>
                            " · " <span class="muted">{detail}</span>
                            {(!done).then(|| view! { " · " <a href=href>{action}</a> })}
                        </span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

#[component]
fn ResultsTable(results: Vec<ElectionResult>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data results">
                <thead>
                    <tr>
                        <th scope="col">"Year"</th><th scope="col">"Winner"</th><th scope="col">"Runner-up"</th>
                        <th scope="col" class="num">"Majority"</th><th scope="col" class="num">"Electorate"</th><th scope="col" class="num">"Turnout"</th>
                    </tr>
                </thead>
                <tbody>
                    {results.into_iter().map(|r| {
                        let turnout = format!("{:.1}%", r.turnout_percent());
                        view! {
                            <tr data-year=r.year>
                                <th scope="row">{r.year}</th>
                                <td>{r.winner} " " <span class="muted">{thousands(r.winner_votes)}</span></td>
                                <td>{r.runner_up} " " <span class="muted">{thousands(r.runner_up_votes)}</span></td>
                                <td class="num majority">{thousands(r.majority)}</td>
                                <td class="num">{thousands(r.electorate)}</td>
                                <td class="num">{turnout}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
