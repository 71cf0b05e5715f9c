//! The phone screens of polling day: telling at a station and a knock-up round. Both are
//! server-rendered with plain forms and load no wasm (see `loads_wasm`); with JavaScript,
//! `public/telling.js` keeps the teller's numbers in an outbox on the phone, and
//! `public/knock-up.js` the knocker's results.

use super::knock_up::RESULTS;
use super::pages::{Calculator, Flash};
use super::{knock_up_round, telling_page, KnockUpView, TellingLine, TellingView};
use crate::format::thousands;
use crate::layout::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn TellingPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (
                params.read().get("gss").unwrap_or_default(),
                q.get("station").and_then(|s| s.parse::<i64>().ok()),
                q.get("q"),
            )
        },
        |(gss, station, q)| telling_page(gss, station, q),
    );
    view! {
        <Flash/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Telling view/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Telling(view: TellingView) -> impl IntoView {
    let gss = view.gss_code.clone();
    let action = format!("/poll/{gss}/telling");
    let Some(station) = view.station_id else {
        return view! {
            <Title text="Telling"/>
            <h1>"Telling"</h1>
            <p class="card">"There is no polling station in this seat's set-up yet. An organiser adds them on the polling-day set-up page."</p>
        }
        .into_any();
    };
    let nonce = leptos::nonce::use_nonce().map(|n| n.to_string());
    let station_s = station.to_string();
    let districts = view.districts.join(", ");
    view! {
        <Title text=format!("Telling · {}", view.station_name)/>
        <script nonce=nonce.clone() src="/outbox.js" defer></script>
        <script nonce=nonce src="/telling.js" defer></script>
        // Kept on the phone by public/doorstep.js and the service worker, one per station.
        <header class="page-head walk-head" data-keep-offline="station">
            <p class="eyebrow">{view.seat_name.clone()} " · telling"</p>
            <h1>{view.station_name.clone()}</h1>
            <p class="muted">"Districts voting here: " {districts.clone()} " · "
                <strong data-stat="told-here">{thousands(view.told_here)}</strong> " told at this station"</p>
        </header>
        {(view.stations.len() > 1).then(|| view! {
            <nav class="region-filter" aria-label="Stations">
                {view.stations.iter().map(|(id, name)| view! {
                    <a rel="external" href=format!("/poll/{gss}/telling?station={id}") aria-current=(*id == station).then_some("page")>{name.clone()}</a>
                }).collect_view()}
            </nav>
        })}
        <p class="outbox-status" data-telling-outbox="" role="status" aria-live="polite"></p>
        <form method="post" action=action.clone() class="card telling-form" data-telling-form="" data-gss=gss.clone()>
            <input type="hidden" name="action" value="tell"/>
            <input type="hidden" name="id" value=view.entry_id.clone()/>
            <input type="hidden" name="station_id" value=station_s.clone()/>
            <label for="typed">"Poll number"</label>
            <p class="muted" id="typed-help">{format!("As written: 888, 888/8, 888.8 or {}-888/8", view.districts.first().cloned().unwrap_or_else(|| "AB".into()))}</p>
            <input id="typed" name="typed" required autocomplete="off" inputmode="text" autocapitalize="characters" aria-describedby="typed-help" maxlength="40"/>
            <button type="submit" class="button primary">"Tell"</button>
        </form>
        <ol class="telling-local" data-telling-local="" aria-label="Numbers on this phone"></ol>
        <form method="get" action=action.clone() class="card lookup-form">
            <input type="hidden" name="station" value=station_s.clone()/>
            <label for="q">"No number? Find the voter by name and address"</label>
            <input id="q" name="q" value=view.query.clone() autocomplete="off"/>
            <button type="submit" class="button">"Find"</button>
        </form>
        {(!view.query.is_empty()).then(|| view! {
            <ul class="cards lookup-hits" aria-label="Voters found">
                {if view.hits.is_empty() { view! { <li class="card">"Nobody voting here matches that."</li> }.into_any() } else {
                    view.hits.iter().map(|h| view! {
                        <li class="card lookup-hit">
                            <strong>{h.name.clone()}</strong> " · " {h.number.clone()} <br/>
                            <span class="muted">{h.address.clone()}</span>
                            {if h.told { view! { <p>"✓ Already told"</p> }.into_any() } else { view! {
                                <form method="post" action=action.clone()>
                                    <input type="hidden" name="action" value="tell"/>
                                    <input type="hidden" name="id" value=h.entry_id.clone()/>
                                    <input type="hidden" name="station_id" value=station_s.clone()/>
                                    <input type="hidden" name="elector_id" value=h.elector_id.to_string()/>
                                    <button type="submit" class="button primary">"Tell this voter"</button>
                                </form>
                            }.into_any() }}
                        </li>
                    }).collect_view().into_any()
                }}
            </ul>
        })}
        {(!view.unknown.is_empty()).then(|| view! {
            <section class="card warning" aria-labelledby="unknown-h">
                <h2 id="unknown-h">"Numbers that match nobody: correct them"</h2>
                <ul class="unknown-entries">
                    {view.unknown.iter().map(|l| view! {
                        <li data-unknown=l.typed.clone()>
                            <form method="post" action=action.clone() class="inline-form">
                                <input type="hidden" name="action" value="correct"/>
                                <input type="hidden" name="id" value=l.id.clone()/>
                                <input type="hidden" name="station_id" value=station_s.clone()/>
                                <label>"“" {l.typed.clone()} "” at " {l.made_at.format("%H:%M").to_string()} " → "
                                    <input name="typed" required value=l.typed.clone() maxlength="40"/></label>
                                <button type="submit" class="button">"Correct"</button>
                            </form>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section aria-labelledby="recent-h">
            <h2 id="recent-h">"Your last entries"</h2>
            <ol class="telling-recent">
                {view.recent.into_iter().map(|l| view! { <Recent l action=action.clone() station=station_s.clone()/> }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}

#[component]
fn Recent(l: TellingLine, action: String, station: String) -> impl IntoView {
    let what = l.matched.clone().unwrap_or_else(|| "matches nobody yet".into());
    view! {
        <li data-entry=l.id.clone() data-undone=l.undone.to_string()>
            <strong>{l.typed.clone()}</strong> " · " {what} " · " {l.made_at.format("%H:%M").to_string()}
            {if l.undone { view! { " · taken back" }.into_any() } else { view! {
                <form method="post" action=action class="inline-form">
                    <input type="hidden" name="action" value="undo"/>
                    <input type="hidden" name="id" value=l.id.clone()/>
                    <input type="hidden" name="station_id" value=station/>
                    <button type="submit" class="button small">"Undo"</button>
                </form>
            }.into_any() }}
        </li>
    }
}

#[component]
pub fn KnockUpPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            (
                params.read().get("gss").unwrap_or_default(),
                query.read().get("district").and_then(|d| d.parse::<i64>().ok()),
                query.read().get("walk").and_then(|w| w.parse::<usize>().ok()),
            )
        },
        |(gss, district, walk)| knock_up_round(gss, district, walk),
    );
    view! {
        <Flash/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <KnockUp view/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn KnockUp(view: KnockUpView) -> impl IntoView {
    let gss = view.gss_code.clone();
    let action = format!("/poll/{gss}/knock-up");
    let district = view.district_id.map(|d| d.to_string()).unwrap_or_default();
    let walk = view.walk.to_string();
    let mut ids = view.entry_ids.clone().into_iter();
    let to_knock: usize = view.doors.iter().map(|d| d.promises.len()).sum();
    let nonce = leptos::nonce::use_nonce().map(|n| n.to_string());
    view! {
        <Title text=format!("Knock-up · {}", view.district)/>
        <script nonce=nonce.clone() src="/outbox.js" defer></script>
        <script nonce=nonce src="/knock-up.js" defer></script>
        <header class="page-head walk-head" data-keep-offline="district walk">
            <p class="eyebrow">{view.seat_name.clone()} {view.room.clone().map(|r| format!(" · {r}"))} " · knock-up"</p>
            <h1>"District " {view.district.clone()}
                {(view.walks.len() > 1).then(|| format!(" · walk {}", view.walk))}</h1>
            <p data-stat="round">
                <strong data-stat="to-knock">{to_knock}</strong> " promises to knock here · "
                <span data-stat="voted">{view.voted}</span> " of the district's " {view.promises} " voted"
            </p>
            <p class="muted">"This list is made afresh each time it opens: voters told at the station or who said “voted” drop out; “not in”, “will vote” and “needs a lift” stay for the next round."</p>
        </header>
        <nav class="region-filter" aria-label="Districts">
            {view.districts.iter().map(|(id, code, left)| view! {
                <a rel="external" href=format!("/poll/{gss}/knock-up?district={id}") aria-current=(Some(*id) == view.district_id).then_some("page")>
                    {code.clone()} " (" {*left} ")"
                </a>
            }).collect_view()}
        </nav>
        {(view.walks.len() > 1).then(|| {
            let here = view.district_id.unwrap_or_default();
            view! {
                <nav class="region-filter" aria-label="Walks">
                    {view.walks.iter().map(|(n, streets, left)| view! {
                        <a rel="external" href=format!("/poll/{gss}/knock-up?district={here}&walk={n}")
                            aria-current=(*n == view.walk).then_some("page") title=streets.clone()>
                            "Walk " {*n} " (" {*left} ")"
                        </a>
                    }).collect_view()}
                </nav>
            }
        })}
        {view.doors.is_empty().then(|| view! { <p class="card success">"Every promise on this walk has voted or asked us not to return."</p> })}
        <p class="outbox-status" data-knock-up-outbox="" role="status" aria-live="polite"></p>
        <ol class="doors knock-up-doors" aria-label="Doors in walk order" data-knock-up="" data-gss=gss.clone()>
            {view.doors.iter().map(|d| view! {
                <li class="card door" data-household=d.household_id>
                    <h2 class="door-addr">{d.address1.clone()}</h2>
                    {d.promises.iter().map(|p| {
                        let id = ids.next().unwrap_or_default();
                        view! {
                            <form method="post" action=action.clone() class="knock-up-promise" data-elector=p.elector_id>
                                <input type="hidden" name="id" value=id/>
                                <input type="hidden" name="elector_id" value=p.elector_id.to_string()/>
                                <input type="hidden" name="district" value=district.clone()/>
                                <input type="hidden" name="walk" value=walk.clone()/>
                                <p><strong>{p.name.clone()}</strong> " · " {p.number.clone()}
                                    {p.last_result.as_deref().map(|r| format!(" · last time: {}", super::knock_up::result_label(r)))}
                                    {(p.voted_last == Some(false)).then(|| view! { " " <span class="tag quiet">"did not vote last election"</span> })}</p>
                                <div class="result-buttons">
                                    {RESULTS.iter().map(|(code, label)| view! {
                                        <button type="submit" name="result" value=*code class="button">{*label}</button>
                                    }).collect_view()}
                                </div>
                            </form>
                        }
                    }).collect_view()}
                </li>
            }).collect_view()}
        </ol>
        <Calculator action=format!("/poll/{gss}/knock-up") win=view.win_number turnout=view.usual_turnout promises=view.seat_promises/>
    }
}
