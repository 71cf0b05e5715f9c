//! Paper returns: the organiser types in a printed sheet's code (or scans its QR) and
//! enters the whole sheet's results on one screen. Each door and each elector row
//! carries an id made when the screen was drawn, so a sheet sent twice is stored once.

use super::sheet::{Canvasser, ReturnsForm, ReturnsOutcome, ReturnsSheet, NOT_ON_SHEET};
use crate::doorstep::result_label;
use crate::error::AppError;
use crate::layout::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[server(prefix = "/api", endpoint = "turf/returns_sheet")]
pub async fn get_returns_sheet(code: String) -> Result<ReturnsSheet, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let sheet = super::sheet_queries::returns_sheet(&state.store, &user, &code).await?;
    crate::audit::record(
        &state.store,
        Some(user.id),
        "view",
        "walk_list",
        &sheet.walk_list_id.to_string(),
        "paper returns",
    )
    .await?;
    Ok(sheet)
}

#[server(prefix = "/api", endpoint = "turf/save_returns")]
pub async fn save_returns(form: ReturnsForm) -> Result<ReturnsOutcome, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    super::sheet_queries::save_returns(&state.store, &user, &form, chrono::Utc::now()).await
}

#[component]
pub fn ReturnsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let code = move || {
        params
            .read()
            .get("code")
            .or_else(|| query.read().get("code"))
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty())
    };
    let sheet = Resource::new(code, |code| async move {
        match code {
            Some(code) => get_returns_sheet(code).await.map(Some),
            // Only those who enter returns see the form for the code.
            None => match crate::auth::get_current_user().await? {
                Some(user)
                    if matches!(user.role, crate::auth::Role::Admin | crate::auth::Role::Organiser) =>
                {
                    Ok(None)
                }
                Some(_) => Err(crate::error::AppError::Forbidden),
                None => Err(crate::error::AppError::NotSignedIn),
            },
        }
    });
    let save = ServerAction::<SaveReturns>::new();
    view! {
        <Title text="Paper returns"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match sheet.await {
                    Ok(Some(sheet)) => view! { <ReturnsFormView sheet save/> }.into_any(),
                    Ok(None) => view! { <CodeForm/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CodeForm() -> impl IntoView {
    view! {
        <header class="page-head"><h1>"Paper returns"</h1></header>
        <form method="get" action="/returns" class="card stack" aria-label="Open a walk sheet">
            <label class="field"><span>"The code printed on the walk sheet"</span>
                <input type="text" name="code" autocomplete="off" autocapitalize="characters" required
                    maxlength="12" class="code-input"/>
            </label>
            <button type="submit" class="button primary">"Open the sheet"</button>
        </form>
    }
}

#[component]
fn ReturnsFormView(sheet: ReturnsSheet, save: ServerAction<SaveReturns>) -> impl IntoView {
    let ReturnsSheet { walk_list_id, code, name, seat_name, doors, results, parties, firmness, canvassers } =
        sheet;
    // One volunteer on the list: theirs is the name on the sheet.
    let assigned: Vec<&Canvasser> = canvassers.iter().filter(|c| c.assigned).collect();
    let only = (assigned.len() == 1).then(|| assigned[0].volunteer_id);
    let mut vote = 0usize;
    view! {
        <header class="page-head">
            <p class="eyebrow">{seat_name} " · paper returns · code " {code}</p>
            <h1>{name}</h1>
            <p class="lede">"Choose each door's result and each elector's intention as ticked on the sheet; leave blank what was not filled in. Saving twice stores nothing twice."</p>
        </header>
        <div aria-live="polite">
            {move || save.value().get().map(|r| match r {
                Ok(o) => view! {
                    <p class="card success" role="status" data-stored=o.stored>
                        "Saved " {o.stored} " new entries"
                        {(o.already_had > 0).then(|| format!(" ({} were already stored)", o.already_had))}
                        {(o.do_not_knock > 0).then(|| format!("; {} doors marked do not knock", o.do_not_knock))} "."
                    </p>
                }.into_any(),
                Err(e) => view! { <p class="card notice" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </div>
        <ActionForm action=save attr:class="returns-form" attr:aria-label="Paper returns">
            <input type="hidden" name="form[walk_list_id]" value=walk_list_id/>
            <div class="field returns-canvasser">
                <label for="returns-canvasser">"Who knocked these doors"</label>
                <select id="returns-canvasser" name="form[canvasser]" required aria-describedby="returns-canvasser-hint">
                    <option value="" selected=only.is_none()>"Choose the canvasser"</option>
                    {canvassers.iter().map(|c| {
                        let label = if c.assigned { format!("{} (given this list)", c.name) } else { c.name.clone() };
                        view! { <option value=c.volunteer_id selected=only == Some(c.volunteer_id)>{label}</option> }
                    }).collect_view()}
                    <option value=NOT_ON_SHEET>"Not written on the sheet"</option>
                </select>
                <p id="returns-canvasser-hint" class="muted">"As written at the top of the sheet. Their doors count as theirs on the dashboards, as the phone's do."</p>
            </div>
            <div class="table-wrap">
                <table class="data returns-table">
                    <thead><tr>
                        <th scope="col">"#"</th><th scope="col">"Address"</th><th scope="col">"Result"</th>
                        <th scope="col"><span class="visually-hidden">"Do not knock"</span></th><th scope="col">"Electors, intention and how firm"</th>
                    </tr></thead>
                    <tbody>
                        {doors.into_iter().enumerate().map(|(i, door)| {
                            let row = format!("form[rows][{i}]");
                            let result_id = format!("result-{}", door.household_id);
                            view! {
                                <tr data-household=door.household_id>
                                    <td>{door.position}</td>
                                    <th scope="row"><label for=result_id.clone()>{door.address.clone()}</label>
                                        {door.last_result.clone().map(|r| view! { <br/><span class="muted">"Recorded: " {result_label(&r)}</span> })}
                                    </th>
                                    <td>
                                        <input type="hidden" name=format!("{row}[household_id]") value=door.household_id/>
                                        <input type="hidden" name=format!("{row}[entry_id]") value=door.entry_id.clone()/>
                                        <select id=result_id name=format!("{row}[result]")>
                                            <option value="">"—"</option>
                                            {results.iter().map(|(c, l)| view! { <option value=c.clone()>{l.clone()}</option> }).collect_view()}
                                        </select>
                                    </td>
                                    <td>
                                        <label class="check-cell">
                                            <input type="checkbox" name=format!("{row}[do_not_knock]") checked=door.do_not_knock/>
                                            " Do not knock"<span class="visually-hidden">": " {door.address.clone()}</span>
                                        </label>
                                    </td>
                                    <td>
                                        <ul class="vote-list">
                                            {door.electors.into_iter().map(|e| {
                                                let v = format!("form[votes][{vote}]");
                                                vote += 1;
                                                let select_id = format!("vote-{}", e.id);
                                                view! {
                                                    <li>
                                                        <label for=select_id.clone()>{e.name.clone()} " " <span class="muted">{e.number}</span></label>
                                                        <input type="hidden" name=format!("{v}[household_id]") value=door.household_id/>
                                                        <input type="hidden" name=format!("{v}[elector_id]") value=e.id/>
                                                        <input type="hidden" name=format!("{v}[entry_id]") value=e.entry_id/>
                                                        <span class="vote-fields">
                                                            <select id=select_id name=format!("{v}[intention]")>
                                                                <option value="">"—"</option>
                                                                {parties.iter().map(|(c, l)| view! { <option value=c.clone()>{l.clone()}</option> }).collect_view()}
                                                            </select>
                                                            <label class="visually-hidden" for=format!("firm-{}", e.id)>"How firm: " {e.name.clone()}</label>
                                                            <select id=format!("firm-{}", e.id) name=format!("{v}[firmness]") class="firmness" title="How firm, 1 soft to 5 certain">
                                                                <option value="">"Firm?"</option>
                                                                {firmness.iter().map(|(f, l)| view! { <option value=*f>{l.clone()}</option> }).collect_view()}
                                                            </select>
                                                        </span>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="actions"><button type="submit" class="button primary">"Save the returns"</button></p>
        </ActionForm>
    }
    .into_any()
}
