//! The phone screens: a walk list in walk order, and one door with its record form.
//! Both are server-rendered pages with plain HTML forms, so they work without JavaScript.

use super::{get_door, get_walk_list, result_label, DoorView, RecordDoor, WalkListView, INTENTIONS, RESULTS};
use crate::error::AppError;
use crate::layout::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn param(name: &'static str) -> impl Fn() -> Option<i64> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get(name).and_then(|v| v.parse::<i64>().ok())
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

#[component]
fn WalkListBody(list: WalkListView, done: bool) -> impl IntoView {
    let knocked = list.knocked();
    let total = list.doors.len();
    let next = list.next_door().cloned();
    let id = list.id;
    view! {
        <Title text=list.name.clone()/>
        <header class="page-head walk-head">
            <p class="eyebrow"><a href="/">"My walk lists"</a></p>
            <h1>{list.name.clone()}</h1>
            <p class="muted">{list.seat_name.clone()}</p>
        </header>
        {(done && next.is_none()).then(|| view! {
            <p class="card success" role="status">"Every door on this list has been knocked. Thank you!"</p>
        })}
        <section class="card walk-progress" aria-label="Progress">
            <p class="progress-text">
                <strong data-stat="knocked">{knocked}</strong> " of " <span data-stat="doors">{total}</span> " doors knocked"
            </p>
            <progress max=total value=knocked aria-hidden="true"></progress>
            {match next {
                Some(d) => view! {
                    <a class="button primary next-door" href=format!("/walk/{id}/door/{}", d.household_id)>
                        "Next door: " {d.address1}
                    </a>
                }.into_any(),
                None => view! { <p><strong>"✓ All doors knocked"</strong></p> }.into_any(),
            }}
        </section>
        <ol class="doors" aria-label="Doors in walk order">
            {list.doors.into_iter().enumerate().map(|(i, d)| {
                let knocked = d.last_result.is_some();
                let status = d.last_result.as_deref().map(|r| format!("✓ {}", result_label(r)))
                    .unwrap_or_else(|| "○ Not yet".to_string());
                let detail = [d.address2.clone(), d.postcode.clone()].into_iter().flatten()
                    .filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ");
                let people = if d.electors == 1 { "1 elector".to_string() } else { format!("{} electors", d.electors) };
                view! {
                    <li class="door" data-knocked=knocked.to_string() data-household=d.household_id>
                        <a href=format!("/walk/{id}/door/{}", d.household_id)>
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
}

#[component]
pub fn DoorPage() -> impl IntoView {
    let list_id = param("id");
    let household_id = param("household_id");
    let key = move || (list_id(), household_id());
    let door = Resource::new(key, |(list, household)| async move {
        match (list, household) {
            (Some(list), Some(household)) => get_door(list, household).await,
            _ => Err(AppError::NotFound("That door".into())),
        }
    });
    // Made here, under the routes, so that after a post without JavaScript the error the
    // server sends back in the URL (`?__err=`) reaches the form.
    let record = ServerAction::<RecordDoor>::new();
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match door.await {
                    Ok(door) => view! { <DoorBody door record/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DoorBody(door: DoorView, record: ServerAction<RecordDoor>) -> impl IntoView {
    let error = move || record.value().get().and_then(Result::err);
    let DoorView { walk_list_id, list_name, door, number, total, electors, entry_id } = door;
    let detail = [door.address2.clone(), door.postcode.clone()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let list_href = format!("/walk/{walk_list_id}");
    let quick: Vec<_> = RESULTS.iter().filter(|(c, _)| *c != "spoke").copied().collect();
    view! {
        <Title text=door.address1.clone()/>
        <header class="page-head door-head">
            <p class="eyebrow"><a href=list_href.clone()>{list_name}</a></p>
            <h1>{door.address1.clone()}</h1>
            <p class="muted">{detail}</p>
            <p class="door-count">"Door " {number} " of " {total}</p>
            {door.last_result.as_deref().map(|r| view! {
                <p class="door-last" role="status">"✓ Already recorded: " {result_label(r)}</p>
            })}
        </header>
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
        <ActionForm action=record attr:class="door-form" attr:aria-label="Record this door">
            <input type="hidden" name="id" value=entry_id/>
            <input type="hidden" name="walk_list_id" value=walk_list_id/>
            <input type="hidden" name="household_id" value=door.household_id/>
            {move || error().map(|e: AppError| view! { <p class="error" role="alert">{e.to_string()}</p> })}
            <fieldset class="card quick">
                <legend>"No conversation"</legend>
                <div class="result-grid">
                    {quick.into_iter().map(|(code, label)| view! {
                        <button type="submit" name="result" value=code class="button result" data-result=code>{label}</button>
                    }).collect_view()}
                </div>
            </fieldset>
            <fieldset class="card spoke">
                <legend>"Spoke to someone"</legend>
                {(!electors.is_empty()).then(|| view! {
                    <fieldset class="choices">
                        <legend>"Who answered"</legend>
                        {electors.iter().map(|e| view! {
                            <label class="choice">
                                <input type="radio" name="elector_id" value=e.id/>
                                {format!("{} {}", e.first_name, e.surname)}
                            </label>
                        }).collect_view()}
                    </fieldset>
                })}
                <fieldset class="choices two">
                    <legend>"Voting intention"</legend>
                    {INTENTIONS.iter().map(|(code, label)| view! {
                        <label class="choice"><input type="radio" name="intention" value=*code/>{*label}</label>
                    }).collect_view()}
                </fieldset>
                <fieldset class="choices two">
                    <legend>"How we know"</legend>
                    <label class="choice"><input type="radio" name="intention_source" value="said" checked/>"They said"</label>
                    <label class="choice"><input type="radio" name="intention_source" value="inferred"/>"I inferred it"</label>
                </fieldset>
                <fieldset class="choices five">
                    <legend>"How firm (1 soft – 5 certain)"</legend>
                    {(1..=5).map(|n| view! {
                        <label class="choice"><input type="radio" name="firmness" value=n/>{n}</label>
                    }).collect_view()}
                </fieldset>
                <label for="notes">"Notes"</label>
                <textarea id="notes" name="notes" rows="3" maxlength="4000"></textarea>
                <button type="submit" name="result" value="spoke" class="button primary" data-result="spoke">"Save: spoke"</button>
            </fieldset>
        </ActionForm>
        <p><a class="button secondary" href=list_href>"Back to the list"</a></p>
    }
}
