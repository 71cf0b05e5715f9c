//! The league table of target seats, sortable by link so that it works without JavaScript.

use super::chart;
use super::page::percent;
use super::{get_league_table, LeagueSort, LeagueTable, TREND_DAYS};
use crate::format::{thousands, url_part};
use crate::layout::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LeaguePage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (q.get("sort").unwrap_or_default(), q.get("region").filter(|r| !r.is_empty()))
        },
        |(sort, region)| get_league_table(sort, region),
    );
    view! {
        <Title text="League table"/>
        <header class="page-head">
            <p class="eyebrow">"Target seats"</p>
            <h1>"League table"</h1>
            <p class="muted">"Counted from every recorded conversation as you load this page. Choose a column heading to sort; choose a seat for its dashboard."</p>
        </header>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(table) => view! { <League table/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn href(sort: LeagueSort, region: Option<&str>) -> String {
    match region {
        Some(r) => format!("?sort={}&region={}", sort.as_str(), url_part(r)),
        None => format!("?sort={}", sort.as_str()),
    }
}

#[component]
fn League(table: LeagueTable) -> impl IntoView {
    let LeagueTable { rows, sort, regions, region } = table;
    let csv = match &region {
        Some(r) => format!("/dashboard/export/league.csv?sort={}&region={}", sort.as_str(), url_part(r)),
        None => format!("/dashboard/export/league.csv?sort={}", sort.as_str()),
    };
    let heading_region = region.clone();
    let heading = move |key: LeagueSort, label: &'static str, numeric: bool| {
        let current = key == sort;
        let region = heading_region.clone();
        let order = match (current, key) {
            (false, _) => "none",
            (true, LeagueSort::Name | LeagueSort::Majority) => "ascending",
            (true, _) => "descending",
        };
        view! {
            <th scope="col" class:num=numeric aria-sort=order>
                <a href=href(key, region.as_deref()) aria-current=current.then_some("true")>{label}{current.then_some(if order == "ascending" { " ▲" } else { " ▼" })}</a>
            </th>
        }
        .into_any()
    };
    // Each region's polling day, beside its league (the one chosen, or every one in the patch).
    let polling_day: Vec<String> = match &region {
        Some(r) => vec![r.clone()],
        None => regions.clone(),
    };
    let polling_day = (!polling_day.is_empty()).then(|| {
        view! {
            <p class="region-polling-day">"Polling day: "
                {polling_day.into_iter().map(|r| view! {
                    <a href=format!("/regions/{}/polling-day", url_part(&r))>{r.clone()}</a> " "
                }).collect_view()}
            </p>
        }
    });
    let filter = (regions.len() > 1).then(|| {
        let selected = region.clone();
        view! {
            <nav class="region-filter" aria-label="Regions">
                <a href=href(sort, None) aria-current=selected.is_none().then_some("page")>"All regions"</a>
                {regions.into_iter().map(|r| {
                    let current = selected.as_deref() == Some(r.as_str());
                    view! { <a href=href(sort, Some(&r)) aria-current=current.then_some("page")>{r.clone()}</a> }
                }).collect_view()}
            </nav>
        }
        .into_any()
    });
    if rows.is_empty() {
        return view! { <p class="card">"No target seats are in your patch yet."</p> }.into_any();
    }
    view! {
        {filter}
        {polling_day}
        <section class="card" aria-labelledby="league-h">
            <div class="card-head">
                <h2 id="league-h">{format!("{} target seat{}, ", rows.len(), if rows.len() == 1 { "" } else { "s" })} {sort.describe()}</h2>
                <a class="csv" href=csv download>"Download CSV"</a>
            </div>
            <div class="table-wrap">
                <table class="data league">
                    <caption class="visually-hidden">"Target seats: majority to overturn, contact rate, supporters against the win number, trend and volunteers"</caption>
                    <thead>
                        <tr>
                            {heading(LeagueSort::Name, "Seat", false)}
                            {heading(LeagueSort::Majority, "Majority", true)}
                            {heading(LeagueSort::Contact, "Contact rate", true)}
                            {heading(LeagueSort::Progress, "Supporters / win number", true)}
                            {heading(LeagueSort::Trend, "Last 14 days", true)}
                            {heading(LeagueSort::Volunteers, "Volunteers", true)}
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().enumerate().map(|(i, r)| {
                            let majority = match (&r.win, r.majority_to_overturn()) {
                                (_, Some(m)) => thousands(m),
                                (Some(w), None) => format!("held by {}", thousands(w.majority)),
                                (None, None) => "—".into(),
                            };
                            let spark = chart::sparkline(
                                &format!("trend-{i}"),
                                &format!("{}: conversations over the last {TREND_DAYS} days", r.name),
                                &r.trend,
                            );
                            let change = r.recent() - r.previous;
                            let win = r.win.as_ref().map(|w| thousands(w.win_number)).unwrap_or_else(|| "—".into());
                            view! {
                                <tr data-seat=r.gss_code.clone()>
                                    <th scope="row">
                                        <a href=format!("/dashboard/seats/{}", r.gss_code)>{r.name.clone()}</a>
                                        <span class="muted region">{r.region.clone().unwrap_or_default()}</span>
                                    </th>
                                    <td class="num" data-col="majority">{majority}</td>
                                    <td class="num" data-col="contact">{percent(r.tally.contact_rate())}</td>
                                    <td class="num" data-col="progress">
                                        <span data-col="supporters">{thousands(r.tally.supporters)}</span> " / "
                                        <span data-col="win-number">{win}</span>
                                        <span class="muted"> " (" {percent(r.progress())} ")"</span>
                                    </td>
                                    <td class="num trend" data-col="trend">
                                        <span inner_html=spark></span>
                                        <span data-col="recent">{thousands(r.recent())}</span>
                                        <span class="muted" data-col="change">{format!(" ({}{})", if change >= 0 { "+" } else { "−" }, thousands(change.abs()))}</span>
                                    </td>
                                    <td class="num" data-col="volunteers">{thousands(r.volunteers_active)}</td>
                                </tr>
                            }
                            .into_any()
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="muted small">"Majority: the last result’s majority we must overturn. Last 14 days: conversations, with the change on the 14 days before. Volunteers: attended a session in the last 28 days."</p>
        </section>
    }
    .into_any()
}
