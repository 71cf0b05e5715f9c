//! The seat's volunteer list: by stage, gone quiet, ready for more, new from the doorstep;
//! its teams, and the CSV import and export.

use super::date;
use crate::error::AppError;
use crate::layout::{ErrorView, Loading};
use crate::volunteer::{
    get_volunteers, AddVolunteer, CreateTeam, Show, Stage, VolunteerList, VolunteerSummary, HEARD_FROM,
};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn VolunteersPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let add = ServerAction::<AddVolunteer>::new();
    let team = ServerAction::<CreateTeam>::new();
    let key = move || {
        let q = query.read();
        (
            params.read().get("gss").unwrap_or_default(),
            q.get("stage"),
            q.get("show"),
            q.get("weeks"),
            q.get("team"),
            team.version().get(),
        )
    };
    let list = Resource::new(key, |(gss, stage, show, weeks, team, _)| {
        get_volunteers(gss, stage, show, weeks, team)
    });
    view! {
        <Title text="Volunteers"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! { <ListBody list add team/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ImportNotice() -> impl IntoView {
    let query = use_query_map();
    move || {
        let q = query.read();
        if let Some(counts) = q.get("imported") {
            let n: Vec<String> = counts.split(',').map(str::to_string).collect();
            let get = |i: usize| n.get(i).cloned().unwrap_or_else(|| "0".into());
            Some(
                view! {
                    <p class="card success" role="status">
                        "Imported: " {get(0)} " added, " {get(1)} " updated, " {get(2)} " unchanged."
                    </p>
                }
                .into_any(),
            )
        } else if let Some(errors) = q.get("import_errors") {
            let total = q.get("rejected").unwrap_or_default();
            Some(
                view! {
                    <section class="card notice" role="alert" aria-labelledby="import-errors-h">
                        <h2 id="import-errors-h">"Nothing was imported"</h2>
                        <p>{total} " rows need fixing. Correct them in the file and upload it again:"</p>
                        <ul class="plain-list import-errors">
                            {errors.lines().map(|l| view! { <li>{l.to_string()}</li> }).collect_view()}
                        </ul>
                    </section>
                }
                .into_any(),
            )
        } else {
            q.get("import_error").map(|e| view! { <p class="card notice" role="alert">{e}</p> }.into_any())
        }
    }
}

#[component]
fn ListBody(
    list: VolunteerList,
    add: ServerAction<AddVolunteer>,
    team: ServerAction<CreateTeam>,
) -> impl IntoView {
    let VolunteerList {
        gss,
        seat_name,
        whole_seat,
        filter,
        volunteers,
        by_stage,
        quiet,
        ready,
        doorstep,
        total,
        teams,
        wards: _,
        team_leaders,
    } = list;
    let base = format!("/seats/{gss}/volunteers");
    let now = Utc::now();
    let weeks = filter.weeks;
    let chip = |href: String, label: String, current: bool| {
        view! { <a href=href aria-current=current.then_some("page")>{label}</a> }
    };
    let shown = volunteers.len();
    let (gss_add, gss_team) = (gss.clone(), gss.clone());
    let csv_href = format!("/seats/{gss}/volunteers.csv");
    view! {
        <header class="page-head">
            <p class="eyebrow">
                {if whole_seat {
                    view! { <a href=format!("/seats/{gss}")>{seat_name.clone()}</a> }.into_any()
                } else {
                    view! { <span>{seat_name.clone()}</span> }.into_any()
                }}
            </p>
            <h1>"Volunteers"</h1>
            <p class="lede">{total} {if total == 1 { " volunteer" } else { " volunteers" }}
                {(!whole_seat).then_some(" in your team")} "."</p>
            <p class="actions">
                <a class="button secondary" href=format!("/seats/{gss}/sessions")>"Canvass sessions"</a>
            </p>
        </header>
        <ImportNotice/>
        <section aria-labelledby="ladder-h">
            <h2 id="ladder-h">"Ladder of engagement"</h2>
            <ol class="ladder">
                {by_stage.into_iter().map(|(stage, n)| view! {
                    <li class="stat">
                        <a href=format!("{base}?stage={}", stage.as_str())>
                            <span class="stat-n">{n}</span>
                            <span class="stat-label">{stage.label()}</span>
                        </a>
                    </li>
                }).collect_view()}
            </ol>
        </section>
        <nav class="region-filter" aria-label="Show">
            {chip(base.clone(), format!("Everyone ({total})"), filter.show == Show::All && filter.stage.is_none())}
            {chip(format!("{base}?show=ready"), format!("Ready for more ({ready})"), filter.show == Show::Ready)}
            {chip(format!("{base}?show=quiet&weeks={weeks}"), format!("Gone quiet: no session in {weeks} weeks ({quiet})"), filter.show == Show::Quiet)}
            {chip(format!("{base}?show=doorstep"), format!("New from the doorstep ({doorstep})"), filter.show == Show::Doorstep)}
        </nav>
        <form class="filters-inline" method="get" action=base.clone()>
            <label for="f-stage">"Stage"</label>
            <select id="f-stage" name="stage">
                <option value="">"Any stage"</option>
                {Stage::ALL.into_iter().map(|s| view! {
                    <option value=s.as_str() selected=filter.stage == Some(s)>{s.label()}</option>
                }).collect_view()}
            </select>
            <label for="f-show">"Show"</label>
            <select id="f-show" name="show">
                {[(Show::All, "Everyone"), (Show::Ready, "Ready for more"), (Show::Quiet, "Gone quiet"), (Show::Doorstep, "New from the doorstep")]
                    .into_iter().map(|(s, l)| view! { <option value=s.as_str() selected=filter.show == s>{l}</option> }).collect_view()}
            </select>
            <label for="f-weeks">"Quiet after (weeks)"</label>
            <input id="f-weeks" name="weeks" type="number" min="1" max="104" value=weeks inputmode="numeric"/>
            {(teams.len() > 1).then(|| view! {
                <label for="f-team">"Team"</label>
                <select id="f-team" name="team">
                    <option value="">"Any team"</option>
                    {teams.iter().map(|t| view! { <option value=t.id selected=filter.team == Some(t.id)>{t.name.clone()}</option> }).collect_view()}
                </select>
            })}
            <button type="submit" class="button secondary">"Apply"</button>
        </form>
        {if volunteers.is_empty() {
            view! { <p class="card">"No volunteers match."</p> }.into_any()
        } else {
            view! { <VolunteerTable volunteers now weeks/> }.into_any()
        }}
        <p class="muted small">{shown} " shown."</p>
        <section class="card" aria-labelledby="add-h">
            <h2 id="add-h">"Add a volunteer"</h2>
            <ActionForm action=add attr:class="form-grid">
                <input type="hidden" name="gss" value=gss_add/>
                {error_of!(add)}
                <div class="field"><label for="a-first">"First name"</label><input id="a-first" name="first_name" required autocomplete="off"/></div>
                <div class="field"><label for="a-last">"Surname"</label><input id="a-last" name="surname" required autocomplete="off"/></div>
                <div class="field"><label for="a-email">"Email"</label><input id="a-email" name="email" type="email" autocomplete="off"/></div>
                <div class="field"><label for="a-phone">"Phone"</label><input id="a-phone" name="phone" type="tel" autocomplete="off"/></div>
                <div class="field"><label for="a-heard">"How they heard of us"</label>
                    <select id="a-heard" name="heard_from">
                        <option value="">"—"</option>
                        {HEARD_FROM.iter().map(|(c, l)| view! { <option value=*c>{*l}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button primary">"Add volunteer"</button>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="teams-h">
            <h2 id="teams-h">"Teams"</h2>
            {if teams.is_empty() {
                view! { <p class="muted">"No teams yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {teams.iter().map(|t| view! {
                            <li>
                                <a href=format!("{base}?team={}", t.id)>{t.name.clone()}</a>
                                " · led by " {t.leader.clone().unwrap_or_else(|| "no one yet".into())}
                                " · " {t.members} " members"
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {whole_seat.then(|| view! {
                <ActionForm action=team attr:class="form-grid">
                    <input type="hidden" name="gss" value=gss_team/>
                    {error_of!(team)}
                    <div class="field"><label for="t-name">"New team"</label><input id="t-name" name="name" required/></div>
                    <div class="field"><label for="t-leader">"Led by"</label>
                        <select id="t-leader" name="leader">
                            <option value="">"No leader yet"</option>
                            {team_leaders.iter().map(|u| view! { <option value=u.id>{u.name.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="button secondary">"Create team"</button>
                </ActionForm>
            })}
        </section>
        {whole_seat.then(|| view! {
            <section class="card" aria-labelledby="csv-h">
                <h2 id="csv-h">"Import and export"</h2>
                <p>"The export and the import share their columns: download, edit in a spreadsheet, upload. "
                   "A row with an " <code>"id"</code> " updates that volunteer; a row without one adds someone. "
                   "If any row is wrong, nothing is imported and every problem is listed by line and column. "
                   "Downloads are recorded in the audit log."</p>
                <p><a class="csv" href=csv_href>"Volunteers (CSV)"</a></p>
                <form class="stack" method="post" enctype="multipart/form-data" action=format!("{base}/import")>
                    <label for="v-file">"Volunteers file (CSV, UTF-8)"</label>
                    <input id="v-file" name="file" type="file" accept=".csv,text/csv" required/>
                    <button type="submit" class="button secondary">"Import volunteers"</button>
                </form>
            </section>
        })}
    }
    .into_any()
}

#[component]
fn VolunteerTable(volunteers: Vec<VolunteerSummary>, now: DateTime<Utc>, weeks: i64) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data volunteers">
                <caption class="visually-hidden">"Volunteers, by surname"</caption>
                <thead><tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Stage"</th>
                    <th scope="col" class="num">"Sessions"</th>
                    <th scope="col">"Last session"</th>
                    <th scope="col" class="hide-narrow">"Ward"</th>
                    <th scope="col" class="hide-narrow">"Team"</th>
                    <th scope="col" class="hide-narrow">"Contact"</th>
                </tr></thead>
                <tbody>
                    {volunteers.into_iter().map(|v| {
                        let ready = v.ready_for();
                        let quiet = v.gone_quiet(now, weeks);
                        view! {
                            <tr data-volunteer=v.id>
                                <th scope="row">
                                    <a href=format!("/volunteers/{}", v.id)>{v.name()}</a>
                                    {v.from_doorstep.then(|| view! { <span class="tag">"doorstep"</span> })}
                                </th>
                                <td>
                                    {v.stage().label()}
                                    {v.stage_since.map(|d| view! { <span class="muted small block">"since " {date(d)}</span> })}
                                    {ready.map(|s| view! { <span class="tag ready">"Ready: " {s.label()}</span> })}
                                    {quiet.then(|| view! { <span class="tag quiet">"Gone quiet"</span> })}
                                </td>
                                <td class="num">{v.attended}</td>
                                <td>{v.last_session.map(date).unwrap_or_else(|| "—".into())}</td>
                                <td class="hide-narrow">{v.ward.clone().unwrap_or_default()}</td>
                                <td class="hide-narrow">{v.team.clone().unwrap_or_default()}</td>
                                <td class="hide-narrow">
                                    {v.email.clone().map(|e| view! { <a href=format!("mailto:{e}")>{e.clone()}</a> })}
                                    {v.phone.clone().map(|p| view! { <span class="block">{p}</span> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
