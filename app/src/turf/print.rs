//! The printed walk sheet: an A4 page (print CSS) for volunteers who canvass on paper,
//! with the route, names, elector numbers, tick boxes for the results, and the short
//! code (and QR) that opens the paper returns screen.

use super::sheet::{SheetElector, WalkSheet};
use crate::error::AppError;
use crate::layout::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The result codes printed as tick boxes: (abbreviation, meaning).
pub const SHEET_RESULTS: [(&str, &str); 6] = [
    ("NI", "Not in"),
    ("SP", "Spoke"),
    ("RF", "Refused"),
    ("MV", "Moved away"),
    ("CB", "Come back later"),
    ("DNK", "Do not knock again"),
];

#[server(prefix = "/api", endpoint = "turf/sheet")]
pub async fn get_walk_sheet(walk_list_id: i64) -> Result<WalkSheet, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    super::queries::planner_list(&state.store, &user, walk_list_id).await?;
    // The configured public address: a Host header is the requester's to choose.
    let sheet = super::sheet_queries::sheet(&state.store, walk_list_id, &state.settings.public_url).await?;
    // Names and elector numbers on paper: every printing is on the record.
    crate::audit::record(
        &state.store,
        Some(user.id),
        "view",
        "walk_list",
        &walk_list_id.to_string(),
        "printed walk sheet",
    )
    .await?;
    Ok(sheet)
}

#[component]
pub fn WalkSheetPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let sheet = Resource::new(id, get_walk_sheet);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match sheet.await {
                    Ok(sheet) => view! { <Sheet sheet/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Sheet(sheet: WalkSheet) -> impl IntoView {
    let doors = sheet.doors.len();
    let electors: usize = sheet.doors.iter().map(|d| d.electors.len()).sum();
    let parties = sheet.parties.clone();
    let key =
        parties.iter().map(|(c, l)| format!("{} {l}", intention_abbr(c, l))).collect::<Vec<_>>().join(" · ");
    view! {
        <Title text=format!("Walk sheet · {}", sheet.name)/>
        <article class="walk-sheet">
            <header class="sheet-head">
                <div>
                    <p class="eyebrow">{sheet.seat_name.clone()} " · walk sheet"</p>
                    <h1>{sheet.name.clone()}</h1>
                    <p>
                        {doors} " doors, " {electors} " electors, in walking order"
                        {sheet.session.clone().map(|s| format!(" · {s}"))}
                        {sheet.volunteers.clone().map(|v| format!(" · {v}"))}
                    </p>
                    <p>"Returns code " <strong class="sheet-code" data-code=sheet.code.clone()>{sheet.code.clone()}</strong>
                        " · enter the results at " <span class="sheet-url">{sheet.returns_url.clone()}</span></p>
                    <p class="sheet-write">
                        <span>"Canvassed by " <span class="write-line" aria-hidden="true"></span></span>
                        <span>"Date " <span class="write-line short" aria-hidden="true"></span></span>
                    </p>
                </div>
                <div class="sheet-qr" role="img" aria-label="QR code: opens the paper returns screen for this sheet"
                    inner_html=sheet.qr_svg.clone()></div>
            </header>
            <p class="no-print actions">
                <button type="button" class="button primary" on:click=move |_| { let _ = window().print(); }>"Print"</button>
                <a class="button secondary" href=format!("/returns/{}", sheet.code)>"Enter the returns"</a>
            </p>
            <table class="sheet-table">
                <thead>
                    <tr>
                        <th scope="col">"#"</th>
                        <th scope="col">"Address"</th>
                        <th scope="col">"Result"</th>
                        <th scope="col">"Elector"</th>
                        <th scope="col">"No."</th>
                        <th scope="col">"Intention"</th>
                        <th scope="col"><abbr title="How firm: 1 soft to 5 certain">"Firm"</abbr></th>
                        <th scope="col">"Notes"</th>
                    </tr>
                </thead>
                {sheet.doors.into_iter().map(|door| {
                    let rows = door.electors.len().max(1);
                    let mut electors = door.electors.into_iter();
                    let first = electors.next();
                    view! {
                        <tbody class="sheet-door" data-household=door.household_id>
                            <tr>
                                <td rowspan=rows class="pos">{door.position}</td>
                                <td rowspan=rows class="addr">
                                    {door.address.clone()}
                                    {door.postcode.clone().map(|p| view! { <br/><span class="muted">{p}</span> })}
                                    {door.knocked_elsewhere.map(|t| view! {
                                        <br/><strong class="knocked-elsewhere">"Knocked " {t.format("%-d %b").to_string()} " on another list"</strong>
                                    })}
                                </td>
                                <td rowspan=rows class="boxes">
                                    {SHEET_RESULTS.iter().map(|(code, label)| view! {
                                        <span class="tick"><span class="box" aria-hidden="true"></span><abbr title=*label>{*code}</abbr></span>
                                    }).collect_view()}
                                </td>
                                <ElectorCells elector=first parties=parties.clone()/>
                                <td rowspan=rows class="notes"></td>
                            </tr>
                            {electors.map(|e| view! { <tr><ElectorCells elector=Some(e) parties=parties.clone()/></tr> }).collect_view()}
                        </tbody>
                    }
                }).collect_view()}
            </table>
            <p class="sheet-key">
                "Results: " {SHEET_RESULTS.iter().map(|(c, l)| format!("{c} {l}")).collect::<Vec<_>>().join(" · ")}
                ". Intention: " {key} ". Firm: how sure they are, 1 soft to 5 certain."
            </p>
        </article>
    }
    .into_any()
}

/// The letters a volunteer ticks for a party on paper: the usual ones for the usual
/// parties, else the initials of the campaign's label.
pub fn intention_abbr(code: &str, label: &str) -> String {
    let known = match code {
        "lab" => "L",
        "con" => "C",
        "ld" => "LD",
        "green" => "G",
        "reform" => "R",
        "other" => "O",
        "undecided" => "U",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    label.split_whitespace().filter_map(|w| w.chars().next()).flat_map(char::to_uppercase).take(3).collect()
}

#[component]
fn ElectorCells(elector: Option<SheetElector>, parties: Vec<(String, String)>) -> impl IntoView {
    match elector {
        Some(e) => view! {
            <td class="elector">{e.name}{(!e.markers.is_empty()).then(|| view! { " " <span class="muted">"(" {e.markers} ")"</span> })}</td>
            <td class="number">{e.number}</td>
            <td class="boxes">
                {parties.iter().map(|(code, label)| view! {
                    <span class="tick"><span class="box" aria-hidden="true"></span><abbr title=label.clone()>{intention_abbr(code, label)}</abbr></span>
                }).collect_view()}
            </td>
            <td class="boxes firm">
                {(1..=5).map(|f| view! {
                    <span class="tick"><span class="box" aria-hidden="true"></span>{f}</span>
                }).collect_view()}
            </td>
        }
        .into_any(),
        None => view! { <td class="elector muted">"No elector listed"</td><td></td><td></td><td></td> }.into_any(),
    }
}
