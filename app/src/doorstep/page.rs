//! The phone screens: a walk list in walk order, and one door with its record form.
//! Both are server-rendered pages with plain HTML forms, so they work without JavaScript;
//! with it, `public/doorstep.js` keeps entries in an outbox on the phone (see README).
//! Their links are `rel="external"`: the router then loads each page whole, so the
//! service worker can serve it with no signal (a client-side route would call a server
//! function, which needs the network) and the outbox script runs on every page.

use super::door_fields::{FollowUpFields, SpokeFields};
use super::{get_door, get_walk_list, result_label, walk_map, DoorResult, DoorView, WalkDoor, WalkListView};
use crate::error::AppError;
use crate::layout::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn param(name: &'static str) -> impl Fn() -> Option<i64> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get(name).and_then(|v| v.parse::<i64>().ok())
}

/// Where the phone's outbox says how many entries wait to be sent (filled by the script;
/// empty without it).
#[component]
fn OutboxStatus() -> impl IntoView {
    view! { <p class="outbox-status" data-outbox="" role="status" aria-live="polite"></p> }
}

#[component]
pub fn WalkPage() -> impl IntoView {
    let id = param("id");
    let query = use_query_map();
    let list = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_walk_list(id).await,
            None => Err(AppError::NotFound("That walk list".into())),
        }
    });
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let done = query.read().get("done").is_some();
                match list.await {
                    Ok(list) => view! { <WalkListBody list done/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What the list says about a door, in words (never colour alone).
fn door_status(d: &WalkDoor) -> String {
    match (&d.last_result, d.do_not_knock, d.elsewhere) {
        (Some(r), true, _) => format!("✓ {} · ⊘ Do not knock", result_label(r)),
        (Some(r), false, _) => format!("✓ {}", result_label(r)),
        (None, true, _) => "⊘ Do not knock".to_string(),
        (None, false, true) => "⚑ Done by someone else".to_string(),
        (None, false, false) => "○ Not yet".to_string(),
    }
}

#[component]
fn WalkListBody(list: WalkListView, done: bool) -> impl IntoView {
    let knocked = list.knocked();
    let entries = list.entries();
    let total = list.doors.len();
    let next = list.next_door().cloned();
    let map = walk_map(&list.doors, next.as_ref().map(|d| d.household_id));
    let id = list.id;
    view! {
        <Title text=list.name.clone()/>
        <header class="page-head walk-head">
            <p class="eyebrow"><a href="/" rel="external">"My walk lists"</a></p>
            <h1>{list.name.clone()}</h1>
            <p class="muted">{list.seat_name.clone()}</p>
        </header>
        {(done && next.is_none()).then(|| view! {
            <p class="card success" role="status">"Every door on this list has been knocked. Thank you!"</p>
        })}
        <OutboxStatus/>
        <section class="card walk-progress" aria-label="Progress" data-walk-list=id>
            <p class="progress-text">
                <strong data-stat="knocked">{knocked}</strong> " of " <span data-stat="doors">{total}</span> " doors knocked"
            </p>
            <progress max=total value=knocked aria-hidden="true"></progress>
            <p class="muted entries-text"><span data-stat="entries">{entries}</span> " entries received by the server for this list"</p>
            {match next {
                Some(d) => view! {
                    <a class="button primary next-door" rel="external" href=format!("/walk/{id}/door/{}", d.household_id)>
                        "Next door: " <span class="next-addr">{d.address1}</span>
                    </a>
                }.into_any(),
                None => view! { <p><strong>"✓ All doors knocked"</strong></p> }.into_any(),
            }}
            <p class="muted offline-ready" data-offline-ready="" aria-live="polite"></p>
        </section>
        {(!map.is_empty()).then(|| view! { <figure class="card walk-map-card" inner_html=map></figure> })}
        <ol class="doors" aria-label="Doors in walk order">
            {list.doors.into_iter().enumerate().map(|(i, d)| {
                let knocked = d.last_result.is_some();
                let skip = !knocked && (d.do_not_knock || d.elsewhere);
                let status = door_status(&d);
                let detail = [d.address2.clone(), d.postcode.clone()].into_iter().flatten()
                    .filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ");
                let people = if d.electors == 1 { "1 elector".to_string() } else { format!("{} electors", d.electors) };
                view! {
                    <li class="door" data-knocked=knocked.to_string() data-skip=skip.to_string() data-household=d.household_id>
                        <a rel="external" href=format!("/walk/{id}/door/{}", d.household_id)>
                            <span class="door-pos" aria-hidden="true">{i + 1}</span>
                            <span class="door-addr">
                                <strong>{d.address1}</strong>
                                <span class="muted">{detail} " · " {people}</span>
                            </span>
                            <span class="door-status">{status}</span>
                        </a>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

#[component]
pub fn DoorPage() -> impl IntoView {
    let list_id = param("id");
    let household_id = param("household_id");
    let query = use_query_map();
    let key = move || (list_id(), household_id());
    let door = Resource::new(key, |(list, household)| async move {
        match (list, household) {
            (Some(list), Some(household)) => get_door(list, household).await,
            _ => Err(AppError::NotFound("That door".into())),
        }
    });
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                // A plain form post that failed comes back here with its message.
                let error = query.read().get("error");
                match door.await {
                    Ok(door) => view! { <DoorBody door error/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DoorBody(door: DoorView, error: Option<String>) -> impl IntoView {
    let DoorView { walk_list_id, list_name, door, number, total, electors, entry_id, next_doors, settings } =
        door;
    let detail = [door.address2.clone(), door.postcode.clone()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let list_href = format!("/walk/{walk_list_id}");
    let next = next_doors.iter().map(|h| h.to_string()).collect::<Vec<_>>().join(",");
    let spoke = DoorResult::Spoke.code();
    let quick: Vec<_> = settings.results.iter().filter(|(c, _)| c != spoke).cloned().collect();
    let spoke_label = settings.result_label(spoke);
    view! {
        <Title text=door.address1.clone()/>
        <header class="page-head door-head">
            <p class="eyebrow"><a rel="external" href=list_href.clone()>{list_name}</a></p>
            <h1>{door.address1.clone()}</h1>
            <p class="muted">{detail}</p>
            <p class="door-count">"Door " {number} " of " {total}</p>
            {door.last_result.as_deref().map(|r| view! {
                <p class="door-last" role="status">"✓ Already recorded: " {settings.result_label(r)}</p>
            })}
            {door.do_not_knock.then(|| view! {
                <p class="card warning">"⊘ This household asked us not to knock again."</p>
            })}
            {(door.elsewhere && door.last_result.is_none()).then(|| view! {
                <p class="card warning">"⚑ Someone else has recorded this door since the list was made."</p>
            })}
        </header>
        <OutboxStatus/>
        // Side by side while closed, so the form starts higher on a phone.
        <div class="door-aids">
            <details class="card script">
                <summary>"What to say"</summary>
                <p>{settings.script.clone()}</p>
            </details>
            <details class="card privacy">
                <summary>"Privacy notice"</summary>
                <p>{settings.privacy_notice.clone()}</p>
            </details>
        </div>
        <form method="post" action="/api/doorstep/record" class="door-form" aria-label="Record this door"
            data-door-form="" data-list=walk_list_id data-household=door.household_id data-next=next>
            <input type="hidden" name="id" value=entry_id/>
            <input type="hidden" name="walk_list_id" value=walk_list_id/>
            <input type="hidden" name="household_id" value=door.household_id/>
            // Filled by the outbox script when Change is pressed (see below).
            <input type="hidden" name="replaces" value=""/>
            {error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
            // Shown by the outbox script when this phone has recorded the door: a mis-tap
            // then Back is put right here, replacing the entry rather than adding one.
            <div class="card recorded-here" data-recorded="" role="status" hidden>
                <p data-recorded-text=""></p>
                <p class="recorded-actions">
                    <button type="button" class="button secondary" data-change="">"Change"</button>
                    <button type="button" class="button secondary" data-undo="">"Undo"</button>
                </p>
            </div>
            <fieldset class="card quick">
                <legend>"No conversation"</legend>
                <div class="result-grid">
                    {quick.into_iter().map(|(code, label)| {
                        let (value, text) = (code.clone(), label.clone());
                        view! {
                            <button type="submit" name="result" value=value class="button result" data-result=code data-label=label formnovalidate="">{text}</button>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            <SpokeFields electors=electors.clone() settings=settings.clone()/>
            <FollowUpFields settings=settings.clone()/>
            // Always in reach at the foot of the screen while the form is on it (sticky).
            <div class="save-bar">
                <p class="save-hint" data-holder-hint="" role="alert" hidden>{super::NO_HOLDER}</p>
                <button type="submit" name="result" value=spoke class="button primary" data-result=spoke data-label=spoke_label.clone()>{format!("Save: {}", spoke_label.to_lowercase())}</button>
            </div>
        </form>
        <section class="card electors-card" aria-labelledby="electors-h">
            <h2 id="electors-h">"Who lives here"</h2>
            {if electors.is_empty() {
                view! { <p class="muted">"No one on the register at this address."</p> }.into_any()
            } else {
                view! {
                    <ul class="electors">
                        {electors.iter().map(|e| view! {
                            <li><strong>{format!("{} {}", e.first_name, e.surname)}</strong>
                                " " <span class="muted elector-no">{e.number()}</span></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <p><a class="button secondary" rel="external" href=list_href>"Back to the list"</a></p>
    }
    .into_any()
}
