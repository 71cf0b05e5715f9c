//! The seat map page: the map (drawn by our small script over the vendored Leaflet, on
//! this page only), the cutting form, and the seat's walk lists.

use super::{
    assign_walk_list, cut_turf, get_turf_overview, preview_turf, reissue_walk_list, turf_lists, Assignment,
    ListRow, NewSession, TurfCriteria, TurfOverview, WalkOrder, MAP_ATTRIBUTION, STATUSES,
};
use crate::format::thousands;
use crate::layout::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::{Stylesheet, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn TurfPage() -> impl IntoView {
    let params = use_params_map();
    let gss = move || params.read().get("gss").unwrap_or_default();
    let overview = Resource::new(gss, get_turf_overview);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => view! { <Turf overview/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Loads the map script with this response's nonce; it brings in Leaflet and Geoman.
#[component]
fn MapScript() -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    view! {
        <Stylesheet href="/vendor/leaflet-1.9.4/leaflet.css"/>
        <Stylesheet href="/vendor/leaflet-geoman-free-2.20.2/leaflet-geoman.css"/>
        <script type="module" src="/js/turf-map.js" nonce=nonce></script>
    }
}

fn parse_list(text: &str) -> Vec<String> {
    text.split([',', '\n']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

fn toggle(set: RwSignal<Vec<i64>>, id: i64, on: bool) {
    set.update(|v| {
        v.retain(|x| *x != id);
        if on {
            v.push(id);
        }
    });
}

#[component]
fn Turf(overview: TurfOverview) -> impl IntoView {
    let TurfOverview {
        gss_code,
        seat_name,
        wards,
        districts,
        streets,
        status_by_ward,
        lists,
        sessions,
        volunteers,
        tile_origin,
    } = overview;
    #[cfg(feature = "ssr")]
    if let Some(origin) = &tile_origin {
        crate::allow_map_tiles_from(origin);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = tile_origin;
    let gss = StoredValue::new(gss_code.clone());
    let refresh = RwSignal::new(0usize);
    let list_rows = Resource::new(
        move || refresh.get(),
        move |n| {
            let initial = lists.clone();
            async move {
                if n == 0 {
                    Ok(initial)
                } else {
                    turf_lists(gss.get_value()).await
                }
            }
        },
    );

    // The cutting form's state.
    let polygon_ref = NodeRef::<leptos::html::Input>::new();
    let chosen_wards = RwSignal::new(Vec::<i64>::new());
    let chosen_districts = RwSignal::new(Vec::<i64>::new());
    let street_text = RwSignal::new(String::new());
    let never = RwSignal::new(false);
    let days = RwSignal::new(String::new());
    let soft = RwSignal::new(false);
    let postal = RwSignal::new(false);
    let include_dnk = RwSignal::new(false);
    let include_moved = RwSignal::new(false);
    let skip_listed = RwSignal::new(true);
    let size = RwSignal::new(super::DEFAULT_LIST_SIZE.to_string());
    let order = RwSignal::new(WalkOrder::Sides);
    let criteria = move || TurfCriteria {
        polygon: polygon_ref
            .get_untracked()
            .and_then(|input| serde_json::from_str::<Vec<[f64; 2]>>(&input.value()).ok())
            .unwrap_or_default(),
        wards: chosen_wards.get_untracked(),
        districts: chosen_districts.get_untracked(),
        streets: parse_list(&street_text.get_untracked()),
        never_contacted: never.get_untracked(),
        not_contacted_days: days.get_untracked().trim().parse().ok(),
        undecided_or_soft: soft.get_untracked(),
        postal_voters: postal.get_untracked(),
        include_do_not_knock: include_dnk.get_untracked(),
        include_moved: include_moved.get_untracked(),
        skip_listed: skip_listed.get_untracked(),
        list_size: size.get_untracked().trim().parse().unwrap_or(0),
        order: order.get_untracked(),
    };
    let preview = Action::new(move |c: &TurfCriteria| preview_turf(gss.get_value(), c.clone()));
    let cut = Action::new(move |c: &TurfCriteria| cut_turf(gss.get_value(), c.clone()));
    let assign = Action::new(move |a: &Assignment| assign_walk_list(a.clone()));
    let reissue = Action::new(move |id: &i64| reissue_walk_list(*id));
    let change = super::list_state::list_change_action();
    // A change to the lists reloads the table (the actions live here, so their messages stay).
    Effect::new(move |_| {
        let changed = matches!(cut.value().get(), Some(Ok(_)))
            | matches!(assign.value().get(), Some(Ok(())))
            | matches!(reissue.value().get(), Some(Ok(Some(_))))
            | matches!(change.value().get(), Some(Ok(_)));
        if changed {
            refresh.update(|n| *n += 1);
        }
    });

    let totals: Vec<i64> =
        (0..STATUSES.len()).map(|k| status_by_ward.iter().map(|r| r.counts[k]).sum()).collect();
    let map_src = format!("/seats/{gss_code}/map.json");
    let ward_options = wards.clone();

    view! {
        <Title text=format!("Map and walk lists · {seat_name}")/>
        <MapScript/>
        <header class="page-head">
            <p class="eyebrow"><a href=format!("/seats/{gss_code}")>{seat_name.clone()}</a></p>
            <h1>"Map and walk lists"</h1>
            <p class="lede">"Choose doors on the map or by area, filter them, and cut them into walk lists with a walking order."</p>
        </header>
        <div class="turf-layout">
            <section class="turf-map-wrap" aria-labelledby="map-h">
                <h2 id="map-h" class="visually-hidden">"Map of the seat"</h2>
                <div id="turf-map" class="turf-map" data-src=map_src role="region"
                    aria-label="Map of wards and doors. Draw an area with the polygon tool, or click a ward to choose it. The same choices are in the form."></div>
                <p id="turf-map-status" class="muted" aria-live="polite"></p>
                <ul class="legend" aria-label="What the colours mean">
                    {STATUSES.iter().zip(totals.iter()).map(|((code, label, colour), n)| view! {
                        <li data-status=*code>
                            <span class="swatch" style=format!("background:{colour}") aria-hidden="true"></span>
                            {*label} " " <span class="muted">"(" {thousands(*n)} ")"</span>
                        </li>
                    }).collect_view()}
                </ul>
                <p class="map-attribution">{MAP_ATTRIBUTION}</p>
            </section>

            <section class="card turf-form" aria-labelledby="cut-h">
                <h2 id="cut-h">"Cut walk lists"</h2>
                <input type="hidden" id="turf-polygon" node_ref=polygon_ref/>
                <fieldset>
                    <legend>"Area (any of these; none means the whole seat)"</legend>
                    <p id="turf-polygon-status" class="muted" aria-live="polite">"No area drawn on the map."</p>
                    <button type="button" id="turf-clear-polygon" class="button secondary small">"Clear the drawn area"</button>
                    <details open>
                        <summary>"Wards"</summary>
                        <ul class="checks">
                            {ward_options.into_iter().map(|w| {
                                let id = w.id;
                                view! {
                                    <li><label>
                                        <input type="checkbox" name="ward" value=id
                                            on:change=move |ev| toggle(chosen_wards, id, event_target_checked(&ev))/>
                                        " " {w.name}
                                    </label></li>
                                }
                            }).collect_view()}
                        </ul>
                    </details>
                    <details>
                        <summary>"Polling districts"</summary>
                        <ul class="checks columns">
                            {districts.into_iter().map(|d| {
                                let id = d.id;
                                view! {
                                    <li><label>
                                        <input type="checkbox" name="district" value=id
                                            on:change=move |ev| toggle(chosen_districts, id, event_target_checked(&ev))/>
                                        " " {d.code} " " <span class="muted">{d.name}</span>
                                    </label></li>
                                }
                            }).collect_view()}
                        </ul>
                    </details>
                    <label class="field">
                        <span>"Streets (separate with commas)"</span>
                        <input type="text" name="streets" list="turf-streets" autocomplete="off"
                            bind:value=street_text/>
                    </label>
                    <datalist id="turf-streets">
                        {streets.into_iter().map(|s| view! { <option value=s></option> }).collect_view()}
                    </datalist>
                </fieldset>
                <fieldset>
                    <legend>"Which doors"</legend>
                    <ul class="checks">
                        <li><label><input type="checkbox" name="never" bind:checked=never/>" Never contacted"</label></li>
                        <li><label class="inline-field">"Not contacted in the last "
                            <input type="number" name="days" min="1" max="3650" inputmode="numeric" class="short" bind:value=days/>
                            " days"</label></li>
                        <li><label><input type="checkbox" name="soft" bind:checked=soft/>" Undecided or soft supporters (firmness 1–3)"</label></li>
                        <li><label><input type="checkbox" name="postal" bind:checked=postal/>" Postal voters (marker P)"</label></li>
                        <li><label><input type="checkbox" name="skip_listed" bind:checked=skip_listed/>" Leave out doors already on an active list"</label></li>
                        <li><label><input type="checkbox" name="include_dnk" bind:checked=include_dnk/>" Include do-not-knock doors"</label></li>
                        <li><label><input type="checkbox" name="include_moved" bind:checked=include_moved/>" Include doors where people moved away"</label></li>
                    </ul>
                </fieldset>
                <fieldset>
                    <legend>"Lists"</legend>
                    <label class="inline-field">"About "
                        <input type="number" name="list_size" min="5" max="200" inputmode="numeric" class="short" bind:value=size/>
                        " doors per list"</label>
                    <p class="radios">
                        <label><input type="radio" name="order" value="sides" checked
                            on:change=move |_| order.set(WalkOrder::Sides)/>" One side of the street, then the other"</label>
                        <label><input type="radio" name="order" value="zig_zag"
                            on:change=move |_| order.set(WalkOrder::ZigZag)/>" Zig-zag across the street"</label>
                    </p>
                </fieldset>
                <p class="actions">
                    <button type="button" class="button secondary" on:click=move |_| { preview.dispatch(criteria()); }>"Count the doors"</button>
                    <button type="button" class="button primary" on:click=move |_| { cut.dispatch(criteria()); }>"Cut walk lists"</button>
                </p>
                <div aria-live="polite" class="turf-outcome">
                    {move || preview.value().get().map(|r| match r {
                        Ok(p) => view! {
                            <p class="card" data-preview-doors=p.doors>
                                <strong>{thousands(p.doors as i64)}</strong> " doors, " {thousands(p.electors)} " electors: "
                                {if p.lists == 1 { "one list".to_string() } else { format!("about {} lists", p.lists) }} "."
                                {(p.unplaced > 0).then(|| format!(" {} more have no map position and are left out.", p.unplaced))}
                            </p>
                        }.into_any(),
                        Err(e) => view! { <p class="card notice" role="alert">{e.to_string()}</p> }.into_any(),
                    })}
                    {move || cut.value().get().map(|r| match r {
                        Ok(c) => view! {
                            <p class="card success" role="status" data-cut-lists=c.lists.len()
                                data-last-list=c.lists.last().copied().unwrap_or_default()>
                                "Cut " <strong>{c.lists.len()}</strong> " walk lists from " {thousands(c.doors as i64)}
                                " doors; their routes add up to " {format!("{:.1}", c.metres / 1000.0)} " km."
                            </p>
                        }.into_any(),
                        Err(e) => view! { <p class="card notice" role="alert">{e.to_string()}</p> }.into_any(),
                    })}
                </div>
            </section>
        </div>

        <section class="card" aria-labelledby="status-h">
            <h2 id="status-h">"Doors by what we know, by ward"</h2>
            <div class="table-wrap">
                <table class="data">
                    <thead><tr>
                        <th scope="col">"Ward"</th>
                        {STATUSES.iter().map(|(_, label, _)| view! { <th scope="col" class="num">{*label}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {status_by_ward.into_iter().map(|row| view! {
                            <tr><th scope="row">{row.ward}</th>
                                {row.counts.into_iter().map(|n| view! { <td class="num">{thousands(n)}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>

        <Transition fallback=Loading>
            {move || {
                let (sessions, volunteers) = (sessions.clone(), volunteers.clone());
                Suspend::new(async move {
                    match list_rows.await {
                        Ok(rows) => view! {
                            <AssignForm rows=rows.clone() sessions volunteers assign/>
                            <ListsTable rows reissue change/>
                        }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
    .into_any()
}

#[component]
fn AssignForm(
    rows: Vec<ListRow>,
    sessions: Vec<super::SessionOption>,
    volunteers: Vec<super::VolunteerOption>,
    assign: Action<Assignment, Result<(), crate::error::AppError>>,
) -> impl IntoView {
    let list = RwSignal::new(rows.first().map(|r| r.id.to_string()).unwrap_or_default());
    let chosen = RwSignal::new(Vec::<i64>::new());
    let session = RwSignal::new(String::new());
    let title = RwSignal::new("Canvass".to_string());
    let starts = RwSignal::new(String::new());
    let meeting = RwSignal::new(String::new());
    let submit = move |_| {
        let s = session.get_untracked();
        assign.dispatch(Assignment {
            walk_list_id: list.get_untracked().parse().unwrap_or(0),
            volunteers: chosen.get_untracked(),
            session_id: s.parse().ok(),
            new_session: (s == "new").then(|| NewSession {
                title: title.get_untracked(),
                starts_at: starts.get_untracked(),
                meeting_point: meeting.get_untracked(),
            }),
        });
    };
    view! {
        <section class="card" aria-labelledby="assign-h">
            <h2 id="assign-h">"Assign a list"</h2>
            <div class="assign-grid">
                <label class="field"><span>"Walk list"</span>
                    <select name="walk_list" bind:value=list>
                        {rows.into_iter().map(|r| view! {
                            <option value=r.id.to_string()>{format!("{} ({} doors)", r.name, r.doors)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>"Canvass session"</span>
                    <select name="session" bind:value=session>
                        <option value="">"Leave as it is"</option>
                        <option value="new">"A new session…"</option>
                        {sessions.into_iter().map(|s| view! {
                            <option value=s.id.to_string()>
                                {format!("{} · {} · {}", s.title, s.starts_at.format("%a %-d %b %H:%M"), s.meeting_point)}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <Show when=move || session.get() == "new">
                <fieldset class="assign-grid">
                    <legend>"New session"</legend>
                    <label class="field"><span>"Title"</span><input type="text" name="session_title" bind:value=title/></label>
                    <label class="field"><span>"Date and time"</span><input type="datetime-local" name="session_starts" bind:value=starts/></label>
                    <label class="field"><span>"Meeting point"</span><input type="text" name="meeting_point" bind:value=meeting/></label>
                </fieldset>
            </Show>
            <fieldset>
                <legend>"Volunteers"</legend>
                <ul class="checks columns volunteer-checks">
                    {volunteers.into_iter().map(|v| {
                        let id = v.id;
                        view! {
                            <li><label>
                                <input type="checkbox" name="volunteer" value=id
                                    on:change=move |ev| toggle(chosen, id, event_target_checked(&ev))/>
                                " " {v.name} {v.email.map(|e| view! { " " <span class="muted">{e}</span> })}
                            </label></li>
                        }
                    }).collect_view()}
                </ul>
            </fieldset>
            <p class="actions"><button type="button" class="button primary" on:click=submit>"Assign"</button></p>
            <div aria-live="polite">
                {move || assign.value().get().map(|r| match r {
                    Ok(()) => view! { <p class="card success" role="status">"The list is assigned."</p> }.into_any(),
                    Err(e) => view! { <p class="card notice" role="alert">{e.to_string()}</p> }.into_any(),
                })}
            </div>
        </section>
    }
}

#[component]
fn ListsTable(
    rows: Vec<ListRow>,
    reissue: Action<i64, Result<Option<i64>, crate::error::AppError>>,
    change: super::list_state::ListChangeAction,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="lists-h">
            <h2 id="lists-h">"Walk lists"</h2>
            <div aria-live="polite">
                {move || reissue.value().get().map(|r| match r {
                    Ok(Some(id)) => view! { <p class="card success" role="status">"Second-pass list " {id} " made from the doors not answered."</p> }.into_any(),
                    Ok(None) => view! { <p class="card" role="status">"Every door on that list answered: no second pass is needed."</p> }.into_any(),
                    Err(e) => view! { <p class="card notice" role="alert">{e.to_string()}</p> }.into_any(),
                })}
                <super::list_state::ListChangeMessage action=change/>
            </div>
            <div class="table-wrap">
                <table class="data lists-table">
                    <thead><tr>
                        <th scope="col">"List"</th><th scope="col">"Knocked"</th><th scope="col">"Session"</th>
                        <th scope="col">"Volunteers"</th><th scope="col">"Sheets"</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let id = r.id;
                            let (assigned, closed) = (r.volunteers.is_some(), r.status == "closed");
                            view! {
                                <tr data-list=id>
                                    <th scope="row">
                                        {r.name.clone()}
                                        {(r.status != "active").then(|| view! { " " <span class="badge">{r.status.clone()}</span> })}
                                    </th>
                                    <td>
                                        <span data-knocked=r.knocked>{r.knocked}</span> " / " {r.doors}
                                        <progress max=r.doors value=r.knocked aria-hidden="true"></progress>
                                    </td>
                                    <td>{r.session_title.clone().map(|t| format!("{t} · {}", r.starts_at.map(|s| s.format("%-d %b %H:%M").to_string()).unwrap_or_default())).unwrap_or_else(|| "—".into())}</td>
                                    <td>{r.volunteers.clone().unwrap_or_else(|| "—".into())}</td>
                                    <td class="row-actions">
                                        <a href=format!("/lists/{id}/print") rel="external">"Print sheet"</a>
                                        {r.code.clone().map(|c| view! { <a href=format!("/returns/{c}")>"Paper returns"</a> })}
                                        <button type="button" class="button secondary small" on:click=move |_| { reissue.dispatch(id); }>
                                            "Reissue the not-in doors"
                                        </button>
                                        <super::list_state::ListChangeButtons id assigned closed action=change/>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
