//! The region's polling-day screens: one for a desk or a phone, and a wall screen in big
//! type. Both refresh themselves every two minutes with no script (a meta refresh), so a
//! screen in a regional office keeps up without a touch.

use super::region::{RegionPollingDay, RegionSeat};
use super::region_polling_day;
use crate::format::{thousands, url_part};
use crate::layout::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// Seconds between refreshes: the figures move by the minute, the region by the hour.
const REFRESH: &str = "120";

#[component]
pub fn RegionPollingDayPage() -> impl IntoView {
    view! { <Region wall=false/> }
}

#[component]
pub fn RegionWallScreenPage() -> impl IntoView {
    view! { <Region wall=true/> }
}

#[component]
fn Region(wall: bool) -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || params.read().get("region").unwrap_or_default(), region_polling_day);
    view! {
        <Meta http_equiv="refresh" content=REFRESH/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(day) => view! { <Figures day wall/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn percent(share: Option<f64>) -> String {
    share.map(|s| format!("{:.0}%", s * 100.0)).unwrap_or_else(|| "—".into())
}

fn share(part: f64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part / whole as f64)
}

#[component]
fn Figures(day: RegionPollingDay, wall: bool) -> impl IntoView {
    let total = day.total();
    let path = format!("/regions/{}/polling-day", url_part(&day.region));
    let (other, other_label) =
        if wall { (path, "Desk view") } else { (format!("{path}/wall"), "Wall screen") };
    let none = day.seats.is_empty();
    view! {
        <Title text=format!("Polling day · {}", day.region)/>
        <div class="region-poll" class:wall=wall>
            <header class="page-head">
                <p class="eyebrow">{day.region.clone()} " · polling day"</p>
                <h1>"Which seat needs help"</h1>
                <p class="muted">
                    "Seats with most of their remaining promises still needed come first. As of "
                    {day.as_of.format("%H:%M UTC").to_string()} "; the page refreshes every two minutes. "
                    <a href=other>{other_label}</a> " · " <a href="/dashboard">"League table"</a>
                </p>
            </header>
            <section class="stats stats-4" aria-label="The region's totals">
                <Stat n=thousands(total.promises) label="promises".to_string() key="promises"/>
                <Stat n=thousands(total.known_voted) label="known voted".to_string() key="known"/>
                <Stat n=thousands(total.estimated_voted.round() as i64) label=format!("estimated voted ({} of promises)", percent(share(total.estimated_voted, total.promises))) key="estimated"/>
                <Stat n=percent(total.coverage) label="of papers seen by tellers".to_string() key="coverage"/>
            </section>
            {none.then(|| view! { <p class="card">"No seat in this region has its polling day set up yet."</p> })}
            <ol class="region-seats" aria-label="Seats, the one that most needs help first">
                {day.seats.into_iter().map(|s| view! { <SeatCard s/> }).collect_view()}
            </ol>
            {(day.not_set_up > 0).then(|| view! {
                <p class="muted">{format!("{} more seat{} in the region {} no polling-day set-up, so {} not counted here.",
                    day.not_set_up, if day.not_set_up == 1 { "" } else { "s" },
                    if day.not_set_up == 1 { "has" } else { "have" }, if day.not_set_up == 1 { "it is" } else { "they are" })}</p>
            })}
            <p class="muted small">"Estimated voted: each ballot box’s turnout estimate (tellers’ numbers corrected for their coverage of the box count, with at least those known to have voted). Coverage: of the papers issued from boxes counted so far, the share the tellers took a number from. Still needed: the win number less the promises estimated to have voted. Figures only: no voter is named here."</p>
        </div>
    }
}

#[component]
fn Stat(n: String, label: String, key: &'static str) -> impl IntoView {
    view! {
        <div class="stat" data-total=key>
            <span class="stat-n">{n}</span>
            <span class="stat-label">{label}</span>
        </div>
    }
}

#[component]
fn SeatCard(s: RegionSeat) -> impl IntoView {
    let need = s.need_label();
    let urgent = matches!(need, "needs help" | "short even if every promise left votes");
    let still = s.still_needed.map(thousands).unwrap_or_else(|| "—".into());
    let win = s.win_number.map(thousands).unwrap_or_else(|| "—".into());
    view! {
        <li class="card region-seat" data-seat=s.gss_code.clone() data-need=need class:urgent=urgent>
            <h2><a href=format!("/seats/{}/polling-day", s.gss_code)>{s.name.clone()}</a></h2>
            <p class="need"><strong>{need}</strong>
                // Past 100% the share means nothing more than the words already say.
                {s.need().filter(|n| *n > 0.0 && *n < 1.0).map(|n| format!(" · needs {:.0}% of the promises left", n * 100.0))}</p>
            <dl class="region-figures">
                <div><dt>"Promises"</dt><dd data-col="promises">{thousands(s.promises)}</dd></div>
                <div><dt>"Known voted"</dt><dd data-col="known">{thousands(s.known_voted)}</dd></div>
                <div><dt>"Estimated voted"</dt><dd data-col="estimated">{thousands(s.estimated_voted.round() as i64)}</dd></div>
                <div><dt>"Tellers’ coverage"</dt><dd data-col="coverage">{percent(s.coverage)}</dd></div>
                <div><dt>"Still needed / win number"</dt><dd data-col="still-needed">{still} " / " {win}</dd></div>
                <div><dt>"Boxes counted"</dt><dd data-col="boxes">{format!("{} of {}", s.boxes_counted, s.boxes)}</dd></div>
            </dl>
        </li>
    }
}
