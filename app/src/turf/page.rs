//! The seat map page: the map (drawn by our small script over the vendored Leaflet, on
//! this page only), the cutting form, and the seat's walk lists.

use super::lists_page::{AssignForm, ListFilterForm, ListPager};
use super::{
    assign_walk_list, cut_turf, get_turf_overview, preview_turf, reissue_walk_list, turf_lists, Area,
    Assignment, ListFilter, ListRow, TurfCriteria, TurfOverview, WalkOrder, MAP_ATTRIBUTION, STATUSES,
};
use crate::format::thousands;
use crate::layout::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::{Stylesheet, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

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
    // The lists shown follow the page's address (the filter is a plain GET form).
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(|q| ListFilter::from_query(|k| q.get(k))));
    let list_rows = Resource::new(
        move || (refresh.get(), filter.get()),
        move |(_, f)| turf_lists(gss.get_value(), Some(f)),
    );
    let path = format!("/seats/{gss_code}/map");
    let ward_names = StoredValue::new(wards.clone());
    let filter_wards = wards.clone();
    let filter_districts = districts.clone();
    let filter_volunteers = volunteers.clone();

    // The cutting form's state.
    let polygon_ref = NodeRef::<leptos::html::Input>::new();
    let chosen_wards = RwSignal::new(Vec::<i64>::new());
    let chosen_districts = RwSignal::new(Vec::<i64>::new());
    let street_text = RwSignal::new(String::new());
    let never = RwSignal::new(false);
    let days = RwSignal::new(String::new());
    let soft = RwSignal::new(false);
    let postal = RwSignal::new(false);
    let voted_last = RwSignal::new(String::new());
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
        voted_last: match voted_last.get_untracked().as_str() {
            "voted" => Some(true),
            "stayed_home" => Some(false),
            _ => None,
        },
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

            <div class="turf-side">
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
                        <li><label class="inline-field">"At the last election (marked register): "
                            <select name="voted_last" on:change=move |ev| voted_last.set(event_target_value(&ev))>
                                <option value="">"any door"</option>
                                <option value="voted">"someone voted"</option>
                                <option value="stayed_home">"nobody voted"</option>
                            </select></label></li>
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
            <section class="card turf-lists" aria-labelledby="lists-h">
                <h2 id="lists-h">"Walk lists"</h2>
                <ListFilterForm path=path.clone() filter wards=filter_wards districts=filter_districts
                    volunteers=filter_volunteers/>
                <Transition fallback=Loading>
                    {move || {
                        let path = path.clone();
                        Suspend::new(async move {
                            match list_rows.await {
                                Ok(page) => view! {
                                    <ListPager path filter=filter.get_untracked() page=page.clone()/>
                                    <ListsTable rows=page.rows ward_names reissue change/>
                                }.into_any(),
                                Err(error) => view! { <ErrorView error/> }.into_any(),
                            }
                        })
                    }}
                </Transition>
            </section>
            <Transition fallback=Loading>
                {move || {
                    let (sessions, volunteers) = (sessions.clone(), volunteers.clone());
                    Suspend::new(async move {
                        match list_rows.await {
                            Ok(page) => view! { <AssignForm choices=page.choices sessions volunteers assign/> }.into_any(),
                            Err(error) => view! { <ErrorView error/> }.into_any(),
                        }
                    })
                }}
            </Transition>
            </div>
        </div>

        <section class="card" aria-labelledby="status-h">
            <h2 id="status-h">"Doors by what we know, by ward"</h2>
            // Scrolls sideways on a phone: focusable and named, so keyboards can scroll it.
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="status-h">
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

    }
    .into_any()
}

#[component]
fn ListsTable(
    rows: Vec<ListRow>,
    ward_names: StoredValue<Vec<Area>>,
    reissue: Action<i64, Result<Option<i64>, crate::error::AppError>>,
    change: super::list_state::ListChangeAction,
) -> impl IntoView {
    let ward_name = move |id: Option<i64>| {
        ward_names.with_value(|w| id.and_then(|id| w.iter().find(|a| a.id == id)).map(|a| a.name.clone()))
    };
    view! {
        <div aria-live="polite">
            {move || reissue.value().get().map(|r| match r {
                Ok(Some(id)) => view! { <p class="card success" role="status">"Second-pass list " {id} " made from the doors not answered."</p> }.into_any(),
                Ok(None) => view! { <p class="card" role="status">"Every door on that list answered: no second pass is needed."</p> }.into_any(),
                Err(e) => view! { <p class="card notice" role="alert">{e.to_string()}</p> }.into_any(),
            })}
            <super::list_state::ListChangeMessage action=change/>
        </div>
        {rows.is_empty().then(|| view! { <p class="muted">"No walk list matches."</p> })}
        <ol class="lists-table">
            {rows.into_iter().map(|r| {
                let id = r.id;
                let (assigned, closed) = (r.volunteers.is_some(), r.status == "closed");
                let session = r.session_title.clone().map(|t| {
                    format!("{t} · {}", r.starts_at.map(|s| s.format("%-d %b %H:%M").to_string()).unwrap_or_default())
                });
                view! {
                    <li data-list=id class="list-item">
                        <p class="list-title">
                            <strong>{r.name.clone()}</strong>
                            {(r.status != "active").then(|| view! { " " <span class="badge">{r.status.clone()}</span> })}
                            {ward_name(r.main_ward).map(|w| view! { " " <span class="muted">{w}</span> })}
                        </p>
                        <p class="list-progress">
                            <span data-knocked=r.knocked>{r.knocked}</span> " of " {r.doors} " doors knocked "
                            <progress max=r.doors value=r.knocked aria-hidden="true"></progress>
                        </p>
                        <p class="list-facts">
                            <span data-session>{session.unwrap_or_else(|| "No session".into())}</span> " · "
                            <span data-volunteers>{r.volunteers.clone().unwrap_or_else(|| "Not assigned".into())}</span>
                        </p>
                        <p class="row-actions">
                            <a href=format!("/lists/{id}/print") rel="external">"Print sheet"</a>
                            {r.code.clone().map(|c| view! { <a href=format!("/returns/{c}")>"Paper returns"</a> })}
                            <button type="button" class="button secondary small" on:click=move |_| { reissue.dispatch(id); }>
                                "Reissue the not-in doors"
                            </button>
                            <super::list_state::ListChangeButtons id assigned closed action=change/>
                        </p>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
