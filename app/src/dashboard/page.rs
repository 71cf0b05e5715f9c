//! The seat dashboard: where one seat's canvass stands against its win number.

use super::chart::{self, party_label};
use super::follow_ups::{FollowUpsCard, IssuesCard};
use super::{get_seat_dashboard, progress_percent, weekly, AreaProgress, SeatDashboard, WinNumber};
use crate::format::thousands;
use crate::layout::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// A percentage with one decimal, or a dash when there is nothing to divide.
pub fn percent(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}%")).unwrap_or_else(|| "—".into())
}

#[component]
pub fn SeatDashboardPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || params.read().get("gss").unwrap_or_default(), get_seat_dashboard);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Dashboard d/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Dashboard(d: SeatDashboard) -> impl IntoView {
    let t = d.totals;
    let progress = progress_percent(t.supporters, d.win.as_ref());
    let stats = vec![
        ("electorate", "Electorate", thousands(d.electorate)),
        ("knocks", "Doors knocked", thousands(t.knocks)),
        ("spoke", "People spoken to", thousands(t.spoke)),
        ("contact-rate", "Contact rate", percent(t.contact_rate())),
        ("supporters", "Supporters identified", thousands(t.supporters)),
        (
            "win-number",
            "Win number",
            d.win.as_ref().map(|w| thousands(w.win_number)).unwrap_or_else(|| "—".into()),
        ),
    ];
    let export = |table: &str| format!("/dashboard/export/{}/{table}.csv", d.gss_code);
    let (wards_csv, districts_csv) = (export("wards"), export("districts"));
    let head = view! {
        <Title text=format!("{} dashboard", d.name)/>
        <header class="page-head">
            <p class="eyebrow">{d.region.clone().unwrap_or_default()} " · " {d.gss_code.clone()}</p>
            <h1>{d.name.clone()} " dashboard"</h1>
            <p class="muted">
                <a href=format!("/seats/{}", d.gss_code)>"Seat overview"</a> " · "
                <a href="/dashboard">"League table"</a> " · "
                "Counted from every recorded conversation as you load this page."
            </p>
        </header>
        <ul class="stats stats-6" aria-label="Headline figures">
            {stats.into_iter().map(|(key, label, value)| view! {
                <li class="stat"><span class="stat-n" data-stat=key>{value}</span><span class="stat-label">{label}</span></li>
            }).collect_view()}
        </ul>
    }
    .into_any();
    let summary = view! {
        <div class="dash-grid">
            {d.win.clone().map(|w| view! { <WinCard w supporters=t.supporters progress/> })}
            <IntentionCard d=d.clone()/>
        </div>
    }
    .into_any();
    let areas = view! {
        <section class="card" aria-labelledby="wards-h">
            <div class="card-head">
                <h2 id="wards-h">"Progress by ward"</h2>
                <a class="csv" href=wards_csv download>"Download CSV"</a>
            </div>
            <div class="chart-with-table">
                <figure class="map-figure">
                    <div inner_html=ward_map(&d.wards)></div>
                    <figcaption><MapKey/></figcaption>
                </figure>
                <AreaTable areas=d.wards.clone() caption="Wards" district=false/>
            </div>
        </section>
        <section class="card" aria-labelledby="districts-h">
            <div class="card-head">
                <h2 id="districts-h">"Progress by polling district"</h2>
                <a class="csv" href=districts_csv download>"Download CSV"</a>
            </div>
            <AreaTable areas=d.districts.clone() caption="Polling districts" district=true/>
        </section>
    }
    .into_any();
    let over_time = view! { <OverTime d=d.clone()/> }.into_any();
    let volunteers = view! {
        <section class="card" aria-labelledby="vols-h">
            <h2 id="vols-h">"Volunteers"</h2>
            <ul class="stats stats-4" aria-label="Volunteer figures">
                <li class="stat"><span class="stat-n" data-stat="volunteers-active">{thousands(d.volunteers.active)}</span><span class="stat-label">"Active in the last 28 days"</span></li>
                <li class="stat"><span class="stat-n" data-stat="sessions-run">{thousands(d.volunteers.sessions_run)}</span><span class="stat-label">"Sessions run"</span></li>
                <li class="stat"><span class="stat-n" data-stat="volunteer-hours">{format!("{:.1}", d.volunteers.hours)}</span><span class="stat-label">"Volunteer hours"</span></li>
                <li class="stat"><span class="stat-n" data-stat="doors-per-hour">{d.doors_per_volunteer_hour().map(|v| format!("{v:.1}")).unwrap_or_else(|| "—".into())}</span><span class="stat-label">"Doors per volunteer hour"</span></li>
            </ul>
        </section>
    }
    .into_any();
    let voters = view! {
        <FollowUpsCard gss=d.gss_code.clone() counts=d.follow_ups.clone() lists=d.names_shown/>
        <IssuesCard gss=d.gss_code.clone() issues=d.issues.clone() weeks=d.issue_weeks.clone()/>
    }
    .into_any();
    view! { {head} {summary} {voters} {areas} {over_time} {volunteers} }
}

fn ward_map(wards: &[AreaProgress]) -> String {
    let shapes: Vec<(String, String, Option<f64>)> = wards
        .iter()
        .filter_map(|w| Some((w.name.clone(), w.outline.clone()?, w.tally.contact_rate())))
        .collect();
    if shapes.is_empty() {
        return "<p class=\"muted\">No ward boundaries are loaded for this seat.</p>".into();
    }
    chart::ward_map("ward-map", "Wards shaded by contact rate", &shapes)
}

#[component]
fn MapKey() -> impl IntoView {
    let bands = ["0–20%", "20–40%", "40–60%", "60–80%", "80–100%"];
    view! {
        <span class="map-key">
            "Contact rate: "
            {chart::SHADES.iter().zip(bands).map(|(colour, band)| view! {
                <span class="key-item"><span class="swatch" style=format!("background:{colour}")></span>{band}</span>
            }).collect_view()}
        </span>
    }
}

#[component]
fn WinCard(w: WinNumber, supporters: i64, progress: Option<f64>) -> impl IntoView {
    let bar = chart::progress_bar(
        "win-bar",
        "Supporters identified against the win number",
        supporters,
        w.win_number,
    );
    let still = (w.win_number - supporters).max(0);
    view! {
        <section class="card win" aria-labelledby="win-h">
            <h2 id="win-h">"The win number"</h2>
            <p class="win-line">
                <strong data-win="supporters">{thousands(supporters)}</strong> " supporters of "
                <strong data-win="target">{thousands(w.win_number)}</strong> " needed · "
                <strong data-win="progress">{percent(progress)}</strong> " · "
                <span data-win="still">{thousands(still)}</span> " still to find"
            </p>
            <div inner_html=bar></div>
            <h3>"How it is worked out"</h3>
            <p class="formula">
                "Win number = " {w.rival.clone()} "’s share of the valid vote in " {w.year}
                " × valid votes expected at " {w.year} "’s turnout on today’s electorate + 1"
            </p>
            <dl class="workings">
                <dt>"Last result (" {w.year} ")"</dt>
                <dd>
                    {if w.held_by_us { "We held the seat by " } else { "To overturn: " }}
                    <span data-win="majority">{thousands(w.majority)}</span> " ("
                    {w.winner.clone()} " over " {w.runner_up.clone()} ")"
                </dd>
                <dt>"Turnout then"</dt>
                <dd>{thousands(w.last_votes_cast)} " of " {thousands(w.last_electorate)} " = " {format!("{:.1}%", w.last_turnout_percent())}</dd>
                <dt>"Votes expected now"</dt>
                <dd>{thousands(w.electorate)} " electors × " {format!("{:.1}%", w.last_turnout_percent())} " ≈ " {thousands(w.expected_votes_cast)} " cast, " {thousands(w.expected_valid_votes)} " valid"</dd>
                <dt>{w.rival.clone()} "’s share"</dt>
                <dd>{thousands(w.rival_votes)} " of " {thousands(w.last_valid_votes)} " = " {format!("{:.1}%", w.rival_share_percent())}</dd>
                <dt>"Win number"</dt>
                <dd>{thousands(w.rival_votes)} " × " {thousands(w.electorate)} " ÷ " {thousands(w.last_electorate)} ", rounded down, + 1 = " <strong>{thousands(w.win_number)}</strong></dd>
            </dl>
        </section>
    }
}

#[component]
fn IntentionCard(d: SeatDashboard) -> impl IntoView {
    let svg =
        chart::intention_chart("intention-chart", "Voting intention of electors spoken to", &d.intentions);
    let total: i64 = d.intentions.iter().map(|r| r.said + r.inferred).sum();
    view! {
        <section class="card" aria-labelledby="intention-h">
            <h2 id="intention-h">"Voting intention"</h2>
            <p class="muted">"Each elector once, by their latest recorded intention. Solid: they said so; pale: the canvasser inferred it."</p>
            <div inner_html=svg></div>
            // Focusable and named: a keyboard can scroll it when it is wider than a phone.
            <div class="table-wrap" tabindex="0" role="region" aria-label="Voting intention, said and inferred">
                <table class="data" id="intentions">
                    <caption class="visually-hidden">"Voting intention, said and inferred"</caption>
                    <thead><tr><th scope="col">"Party"</th><th scope="col" class="num">"Said"</th><th scope="col" class="num">"Inferred"</th><th scope="col" class="num">"Total"</th></tr></thead>
                    <tbody>
                        {d.intentions.into_iter().map(|r| view! {
                            <tr data-party=r.party.clone()>
                                <th scope="row">{party_label(&r.party)}</th>
                                <td class="num said">{thousands(r.said)}</td>
                                <td class="num inferred">{thousands(r.inferred)}</td>
                                <td class="num total">{thousands(r.said + r.inferred)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                    <tfoot><tr><th scope="row">"Electors with an intention"</th><td></td><td></td><td class="num" data-stat="with-intention">{thousands(total)}</td></tr></tfoot>
                </table>
            </div>
        </section>
    }
}

#[component]
fn AreaTable(areas: Vec<AreaProgress>, caption: &'static str, district: bool) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=caption>
            <table class="data areas">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{if district { "District" } else { "Ward" }}</th>
                        {district.then(|| view! { <th scope="col">"Ward"</th> })}
                        <th scope="col" class="num">"Households"</th>
                        <th scope="col" class="num">"Electors"</th>
                        <th scope="col" class="num">"Knocked"</th>
                        <th scope="col" class="num">"Spoke"</th>
                        <th scope="col" class="num">"Contact"</th>
                        <th scope="col" class="num">"Supporters"</th>
                    </tr>
                </thead>
                <tbody>
                    {areas.into_iter().map(|a| view! {
                        <tr data-area=a.code.clone()>
                            <th scope="row">{if district { format!("{} {}", a.code, a.name) } else { a.name.clone() }}</th>
                            {district.then(|| view! { <td>{a.ward.clone()}</td> })}
                            <td class="num" data-col="households">{thousands(a.households)}</td>
                            <td class="num" data-col="electors">{thousands(a.electors)}</td>
                            <td class="num" data-col="knocks">{thousands(a.tally.knocks)}</td>
                            <td class="num" data-col="spoke">{thousands(a.tally.spoke)}</td>
                            <td class="num" data-col="contact">{percent(a.tally.contact_rate())}</td>
                            <td class="num" data-col="supporters">{thousands(a.tally.supporters)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn OverTime(d: SeatDashboard) -> impl IntoView {
    let weeks = weekly(&d.days);
    let week_bars: Vec<(String, i64)> =
        weeks.iter().map(|(monday, n)| (monday.format("%-d %b").to_string(), *n)).collect();
    let day_bars: Vec<(String, i64)> =
        d.days.iter().map(|c| (c.day.format("%-d %b").to_string(), c.conversations)).collect();
    let week_svg = chart::bar_chart(
        "weekly-chart",
        "Conversations per week",
        "Conversations recorded in each week, starting on Monday, over the last twelve weeks",
        &week_bars,
        2,
    );
    let day_svg = chart::bar_chart(
        "daily-chart",
        "Conversations per day",
        "Conversations recorded on each day over the last twelve weeks",
        &day_bars,
        14,
    );
    let weekly_figure = view! {
                <figure>
                    <div inner_html=week_svg></div>
                    <details>
                        <summary>"Weekly numbers"</summary>
                        <table class="data" id="weekly">
                            <thead><tr><th scope="col">"Week starting"</th><th scope="col" class="num">"Conversations"</th></tr></thead>
                            <tbody>
                                {weeks.into_iter().map(|(monday, n)| view! {
                                    <tr data-week=monday.to_string()><th scope="row">{monday.format("%-d %B %Y").to_string()}</th><td class="num">{thousands(n)}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </details>
                </figure>
    }
    .into_any();
    let daily_figure = view! {
                <figure>
                    <div inner_html=day_svg></div>
                    <details>
                        <summary>"Daily numbers"</summary>
                        <table class="data" id="daily">
                            <thead><tr><th scope="col">"Day"</th><th scope="col" class="num">"Conversations"</th></tr></thead>
                            <tbody>
                                {d.days.into_iter().rev().map(|c| view! {
                                    <tr data-day=c.day.to_string()><th scope="row">{c.day.format("%a %-d %b").to_string()}</th><td class="num">{thousands(c.conversations)}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </details>
                </figure>
    }
    .into_any();
    view! {
        <section class="card" aria-labelledby="time-h">
            <h2 id="time-h">"Conversations over time"</h2>
            <div class="chart-pair">{weekly_figure} {daily_figure}</div>
        </section>
    }
}
