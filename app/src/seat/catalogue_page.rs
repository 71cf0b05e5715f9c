//! The seat catalogue: every GB constituency, searchable and sorted most winnable first,
//! where admins add target seats and put them into regions.

use super::{get_seat_catalogue, AddTargetSeat, CatalogueSeat, CatalogueView};
use crate::format::thousands;
use crate::layout::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Rows shown at once; a search narrows the rest.
const SHOWN: usize = 100;

#[component]
pub fn CataloguePage() -> impl IntoView {
    let query = use_query_map();
    let add = ServerAction::<AddTargetSeat>::new();
    let param = move |k: &str| query.read().get(k).unwrap_or_default();
    let catalogue = Resource::new(
        move || (param("q"), param("region"), param("winner"), param("sort"), add.version().get()),
        |(q, region, winner, sort, _)| get_seat_catalogue(q, region, winner, sort),
    );
    view! {
        <Title text="Seat catalogue"/>
        <header class="page-head">
            <h1>"Seat catalogue"</h1>
            <p class="lede">"Every constituency in Great Britain with its 2019 result. Pick your target seats: each comes with its boundary, its region and its 2015 and 2019 results."</p>
        </header>
        {move || add.value().get().map(|r| match r {
            Ok(gss) => view! {
                <p class="card notice" role="status">"Seat " {gss.clone()} " is in the campaign. "
                    <a href=format!("/seats/{gss}")>"Open its page"</a></p>
            }.into_any(),
            Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
        })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match catalogue.await {
                    Ok(view) => view! { <Catalogue view add query=(param("q"), param("region"), param("winner"), param("sort"))/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Catalogue(
    view: CatalogueView,
    add: ServerAction<AddTargetSeat>,
    query: (String, String, String, String),
) -> impl IntoView {
    let CatalogueView { total, seats, regions, winners } = view;
    let (q, region, winner, sort) = query;
    let found = seats.len();
    let option = |value: String, current: &str| {
        let selected = value == current;
        let text = value.clone();
        view! { <option value=value selected=selected>{text}</option> }
    };
    let sorts = [
        ("swing", "Swing needed (smallest first)"),
        ("majority", "Majority (smallest first)"),
        ("name", "Name"),
    ];
    view! {
        <form method="get" action="/admin/seats" class="card catalogue-filters" role="search" aria-label="Find seats">
            <label>"Seat name or code"<input type="search" name="q" value=q/></label>
            <label>"Region"
                <select name="region">
                    <option value="">"Any region"</option>
                    {regions.iter().map(|r| option(r.clone(), &region)).collect_view()}
                </select>
            </label>
            <label>"Held by"
                <select name="winner">
                    <option value="">"Any party"</option>
                    {winners.into_iter().map(|w| option(w, &winner)).collect_view()}
                </select>
            </label>
            <label>"Sort by"
                <select name="sort">
                    {sorts.into_iter().map(|(v, label)| view! { <option value=v selected=sort == v>{label}</option> }).collect_view()}
                </select>
            </label>
            <button type="submit" class="button primary">"Search"</button>
        </form>
        <p class="muted" role="status">
            {format!("{found} of {total} seats")}
            {(found > SHOWN).then(|| format!("; the first {SHOWN} are shown, search to narrow them"))}
        </p>
        <datalist id="region-names">
            {regions.into_iter().map(|r| view! { <option value=r/> }).collect_view()}
        </datalist>
        <div class="table-wrap">
            <table class="data catalogue">
                <caption class="visually-hidden">"Constituencies, most winnable first"</caption>
                <thead><tr>
                    <th scope="col">"Seat"</th><th scope="col">"Region"</th><th scope="col">"Held by (2019)"</th>
                    <th scope="col" class="num">"Majority"</th><th scope="col" class="num">"Swing needed"</th>
                    <th scope="col">"Target"</th>
                </tr></thead>
                <tbody>
                    {seats.into_iter().take(SHOWN).map(|s| view! { <CatalogueRow s add/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn CatalogueRow(s: CatalogueSeat, add: ServerAction<AddTargetSeat>) -> impl IntoView {
    let region = s.campaign_region.clone().unwrap_or_else(|| s.region.clone());
    let label = format!("Region for {}", s.name);
    let held = s.in_campaign;
    let name = if held {
        view! { <a href=format!("/seats/{}", s.gss_code)>{s.name.clone()}</a> }.into_any()
    } else {
        view! { <span>{s.name.clone()}</span> }.into_any()
    };
    let (row_gss, shown_gss, form_gss) = (s.gss_code.clone(), s.gss_code.clone(), s.gss_code);
    let swing = format!("{:.1}%", s.swing_needed);
    view! {
        <tr data-gss=row_gss class:held=held>
            <th scope="row">{name}<br/><span class="muted">{shown_gss}</span></th>
            <td>{s.region}</td>
            <td>{s.winner} <span class="muted">" over " {s.runner_up}</span></td>
            <td class="num">{thousands(s.majority)}</td>
            <td class="num">{swing}</td>
            <td>
                {held.then(|| view! { <span class="badge in-campaign">"In campaign"</span> })}
                <ActionForm action=add attr:class="add-seat">
                    <input type="hidden" name="gss_code" value=form_gss/>
                    <input type="text" name="region" value=region list="region-names" aria-label=label maxlength="100"/>
                    <button type="submit" class="button small" class:primary=!held class:secondary=held>
                        {if held { "Move to region" } else { "Add as target" }}
                    </button>
                </ActionForm>
            </td>
        </tr>
    }
}
