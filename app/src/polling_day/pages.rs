//! The staff screens: the polling-day dashboard (a committee room's wall screen, or the
//! seat's, refreshed every minute) and the set-up. Their forms are plain HTML posts.

use super::knock_up::{promises_needed, Promises};
use super::{polling_day, polling_day_setup, BoxFigures, PollingDayView, RoomFigures, SetupView};
use crate::format::thousands;
use crate::layout::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// The page's `msg` or `error` after a form post.
#[component]
pub(super) fn Flash() -> impl IntoView {
    let query = use_query_map();
    move || {
        let q = query.read();
        match (q.get("error"), q.get("msg")) {
            (Some(e), _) => {
                Some(view! { <p class="error" role="alert" data-flash="error">{e}</p> }.into_any())
            }
            (None, Some(m)) => {
                Some(view! { <p class="card success" role="status" data-flash="msg">{m}</p> }.into_any())
            }
            _ => None,
        }
    }
}

/// Votes needed = win number ÷ usual turnout: the promises a seat must have to win if
/// promises turn out as usual. Changeable on the page (a plain GET form).
#[component]
pub(super) fn Calculator(
    action: String,
    win: Option<i64>,
    turnout: Option<f64>,
    promises: i64,
) -> impl IntoView {
    let query = use_query_map();
    let win = query.read_untracked().get("win").and_then(|v| v.parse::<i64>().ok()).or(win).unwrap_or(0);
    let turnout =
        query.read_untracked().get("turnout").and_then(|v| v.parse::<f64>().ok()).or(turnout).unwrap_or(0.0);
    let needed = promises_needed(win, turnout);
    view! {
        <section class="card calculator" aria-labelledby="calc-h">
            <h2 id="calc-h">"Promises needed"</h2>
            <p data-stat="needed">
                {thousands(win)} " votes to win ÷ " {format!("{turnout:.1}")} "% usual turnout = "
                <strong>{needed.map(thousands).unwrap_or_else(|| "—".into())}</strong> " promises needed; we have "
                <strong>{thousands(promises)}</strong> "."
            </p>
            <form method="get" action=action class="inline-form">
                <label>"Votes to win " <input type="number" name="win" min="0" value=win.to_string() inputmode="numeric"/></label>
                <label>"Usual turnout % " <input type="number" name="turnout" min="1" max="100" step="0.1" value=format!("{turnout:.1}")/></label>
                <button type="submit" class="button">"Work it out"</button>
            </form>
        </section>
    }
}

#[component]
pub fn PollingDayPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || params.read().get("gss").unwrap_or_default(), polling_day);
    view! {
        // A wall screen in a committee room: fresh figures every minute without a touch.
        <Meta http_equiv="refresh" content="60"/>
        <Flash/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Dashboard view/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn pct(part: f64, whole: i64) -> String {
    if whole > 0 {
        format!("{:.0}%", part * 100.0 / whole as f64)
    } else {
        "—".into()
    }
}

#[component]
fn Dashboard(view: PollingDayView) -> impl IntoView {
    let promises: i64 = view.boxes.iter().map(|b| b.inputs.promises).sum();
    let estimated: f64 = view.boxes.iter().map(|b| b.estimate.promises_voted).sum();
    let known: i64 = view.boxes.iter().map(|b| b.estimate.known).sum();
    let gss = view.gss_code.clone();
    let who = match view.promises_are {
        Promises::Supporters => "supporters",
        Promises::SupportersAndLeaners => "supporters and leaners",
    };
    view! {
        <Title text=format!("Polling day · {}", view.seat_name)/>
        <header class="page-head">
            <p class="eyebrow">{view.seat_name.clone()} " · polling day"</p>
            <h1>"Promises voted"</h1>
            <p class="muted">
                "Promises are our " {who} ". As of " {view.as_of.format("%H:%M:%S UTC").to_string()}
                "; the page refreshes every minute."
                {view.can_edit.then(|| view! { " " <a href=format!("/seats/{gss}/polling-day/setup")>"Set-up"</a> })}
                " · " <a href=format!("/poll/{gss}/knock-up") rel="external">"Knock-up round"</a>
                " · " <a href=format!("/poll/{gss}/telling") rel="external">"Telling"</a>
                " · " <a href=format!("/seats/{gss}/polling-day/postal")>"Postal votes"</a>
            </p>
        </header>
        <section class="stats stats-4" aria-label="The seat">
            <p class="stat"><span class="stat-n" data-stat="promises">{thousands(promises)}</span> <span class="stat-label">"promises"</span></p>
            <p class="stat"><span class="stat-n" data-stat="estimated">{thousands(estimated.round() as i64)}</span>
                <span class="stat-label">"estimated voted (" {pct(estimated, promises)} ")"</span></p>
            <p class="stat"><span class="stat-n" data-stat="known">{thousands(known)}</span> <span class="stat-label">"seen voting"</span></p>
            <p class="stat"><span class="stat-n" data-stat="still">{thousands(promises - known)}</span> <span class="stat-label">"still to vote"</span></p>
        </section>
        {(view.unknown_entries > 0).then(|| view! {
            <p class="card warning" data-stat="unknown">{thousands(view.unknown_entries)} " telling entries match nobody on the register: tellers can correct them on their page."</p>
        })}
        <Calculator action=format!("/seats/{gss}/polling-day") win=view.win_number turnout=view.usual_turnout promises/>
        <h2>"Committee rooms"</h2>
        <div class="cards rooms">{view.rooms.into_iter().map(|r| view! { <Room r/> }).collect_view()}</div>
        <h2>"Ballot boxes"</h2>
        <div class="table-wrap">
            <table class="data boxes">
                <caption>"Each box's estimate and its inputs: electorate, promises, told (anyone, and promises), said “voted” at the door, the latest count, and the tellers' coverage of it"</caption>
                <thead><tr>
                    <th scope="col">"Box"</th><th scope="col">"Station"</th><th scope="col">"Electors"</th>
                    <th scope="col">"Promises"</th><th scope="col">"Told"</th><th scope="col">"Promises told"</th>
                    <th scope="col">"Said voted"</th><th scope="col">"Papers issued"</th><th scope="col">"Coverage"</th>
                    <th scope="col">"Promises voted (est.)"</th><th scope="col">"How"</th>
                </tr></thead>
                <tbody>{view.boxes.iter().map(|b| view! { <BoxRow b=b.clone()/> }).collect_view()}</tbody>
            </table>
        </div>
        {view.can_edit.then(|| view! { <CountForm gss=gss.clone() boxes=view.boxes.clone()/> })}
    }
}

#[component]
fn Room(r: RoomFigures) -> impl IntoView {
    view! {
        <section class="card room" data-room=r.name.clone()>
            <h3>{r.name.clone()}</h3>
            <p>
                <strong data-stat="room-estimated">{thousands(r.estimated_voted.round() as i64)}</strong> " of "
                {thousands(r.promises)} " promises voted (est.; " {thousands(r.known_voted)} " seen)"
            </p>
            <p class="muted">{r.canvassers} " canvassers · " {r.cars} " cars · "
                <span data-stat="lifts">{r.lifts}</span> " lifts wanted"</p>
            <p><strong>"Where next: "</strong>
                {if r.where_next.is_empty() { "every promise has voted".to_string() } else {
                    r.where_next.iter().map(|(d, n)| format!("{d} ({n} to vote)")).collect::<Vec<_>>().join(", ")
                }}
            </p>
        </section>
    }
}

#[component]
fn BoxRow(b: BoxFigures) -> impl IntoView {
    let i = &b.inputs;
    view! {
        <tr data-box=b.district.clone()>
            <th scope="row">{b.label.clone()}</th>
            <td>{b.station.clone()}</td>
            <td>{thousands(i.electorate)}</td>
            <td>{thousands(i.promises)}</td>
            <td>{thousands(i.told)}</td>
            <td>{thousands(i.told_promises)}</td>
            <td>{thousands(i.doorstep_voted)}</td>
            <td>{match (i.papers_issued, &b.counted_at) {
                (Some(n), Some(at)) => format!("{} by {at}", thousands(n)),
                _ => "no count yet".into(),
            }}</td>
            <td>{b.estimate.coverage.map(|c| format!("{:.0}%", c * 100.0)).unwrap_or_else(|| "—".into())}</td>
            <td data-stat="box-estimate">{thousands(b.estimate.promises_voted.round() as i64)} " (" {pct(b.estimate.promises_voted, i.promises)} ")"</td>
            <td class="muted">{b.estimate.method.label()}</td>
        </tr>
    }
}

#[component]
fn CountForm(gss: String, boxes: Vec<BoxFigures>) -> impl IntoView {
    view! {
        <form method="post" action=format!("/seats/{gss}/polling-day/counts") class="card count-form">
            <h2>"Ballot-box count"</h2>
            <p class="muted">"Papers issued from a box by a time, as the presiding officer gives it. A second figure for the same time corrects the first; both are in the audit log."</p>
            <label>"Box " <select name="box_id">
                {boxes.into_iter().map(|b| view! { <option value=b.box_id.to_string()>{b.label} " · " {b.station}</option> }).collect_view()}
            </select></label>
            <label>"Time (HH:MM) " <input name="at_time" required pattern="[0-2][0-9]:[0-5][0-9]" inputmode="numeric" placeholder="13:00"/></label>
            <label>"Papers issued " <input type="number" name="papers" min="0" required inputmode="numeric"/></label>
            <button type="submit" class="button primary">"Save count"</button>
        </form>
    }
}

#[component]
pub fn PollingDaySetupPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || params.read().get("gss").unwrap_or_default(), polling_day_setup);
    view! {
        <Flash/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Setup view/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Setup(view: SetupView) -> impl IntoView {
    let action = format!("/seats/{}/polling-day/setup", view.gss_code);
    let leaners = view.promises_are == Promises::SupportersAndLeaners;
    view! {
        <Title text=format!("Polling-day set-up · {}", view.seat_name)/>
        <header class="page-head">
            <p class="eyebrow">{view.seat_name.clone()} " · polling day"</p>
            <h1>"Set-up"</h1>
            <p class="muted"><a href=format!("/seats/{}/polling-day", view.gss_code)>"Polling-day dashboard"</a></p>
        </header>
        <form method="post" action=action.clone() class="card setup-form">
            <h2>"Stations, boxes and committee rooms"</h2>
            <p class="muted">"One row per polling district: the station where it votes, its ballot box (the district's code when left empty) and the committee room that knocks it up, with the room's canvassers and cars. Paste a file or edit the rows here; a file with any mistake saves nothing and lists each mistake by line and column. This seat's districts: "
                {view.districts.join(", ")} "."</p>
            <input type="hidden" name="action" value="import"/>
            <label for="setup-csv">"Set-up (CSV)"</label>
            <textarea id="setup-csv" name="csv" rows="12" spellcheck="false">{view.csv.clone()}</textarea>
            <button type="submit" class="button primary">"Save set-up"</button>
        </form>
        <form method="post" action=action.clone() class="card">
            <h2>"Who is a promise"</h2>
            <input type="hidden" name="action" value="promises"/>
            <label><input type="radio" name="promises" value="supporters_and_leaners" checked=leaners/> " Supporters and leaners (our party at any firmness)"</label>
            <label><input type="radio" name="promises" value="supporters" checked=!leaners/> " Supporters only (firmness 4–5, or not asked)"</label>
            <button type="submit" class="button">"Save"</button>
        </form>
        <form method="post" action=action class="card">
            <h2>"Tellers and knockers"</h2>
            <p class="muted">"A volunteer opens the telling page of their station and the knock-up round of their room, and nothing else of polling day."</p>
            <input type="hidden" name="action" value="helper"/>
            <label>"Email " <input type="email" name="email" required/></label>
            <label>"Tells at " <select name="station"><option value="">"(no station)"</option>
                {view.stations.iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}</select></label>
            <label>"Knocks up for " <select name="room"><option value="">"(no room)"</option>
                {view.rooms.iter().map(|r| view! { <option value=r.clone()>{r.clone()}</option> }).collect_view()}</select></label>
            <button type="submit" class="button">"Save"</button>
            <ul class="helpers">
                {view.helpers.into_iter().map(|(name, email, station, room)| view! {
                    <li>{name} " (" {email} "): " {station.unwrap_or_else(|| "no station".into())} " · " {room.unwrap_or_else(|| "no room".into())}</li>
                }).collect_view()}
            </ul>
        </form>
    }
}
